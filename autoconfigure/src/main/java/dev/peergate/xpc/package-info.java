/**
 * The macOS transport: an XPC Mach-service listener, its connection lifecycle and the choice of the peer-check
 * mechanism for the running macOS. Native calls go through {@code dev.peergate.xpc.jna}.
 */
@NullMarked
package dev.peergate.xpc;

import org.jspecify.annotations.NullMarked;
