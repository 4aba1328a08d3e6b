/**
 * Java clients for Peergate listeners, each verifying the server before sending anything: {@code VarlinkClient}
 * over Unix-domain sockets (server uid via {@code SO_PEERCRED}), {@code XpcClient} over XPC on macOS (a
 * requirement on the client connection).
 */
@NullMarked
package dev.peergate.client;

import org.jspecify.annotations.NullMarked;
