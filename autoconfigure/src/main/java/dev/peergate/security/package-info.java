/**
 * Spring Security for IPC handlers: while a handler runs, the {@code SecurityContext} holds a
 * {@link dev.peergate.security.PeerAuthentication} for the calling peer, so that {@code @PreAuthorize},
 * {@code @PostAuthorize} and {@code @Secured} work on {@code @IpcMethod} methods; a denied call is answered
 * {@code org.varlink.service.PermissionDenied} and recorded as a call verdict with authority {@code spring-security}.
 */
@NullMarked
package dev.peergate.security;

import org.jspecify.annotations.NullMarked;
