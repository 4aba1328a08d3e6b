package dev.peergate.systemd;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.peergate.core.ListenerState;
import dev.peergate.core.PeerListener;
import org.jspecify.annotations.Nullable;

/**
 * Pets systemd's watchdog only while the service can serve: every listener is running and the handler executor
 * runs a probe task within half the period. A helper whose handler threads are all stuck therefore stops sending
 * {@code WATCHDOG=1}, and systemd restarts it ({@code WatchdogSec=}, {@code Restart=on-watchdog}). Each period also
 * refreshes {@code STATUS=} when it changed, naming what is unhealthy; without a watchdog it only does that.
 *
 * <pre>{@code
 * SystemdWatchdog watchdog = new SystemdWatchdog(notifier, listeners, handlerExecutor::execute,
 *         () -> ServiceStatus.describe(listeners, listener -> 0), SystemdNotifier.watchdogInterval(env, pid));
 * watchdog.start(); // READY=1
 * ...
 * watchdog.close(); // before STOPPING=1
 * }</pre>
 */
public final class SystemdWatchdog implements AutoCloseable {

	/** How often the status is refreshed when systemd set no watchdog. */
	public static final Duration STATUS_PERIOD = Duration.ofSeconds(5);

	private static final long PROBE_RETRY_MILLIS = 10;

	private final SystemdNotifier notifier;

	private final List<PeerListener> listeners;

	private final Executor handlers;

	private final Supplier<String> status;

	private final boolean watchdog;

	private final Duration period;

	private final Thread thread;

	private @Nullable CountDownLatch probe;

	private String lastStatus = "";

	/**
	 * @param handlers where handlers run: a probe task goes there each period
	 * @param status the status line while healthy
	 * @param interval how often to send {@code WATCHDOG=1} ({@link SystemdNotifier#watchdogInterval}), empty for
	 * no watchdog
	 */
	public SystemdWatchdog(SystemdNotifier notifier, List<PeerListener> listeners, Executor handlers,
			Supplier<String> status, Optional<Duration> interval) {
		this.notifier = notifier;
		this.listeners = List.copyOf(listeners);
		this.handlers = handlers;
		this.status = status;
		this.watchdog = interval.isPresent();
		this.period = interval.map(value -> (value.toMillis() < 10) ? Duration.ofMillis(10) : value).orElse(STATUS_PERIOD);
		this.thread = new Thread(this::run, "peergate-systemd-watchdog");
		this.thread.setDaemon(true);
	}

	/** Sends {@code READY=1} with the status, then checks every period, the first one period from now. */
	public void start() {
		this.lastStatus = this.status.get();
		this.notifier.ready(this.lastStatus);
		this.thread.start();
	}

	/** Whether {@code WATCHDOG=1} is sent. */
	public boolean petsWatchdog() {
		return this.watchdog;
	}

	private void run() {
		try {
			while (!Thread.currentThread().isInterrupted()) {
				Thread.sleep(this.period.toMillis());
				check();
			}
		}
		catch (InterruptedException ex) {
			// closed
		}
	}

	/** One period: health first, then the watchdog and the status. */
	void check() throws InterruptedException {
		Optional<String> problem = problem();
		if (problem.isEmpty() && this.watchdog) {
			this.notifier.watchdog();
		}
		String line = problem.map(text -> "UNHEALTHY: " + text + (this.watchdog ? " (watchdog withheld)" : ""))
			.orElseGet(this.status);
		if (!line.equals(this.lastStatus)) {
			this.notifier.status(line);
			this.lastStatus = line;
		}
	}

	/** What keeps the service from serving, or empty. */
	Optional<String> problem() throws InterruptedException {
		for (PeerListener listener : this.listeners) {
			if (listener.state() != ListenerState.RUNNING) {
				return Optional.of("listener '" + listener.name() + "' is " + listener.state().tag()
						+ listener.failure().map(reason -> ": " + reason).orElse(""));
			}
		}
		long wait = Math.max(1, this.period.toMillis() / 2);
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
		CountDownLatch pending = this.probe;
		while (pending == null) { // the last probe ran: send another (never more than one waits in the executor)
			CountDownLatch next = new CountDownLatch(1);
			try {
				this.handlers.execute(next::countDown);
				pending = next;
				this.probe = next;
			}
			catch (RejectedExecutionException ex) {
				// at capacity: a busy executor frees a slot soon, a stuck one never does
				if (System.nanoTime() >= deadline) {
					return Optional.of("the handler executor refused tasks for " + wait + " ms (" + ex.getMessage()
							+ ")");
				}
				Thread.sleep(PROBE_RETRY_MILLIS);
			}
		}
		if (!pending.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
			return Optional.of("the handler executor ran no task for " + wait + " ms (every handler thread busy)");
		}
		this.probe = null;
		return Optional.empty();
	}

	/** Stops the checks; no {@code WATCHDOG=1} is sent after this returns. */
	@Override
	public void close() {
		this.thread.interrupt();
		try {
			this.thread.join(this.period.toMillis() + 1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
