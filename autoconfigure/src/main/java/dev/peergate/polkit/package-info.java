/**
 * polkit on Linux, the authority systemd's own varlink services ask: per method, {@code CheckAuthorization} on the
 * system bus for the calling process, identified by pid and start time and verified through the peer's pidfd
 * before and after the question.
 */
@NullMarked
package dev.peergate.polkit;

import org.jspecify.annotations.NullMarked;
