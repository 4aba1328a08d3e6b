package dev.peergate.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import dev.peergate.core.PeerListener;
import dev.peergate.systemd.ServiceStatus;
import dev.peergate.systemd.SystemdNotifier;
import dev.peergate.systemd.SystemdWatchdog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * systemd notifications around the listeners' life: one phase after {@link PeergateListeners}, so {@code READY=1}
 * goes out once every listener serves and {@code STOPPING=1} before they stop accepting and drain.
 */
final class SystemdNotification implements SmartLifecycle {

	/** Starts after the listeners, stops before them. */
	static final int PHASE = PeergateListeners.PHASE + 1;

	private static final Log logger = LogFactory.getLog(SystemdNotification.class);

	private final PeergateListeners listeners;

	private final Executor handlers;

	private final ToLongFunction<PeerListener> refusals;

	private final Map<String, String> environment;

	private final long pid;

	private @Nullable SystemdNotifier notifier;

	private @Nullable SystemdWatchdog watchdog;

	private volatile boolean running;

	SystemdNotification(PeergateListeners listeners, Executor handlers, ToLongFunction<PeerListener> refusals,
			Map<String, String> environment, long pid) {
		this.listeners = listeners;
		this.handlers = handlers;
		this.refusals = refusals;
		this.environment = environment;
		this.pid = pid;
	}

	@Override
	public void start() {
		SystemdNotifier systemd;
		try {
			systemd = SystemdNotifier.fromEnvironment(this.environment, this.pid).orElse(null);
		}
		catch (IllegalStateException ex) {
			throw unusable(ex);
		}
		this.running = true;
		if (systemd == null) {
			return; // not started by systemd with Type=notify: WATCHDOG_* are not ours either
		}
		Optional<Duration> interval;
		try {
			interval = SystemdNotifier.watchdogInterval(this.environment, this.pid);
		}
		catch (IllegalStateException ex) {
			systemd.close();
			throw unusable(ex);
		}
		List<PeerListener> all = this.listeners.listeners();
		Supplier<String> status = () -> ServiceStatus.describe(all, this.refusals);
		this.notifier = systemd;
		this.watchdog = new SystemdWatchdog(systemd, all, this.handlers, status, interval);
		this.watchdog.start();
		logger.info("Notified systemd at " + systemd.address().text() + " that Peergate is ready"
				+ interval.map(every -> "; WATCHDOG=1 every " + every.toMillis() + " ms while healthy").orElse(""));
	}

	/**
	 * The environment systemd gave cannot be honoured: the start stops (systemd would wait for a {@code READY=1} or
	 * a {@code WATCHDOG=1} that never comes), naming the property that turns notifications off.
	 */
	static ListenerConfigurationException unusable(IllegalStateException ex) {
		ListenerConfigurationException failure = new ListenerConfigurationException("peergate.systemd.notify.enabled",
				ex.getMessage(), "Start the service from a systemd unit with Type=notify (systemd sets NOTIFY_SOCKET and "
						+ "WATCHDOG_USEC), or set peergate.systemd.notify.enabled=false");
		failure.initCause(ex);
		return failure;
	}

	@Override
	public void stop() {
		SystemdWatchdog pets = this.watchdog;
		if (pets != null) {
			pets.close();
			this.watchdog = null;
		}
		SystemdNotifier systemd = this.notifier;
		if (systemd != null) {
			systemd.stopping("stopping: " + ServiceStatus.describe(this.listeners.listeners(), this.refusals));
			systemd.close();
			this.notifier = null;
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
