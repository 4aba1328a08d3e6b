/**
 * The Linux transport: varlink over a Unix-domain socket served by Netty (epoll; kqueue on macOS), with each peer
 * identified at accept time by {@code SO_PEERCRED}, {@code SO_PEERPIDFD}, {@code SO_PEERGROUPS} and
 * {@code SO_PEERSEC}, and facts read from {@code /proc} trusted only when the pidfd proves the process is still the
 * one that connected.
 */
@NullMarked
package dev.peergate.unix;

import org.jspecify.annotations.NullMarked;
