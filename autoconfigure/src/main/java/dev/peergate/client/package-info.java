/**
 * A Java varlink client for Peergate services (and any varlink service) over Unix-domain sockets, which verifies
 * the server's uid before sending anything.
 */
@NullMarked
package dev.peergate.client;

import org.jspecify.annotations.NullMarked;
