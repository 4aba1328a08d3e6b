/**
 * systemd's service notification protocol ({@code sd_notify}) without libsystemd: {@code READY=1} once the
 * listeners serve, {@code STATUS=} with a one-line summary, {@code STOPPING=1} when shutdown begins, and
 * {@code WATCHDOG=1} at half {@code WATCHDOG_USEC} while the listeners and the handler executor are healthy. Knows
 * the listener SPI of {@code core}, not the transports nor Spring; the datagrams leave through {@code systemd.jna}.
 */
@NullMarked
package dev.peergate.systemd;

import org.jspecify.annotations.NullMarked;
