/**
 * Who a Unix-socket peer is on Linux: socket credentials ({@code SO_PEERCRED}, {@code SO_PEERGROUPS},
 * {@code SO_PEERSEC}), the peer's pidfd, and what {@code /proc} says about the process behind it (executable, its
 * digest, systemd unit, status), each verified against the pidfd; names and digests cached.
 */
@NullMarked
package dev.peergate.unix.peer;

import org.jspecify.annotations.NullMarked;
