/**
 * The in-process transport: a listener reachable only from the same JVM, whose client states the peer's
 * credentials. For testing handlers and requirements without sockets, exactly through the path real transports
 * take (gate, verdict sink, dispatcher).
 */
@NullMarked
package dev.peergate.inprocess;

import org.jspecify.annotations.NullMarked;
