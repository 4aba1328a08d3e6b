/**
 * Actuator views of Peergate: the {@code peergate} endpoint, per-listener health, platform info and the audit
 * bridge for rejections.
 */
@NullMarked
package dev.peergate.actuate;

import org.jspecify.annotations.NullMarked;
