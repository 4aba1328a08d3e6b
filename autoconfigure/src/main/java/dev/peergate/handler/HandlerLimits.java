package dev.peergate.handler;

import java.time.Duration;
import java.util.Objects;

/**
 * How long handlers may take, and how much of the handler executor one user may hold.
 *
 * <pre>{@code
 * HandlerLimits limits = new HandlerLimits(Duration.ofSeconds(30), Duration.ofMinutes(30), 16);
 * Dispatcher dispatcher = new Dispatcher(registry, HandlerExecutor.create(64, 256), limits, CallObserver.none());
 * }</pre>
 *
 * @param timeout the wait for each reply of a blocking handler (a stream restarts it with every reply), and the
 * whole time a oneway call may run, which nothing extends; zero turns both off
 * @param maxStreamDuration the whole time a streaming call ({@code more}) may run, however often it replies; zero
 * turns it off
 * @param maxConcurrentPerUid blocking calls of one user (uid) admitted to the handler executor at once, running or
 * waiting; more are answered {@value StandardErrors#OVERLOADED}, so that one user cannot take every handler thread
 */
public record HandlerLimits(Duration timeout, Duration maxStreamDuration, int maxConcurrentPerUid) {

	public HandlerLimits {
		Objects.requireNonNull(timeout, "'timeout' must not be null");
		Objects.requireNonNull(maxStreamDuration, "'maxStreamDuration' must not be null");
		if (timeout.isNegative() || maxStreamDuration.isNegative() || maxConcurrentPerUid < 1) {
			throw new IllegalArgumentException("timeout and maxStreamDuration must be >= 0, maxConcurrentPerUid >= 1; got "
					+ timeout + ", " + maxStreamDuration + ", " + maxConcurrentPerUid);
		}
	}

	/** Only the per-reply timeout: streams without a total limit, no per-user share. */
	public static HandlerLimits timeoutOnly(Duration timeout) {
		return new HandlerLimits(timeout, Duration.ZERO, Integer.MAX_VALUE);
	}

}
