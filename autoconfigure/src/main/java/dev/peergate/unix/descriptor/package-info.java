/**
 * File descriptors over a Unix socket, for the varlink listener and client: {@link
 * dev.peergate.unix.descriptor.DescriptorPassing} reads with {@code recvmsg} and sends descriptor-carrying messages
 * with {@code sendmsg} and {@code SCM_RIGHTS} (Netty's epoll channel reads either bytes or descriptors, never both),
 * {@link dev.peergate.unix.descriptor.ReceivedDescriptors} gives each message the descriptors that came with its
 * first byte, {@link dev.peergate.unix.descriptor.DescriptorBuf} carries a message's descriptors to the socket, and
 * {@link dev.peergate.unix.descriptor.PosixFileDescriptors} backs {@link dev.peergate.handler.IpcFileDescriptor}.
 */
@NullMarked
package dev.peergate.unix.descriptor;

import org.jspecify.annotations.NullMarked;
