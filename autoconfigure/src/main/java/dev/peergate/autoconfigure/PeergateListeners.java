package dev.peergate.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.peergate.core.DrainSummary;
import dev.peergate.core.ListenerState;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerListener;
import dev.peergate.event.ListenerFailedEvent;
import dev.peergate.event.ListenerStartedEvent;
import dev.peergate.event.ListenerStoppedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops every configured {@link PeerListener} with the application context.
 * <p>
 * Phase {@value #PHASE}: listeners start after the web server and the rest of the application (so handlers are
 * ready before the first peer arrives) and stop first, before the web server's graceful shutdown; on stop each
 * listener stops accepting, then drains calls in flight for up to {@code peergate.shutdown.drain-timeout}. A
 * listener that cannot start fails the application: Peergate fails closed.
 *
 * <pre>{@code
 * @Autowired
 * PeergateListeners peergateListeners;
 *
 * for (PeerListener listener : peergateListeners.listeners()) {
 *     System.out.println(listener.name() + " " + listener.transport() + ":" + listener.address());
 * }
 * }</pre>
 */
public final class PeergateListeners implements SmartLifecycle {

	/** Lifecycle phase: {@code SmartLifecycle.DEFAULT_PHASE - 512}. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Log logger = LogFactory.getLog(PeergateListeners.class);

	private final List<PeerListener> listeners;

	private final ApplicationEventPublisher publisher;

	private final Duration drainTimeout;

	private final BooleanSupplier enabled;

	private volatile boolean running;

	PeergateListeners(List<PeerListener> listeners, ApplicationEventPublisher publisher, BooleanSupplier enabled,
			Duration drainTimeout) {
		this.listeners = List.copyOf(listeners);
		this.publisher = publisher;
		this.enabled = enabled;
		this.drainTimeout = drainTimeout;
	}

	/** Every configured listener, in configuration order. */
	public List<PeerListener> listeners() {
		return this.listeners;
	}

	/** One listener by name. */
	public Optional<PeerListener> listener(String name) {
		return this.listeners.stream().filter(listener -> listener.name().equals(name)).findFirst();
	}

	@Override
	public void start() {
		if (!this.enabled.getAsBoolean()) {
			// only reachable in an application processed ahead of time, where conditions were decided at build time
			logger.warn("peergate.enabled is false: " + this.listeners.size() + " Peergate listener(s) configured when "
					+ "the application was processed ahead of time are not started");
			return;
		}
		List<PeerListener> started = new ArrayList<>();
		for (PeerListener listener : this.listeners) {
			// Registered before start: libxpc may invalidate a listener before start() has even returned.
			listener.whenFailed(reason -> this.publisher
				.publishEvent(new ListenerFailedEvent(listener, new IllegalStateException(reason))));
			try {
				listener.start();
			}
			catch (Exception ex) {
				this.publisher.publishEvent(new ListenerFailedEvent(listener, ex));
				stopAll(started, Duration.ZERO);
				throw startFailure(listener, ex);
			}
			started.add(listener);
			logStarted(listener);
			this.publisher.publishEvent(new ListenerStartedEvent(listener));
		}
		this.running = true;
	}

	/**
	 * A listener that cannot start names its address property, what went wrong and what to check, through the
	 * failure analyzer like any configuration error.
	 */
	private static ListenerConfigurationException startFailure(PeerListener listener, Exception ex) {
		String base = "peergate.listeners." + listener.name();
		String problem = "could not start on " + listener.address() + ": "
				+ ((ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName());
		ListenerConfigurationException failure = switch (listener.transport()) {
			case "unix" -> new ListenerConfigurationException(base + ".unix.path", problem,
					"Use a path whose directory exists or can be created, is a directory owned by this user and not "
							+ "writable by others (or has the sticky bit), and where no other process listens");
			case "xpc" -> new ListenerConfigurationException(base + ".xpc.service-name", problem,
					"Declare the service name under MachServices in this process's launchd plist (see /actuator/launchd)");
			default -> new ListenerConfigurationException(base + ".transport", problem,
					"See the cause below; the listener's configuration is in peergate.listeners." + listener.name());
		};
		failure.initCause(ex);
		return failure;
	}

	private void logStarted(PeerListener listener) {
		Mechanism mechanism = listener.gate().mechanism();
		if (mechanism == Mechanism.NONE) {
			logger.warn("Peergate listener '" + listener.name() + "' on " + listener.transport() + ":"
					+ listener.address() + " accepts ANY local peer (requirement.allow-any-peer: true)");
			return;
		}
		if (listener.gate().audit()) {
			logger.warn("Peergate listener '" + listener.name() + "' on " + listener.transport() + ":"
					+ listener.address() + " is in AUDIT mode (enforcement: audit): peers its requirement refuses are "
					+ "SERVED and recorded as would-reject; requirement " + listener.gate().requirement().describe());
			return;
		}
		logger.info("Peergate listener '" + listener.name() + "' on " + listener.transport() + ":" + listener.address()
				+ ", mechanism " + mechanism.tag() + (mechanism.enforcedByOs() ? " (enforced by the OS)" : "")
				+ ", requirement " + listener.gate().requirement().describe());
	}

	@Override
	public void stop() {
		stopAll(this.listeners.stream().filter(listener -> listener.state() == ListenerState.RUNNING).toList(),
				this.drainTimeout);
		for (PeerListener listener : this.listeners) {
			if (listener.state() == ListenerState.FAILED) {
				listener.stop(Duration.ZERO); // releases what outlived the failure; the state keeps saying why
			}
		}
		this.running = false;
	}

	/**
	 * Stops the listeners in parallel: all stop accepting at once and drain under one deadline, so shutdown takes
	 * at most one drain timeout however many listeners there are.
	 */
	private void stopAll(List<PeerListener> listeners, Duration drainTimeout) {
		List<Thread> stopping = new ArrayList<>();
		for (PeerListener listener : listeners) {
			Thread thread = new Thread(() -> {
				try {
					listener.stop(drainTimeout);
				}
				catch (RuntimeException ex) {
					logger.warn("Peergate listener '" + listener.name() + "' did not stop cleanly", ex);
				}
			}, "peergate-stop-" + listener.name());
			thread.start();
			stopping.add(thread);
		}
		for (Thread thread : stopping) {
			joinUninterruptibly(thread);
		}
		for (PeerListener listener : listeners) {
			listener.lastDrain().ifPresent(drain -> logDrain(listener, drain));
			this.publisher.publishEvent(new ListenerStoppedEvent(listener));
		}
	}

	/**
	 * Logged here, through the application's logging system, rather than by the listener: the JDK's own logging
	 * (which the engine writes to) shuts down in a JVM shutdown hook of its own, in parallel with the application's.
	 */
	private static void logDrain(PeerListener listener, DrainSummary drain) {
		String line = "Peergate listener '" + listener.name() + "' stopped: " + drain.describe();
		if (drain.callsCut() > 0) {
			logger.warn(line);
		}
		else {
			logger.info(line);
		}
	}

	private static void joinUninterruptibly(Thread thread) {
		boolean interrupted = false;
		while (thread.isAlive()) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Listeners keep serving while their context is paused (the test framework pauses cached contexts between
	 * test classes): a listener is started once and stopped once, and its peers' connections would not survive a
	 * stop anyway. The context's close stops them.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

}
