package dev.peergate.inprocess;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.Gate;
import dev.peergate.core.ListenerState;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerListener;
import dev.peergate.handler.Dispatcher;

/**
 * A {@link PeerListener} reachable only from this JVM. A connection is opened with credentials the caller states;
 * the listener's {@link Gate} decides about them exactly as for a socket peer, and accepted calls go through the
 * same {@link Dispatcher}.
 *
 * <pre>{@code
 * InProcessListener listener = new InProcessListener("helper", gate, dispatcher);
 * listener.start();
 * try (InProcessConnection connection = listener.connect(PeerCredentials.builder("in-process").uid(1000).build())) {
 *     Map<String, Object> status = connection.call("com.example.helper.Status", Map.of());
 * }
 * }</pre>
 */
public final class InProcessListener implements PeerListener {

	/** Transport name. */
	public static final String TRANSPORT = "in-process";

	private final String name;

	private final Gate gate;

	private final Dispatcher dispatcher;

	private final Set<InProcessConnection> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile ListenerState state = ListenerState.NEW;

	/** A listener with the given name, gate and dispatcher. */
	public InProcessListener(String name, Gate gate, Dispatcher dispatcher) {
		this.name = Objects.requireNonNull(name, "'name' must not be null");
		this.gate = Objects.requireNonNull(gate, "'gate' must not be null");
		this.dispatcher = Objects.requireNonNull(dispatcher, "'dispatcher' must not be null");
	}

	/**
	 * Opens a connection as the peer the credentials describe. The gate decides at once; a refused connection
	 * answers every call with {@code org.varlink.service.PermissionDenied}.
	 * @throws IllegalStateException when the listener is not running
	 */
	public InProcessConnection connect(PeerCredentials credentials) {
		if (this.state != ListenerState.RUNNING) {
			throw new IllegalStateException("Listener '" + this.name + "' is " + this.state.tag());
		}
		InProcessConnection connection = new InProcessConnection(this, this.gate.admit(credentials), credentials);
		if (connection.verdict().accepted()) {
			this.connections.add(connection);
		}
		return connection;
	}

	Dispatcher dispatcher() {
		return this.dispatcher;
	}

	boolean accepting() {
		return this.state == ListenerState.RUNNING;
	}

	void callStarted() {
		this.inFlight.incrementAndGet();
	}

	void callEnded() {
		synchronized (this.inFlight) {
			if (this.inFlight.decrementAndGet() == 0) {
				this.inFlight.notifyAll();
			}
		}
	}

	void closed(InProcessConnection connection) {
		this.connections.remove(connection);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String transport() {
		return TRANSPORT;
	}

	@Override
	public String address() {
		return "in-process:" + this.name;
	}

	@Override
	public Gate gate() {
		return this.gate;
	}

	@Override
	public ListenerState state() {
		return this.state;
	}

	@Override
	public int activeConnections() {
		return this.connections.size();
	}

	@Override
	public void start() {
		this.state = ListenerState.RUNNING;
	}

	@Override
	public void stop(Duration drainTimeout) {
		if (this.state != ListenerState.RUNNING) {
			return;
		}
		this.state = ListenerState.STOPPING;
		long deadline = System.nanoTime() + drainTimeout.toNanos();
		synchronized (this.inFlight) {
			long remaining;
			while (this.inFlight.get() > 0 && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.inFlight, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		for (InProcessConnection connection : Set.copyOf(this.connections)) {
			connection.close();
		}
		this.state = ListenerState.STOPPED;
	}

	@Override
	public String toString() {
		return "InProcessListener[" + this.name + ", " + this.state.tag() + "]";
	}

}
