/**
 * JNA binding for the one libc path the JDK 17 lacks here: an {@code AF_UNIX} datagram sent to systemd's notify
 * socket. The only package of the systemd integration that touches JNA.
 */
@NullMarked
package dev.peergate.systemd.jna;

import org.jspecify.annotations.NullMarked;
