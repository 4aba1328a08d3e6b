/**
 * JNA bindings to the Linux libc calls the Unix transport needs and the JDK does not offer: peer credentials
 * ({@code SO_PEERCRED}, {@code SO_PEERPIDFD}, {@code SO_PEERGROUPS}, {@code SO_PEERSEC}) and pidfds
 * ({@code pidfd_open}, {@code pidfd_send_signal}, {@code PIDFD_GET_INFO}). The only package of the transport that
 * touches JNA.
 */
@NullMarked
package dev.peergate.unix.jna;

import org.jspecify.annotations.NullMarked;
