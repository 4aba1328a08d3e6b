package dev.peergate.xpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The idle timeout of an XPC listener's peer connections: a connection that has sent no message and has no call in
 * flight for {@code limits.idle-timeout} is cancelled and counted as {@code idle-timeout}, as a Unix listener closes
 * its idle connections, so that idle peers cannot hold {@code max-connections} slots for ever. libxpc has no timer
 * of its own for this; one daemon thread per listener looks at the sessions a few times per timeout.
 */
final class XpcIdleConnections {

	/** The sweep runs this many times per timeout: a connection is cancelled at most a quarter late. */
	private static final int SWEEPS_PER_TIMEOUT = 4;

	private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	private final XpcServing serving;

	private final long timeoutNanos;

	private @Nullable ScheduledExecutorService sweeper;

	XpcIdleConnections(XpcServing serving, Duration timeout) {
		this.serving = serving;
		this.timeoutNanos = timeout.toNanos();
	}

	synchronized void start() {
		if (this.timeoutNanos <= 0 || this.sweeper != null) {
			return;
		}
		ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "peergate-xpc-idle-" + this.serving.name());
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(MIN_PERIOD_NANOS, this.timeoutNanos / SWEEPS_PER_TIMEOUT);
		started.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
		this.sweeper = started;
	}

	synchronized void stop() {
		ScheduledExecutorService started = this.sweeper;
		this.sweeper = null;
		if (started != null) {
			started.shutdownNow();
		}
	}

	/** Cancels every session idle for the timeout; a failure must not end the sweeps. */
	void sweep() {
		long now = System.nanoTime();
		for (XpcPeerSession session : List.copyOf(this.serving.sessions())) {
			try {
				if (session.idleFor(now, this.timeoutNanos)) {
					this.serving.events().limitExceeded(this.serving.name(), "idle-timeout");
					session.peer().cancel();
				}
			}
			catch (RuntimeException ex) {
				System.getLogger(XpcIdleConnections.class.getName())
					.log(System.Logger.Level.WARNING, "Peergate listener ''{0}'': idle sweep failed: {1}",
							this.serving.name(), ex.toString());
			}
		}
	}

}
