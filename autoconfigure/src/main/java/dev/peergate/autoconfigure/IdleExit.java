package dev.peergate.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;

import dev.peergate.core.PeerListener;
import dev.peergate.unix.UnixListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * {@code peergate.exit-on-idle}: once no connection has been open for the configured time, the application shuts
 * down gracefully and exits 0; its service manager starts it again at the next connection. Only for an
 * application started on demand: every socket listener must have its socket from systemd (socket activation) or be
 * an XPC listener launchd starts on demand. A listener that bound its own socket would leave nobody to answer
 * after the exit, so it stops the start, naming the property.
 */
final class IdleExit implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(IdleExit.class);

	private final PeergateListeners listeners;

	private final Duration idle;

	private final IntSupplier exit;

	private @Nullable Thread watcher;

	private volatile boolean running;

	/**
	 * @param exit closes the application and answers the exit code (e.g. {@code SpringApplication.exit})
	 */
	IdleExit(PeergateListeners listeners, Duration idle, IntSupplier exit) {
		if (idle.isZero() || idle.isNegative()) {
			throw new ListenerConfigurationException("peergate.exit-on-idle", "is " + idle + ", not a positive duration",
					"Write how long the application may sit without connections before it exits, e.g. 5m");
		}
		this.listeners = listeners;
		this.idle = idle;
		this.exit = exit;
	}

	@Override
	public void start() {
		refuseListenersNobodyRestarts(this.listeners.listeners(), this.idle);
		Thread thread = new Thread(this::watch, "peergate-exit-on-idle");
		thread.setDaemon(true);
		this.watcher = thread;
		this.running = true;
		thread.start();
		logger.info("Peergate exits after " + this.idle + " without connections (peergate.exit-on-idle)");
	}

	/**
	 * Every listener that peers reach from outside must come back on demand: a Unix listener only when systemd
	 * passed its socket, an XPC listener through launchd's MachServices. In-process listeners have no outside peers.
	 */
	static void refuseListenersNobodyRestarts(List<PeerListener> listeners, Duration idle) {
		boolean onDemand = false;
		for (PeerListener listener : listeners) {
			if (listener instanceof UnixListener unix && !unix.isSocketActivated()) {
				throw new ListenerConfigurationException("peergate.exit-on-idle",
						"is " + idle + ", but listener '" + listener.name() + "' bound its own socket at "
								+ listener.address() + ": after the exit nothing would start the application again",
						"Start the application by socket activation (a .socket unit with FileDescriptorName="
								+ listener.name() + " and ListenStream=" + listener.address()
								+ "), or remove peergate.exit-on-idle");
			}
			onDemand |= listener instanceof UnixListener || listener.transport().equals("xpc");
		}
		if (!onDemand) {
			throw new ListenerConfigurationException("peergate.exit-on-idle",
					"is " + idle + ", but no listener is started on demand (socket-activated or by launchd)",
					"Remove peergate.exit-on-idle, or add a socket-activated unix listener");
		}
	}

	private void watch() {
		long step = Math.max(10, Math.min(1000, this.idle.toMillis() / 4));
		long idleSince = System.nanoTime();
		try {
			while (this.running) {
				Thread.sleep(step);
				int open = this.listeners.listeners().stream().mapToInt(PeerListener::activeConnections).sum();
				if (open > 0) {
					idleSince = System.nanoTime();
				}
				else if (System.nanoTime() - idleSince >= this.idle.toNanos()) {
					logger.info("No Peergate connection for " + this.idle + ": shutting down (peergate.exit-on-idle)");
					// not on this thread: closing the context stops this lifecycle, which waits for nobody
					Thread exiting = new Thread(() -> System.exit(this.exit.getAsInt()), "peergate-exit");
					exiting.start();
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			// stopped
		}
	}

	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.watcher;
		if (thread != null && thread != Thread.currentThread()) {
			thread.interrupt();
		}
		this.watcher = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return SystemdNotification.PHASE;
	}

}
