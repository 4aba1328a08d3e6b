package dev.peergate.core;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The lifecycle every transport shares: one state machine, one drain, the inventory of live connections, the call
 * counters and the failure callback. A transport supplies only what is its own, as an {@link Endpoint}: open and close its endpoint,
 * cut its connections short.
 * <p>
 * States: {@code NEW → STARTING → RUNNING → STOPPING → STOPPED}; {@code FAILED} from {@code STARTING} (the endpoint
 * could not open) or from {@code RUNNING} ({@link #fail}). {@link #start} from any state but {@code NEW} throws;
 * {@link #stop} from {@code NEW} goes straight to {@code STOPPED}, is a no-op while stopping or stopped, and from
 * {@code FAILED} releases what the endpoint still holds while the state stays {@code FAILED}, so that health keeps
 * showing why. Peers are served while {@link #accepting()}: from the moment the endpoint opens (a peer may connect
 * before {@code start} returns) until the stop begins.
 *
 * <pre>{@code
 * ListenerLifecycle lifecycle = new ListenerLifecycle("helper");
 * lifecycle.start(endpoint);                   // endpoint.open()
 * LiveConnection live = lifecycle.connectionAccepted(peer, null, connection::disconnect); // at the verdict
 * live.callStarted(); ... live.callsEnded(1);           // from the transport, per call
 * lifecycle.acceptedConnectionClosed(live);           // when it closes
 * lifecycle.stop(Duration.ofSeconds(10));      // stopAccepting, drain, cutCalls, release
 * lifecycle.lastDrain().ifPresent(drain -> log.info(drain.describe()));
 * }</pre>
 */
public final class ListenerLifecycle {

	/** What a transport does at each step of the lifecycle. */
	public interface Endpoint {

		/** Binds or adopts the endpoint and starts serving peers; may throw to fail the start. Nothing by default. */
		default void open() throws Exception {
		}

		/** Stops accepting new peers; connections already open stay. Nothing by default. */
		default void stopAccepting() {
		}

		/**
		 * Ends the drain: answers every call still in flight {@code dev.peergate.ShuttingDown} and closes every connection
		 * once its final replies are written, waiting for that at most until {@code deadline} ({@link System#nanoTime}).
		 * Nothing by default.
		 */
		default void cutCalls(long deadline) {
		}

		/**
		 * Releases everything the endpoint holds; after a failed start, at the end of a stop. Idempotent. Nothing by
		 * default.
		 */
		default void release() {
		}

		/** Connections open now, accepted or not yet verified. */
		int openConnections();

	}

	/** How long, after the drain, final replies have to reach peers before their connections close anyway. */
	public static final Duration FINAL_REPLIES_GRACE = Duration.ofSeconds(1);

	private final String listener;

	private volatile Endpoint endpoint = NOTHING;

	/** The endpoint before {@link #start}: nothing to open or release. */
	private static final Endpoint NOTHING = () -> 0;

	/** Accepted connections open now, by id: written at accept and close, read by the inventory without a lock. */
	private final Map<String, LiveConnection> live = new ConcurrentHashMap<>();

	private final AtomicLong connectionIds = new AtomicLong();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger refusedWhileStopping = new AtomicInteger();

	/** Guards the state changes and the drain's wait for calls in flight. */
	private final Object lock = new Object();

	private volatile ListenerState state = ListenerState.NEW;

	private volatile @Nullable String failure;

	private volatile Consumer<String> whenFailed = (reason) -> {
	};

	private volatile @Nullable DrainSummary lastDrain;

	/** The lifecycle of listener {@code listener}, {@code NEW}. */
	public ListenerLifecycle(String listener) {
		this.listener = Objects.requireNonNull(listener, "'listener' must not be null");
	}

	/** Current state. */
	public ListenerState state() {
		return this.state;
	}

	/** Whether peers and their calls are served: the endpoint is opening or open, and no stop has begun. */
	public boolean accepting() {
		ListenerState current = this.state;
		return current == ListenerState.RUNNING || current == ListenerState.STARTING;
	}

	/**
	 * Opens the endpoint: {@code NEW → STARTING → RUNNING}, or {@code FAILED} (the endpoint released) and the
	 * exception rethrown. Later steps ({@link #stop}) act on this endpoint.
	 * @throws IllegalStateException when the listener is not new
	 */
	public void start(Endpoint endpoint) throws Exception {
		Objects.requireNonNull(endpoint, "'endpoint' must not be null");
		synchronized (this.lock) {
			if (this.state != ListenerState.NEW) {
				throw new IllegalStateException(
						"Listener '" + this.listener + "' is " + this.state.tag() + ", not new");
			}
			this.state = ListenerState.STARTING;
			this.endpoint = endpoint;
		}
		try {
			this.endpoint.open();
		}
		catch (Exception | Error ex) {
			this.failure = (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
			synchronized (this.lock) {
				this.state = ListenerState.FAILED;
			}
			this.endpoint.release();
			throw ex;
		}
		synchronized (this.lock) {
			if (this.state == ListenerState.STARTING) {
				this.state = ListenerState.RUNNING;
			}
		}
	}

	/**
	 * The endpoint failed while running (for example libxpc invalidated it): {@code FAILED} with the reason, and
	 * the {@link #whenFailed} callback called once. Ignored unless starting or running.
	 */
	public void fail(String reason) {
		synchronized (this.lock) {
			if (!accepting()) {
				return;
			}
			this.failure = reason;
			this.state = ListenerState.FAILED;
		}
		this.whenFailed.accept(reason);
	}

	/** Why the listener is {@code FAILED}, or empty. */
	public Optional<String> failure() {
		return (this.state == ListenerState.FAILED) ? Optional.ofNullable(this.failure) : Optional.empty();
	}

	/** Registers what to do when the listener fails after it started. */
	public void whenFailed(Consumer<String> callback) {
		this.whenFailed = Objects.requireNonNull(callback, "'callback' must not be null");
	}

	/**
	 * Stops accepting, lets calls in flight finish for up to {@code drainTimeout} while calls that arrive meanwhile
	 * are refused by the transport ({@link #refusedWhileStopping()}), then lets the endpoint cut the rest short and
	 * releases it. Returns when every connection is closed or the final replies' grace ran out.
	 */
	public void stop(Duration drainTimeout) {
		ListenerState from;
		synchronized (this.lock) {
			from = this.state;
			if (from == ListenerState.NEW) {
				this.state = ListenerState.STOPPED;
				return;
			}
			if (from == ListenerState.FAILED) {
				this.endpoint.release(); // what survived the failure; the state keeps saying why
				return;
			}
			if (from != ListenerState.RUNNING) {
				return; // starting (another thread), stopping or stopped
			}
			this.state = ListenerState.STOPPING;
		}
		long started = System.nanoTime();
		int connections = this.endpoint.openConnections();
		int calls = this.inFlight.get();
		this.endpoint.stopAccepting();
		awaitCalls(started + drainTimeout.toNanos());
		int cut = this.inFlight.get();
		this.endpoint.cutCalls(System.nanoTime() + FINAL_REPLIES_GRACE.toNanos());
		this.endpoint.release();
		this.lastDrain = new DrainSummary(connections, calls, cut, this.refusedWhileStopping.get(),
				Duration.ofNanos(System.nanoTime() - started));
		synchronized (this.lock) {
			this.state = ListenerState.STOPPED;
		}
	}

	private void awaitCalls(long deadline) {
		synchronized (this.lock) {
			long remaining;
			while (this.inFlight.get() > 0 && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/** How the last stop went, once it has returned. */
	public Optional<DrainSummary> lastDrain() {
		return Optional.ofNullable(this.lastDrain);
	}

	/** A call was taken in; it counts until {@link #callEnded()}. */
	public void callStarted() {
		this.inFlight.incrementAndGet();
	}

	/** A call got its final reply, or was cut short. */
	public void callEnded() {
		callsEnded(1);
	}

	/** Calls that ended together (a connection closed with {@code count} calls in flight). */
	public void callsEnded(int count) {
		if (count == 0) {
			return;
		}
		if (this.inFlight.addAndGet(-count) == 0 && this.state == ListenerState.STOPPING) {
			synchronized (this.lock) {
				this.lock.notifyAll();
			}
		}
	}

	/** Calls of all connections awaiting their final reply. */
	public int callsInFlight() {
		return this.inFlight.get();
	}

	/** A call arrived while stopping and was answered {@code dev.peergate.ShuttingDown}. */
	public void refusedWhileStopping() {
		this.refusedWhileStopping.incrementAndGet();
	}

	/**
	 * A connection was accepted by the gate: it joins the inventory under a new id. {@code disconnect} answers the
	 * connection's calls in flight {@code dev.peergate.Disconnected}, then closes it (any thread; it may return
	 * before the connection is closed). {@code bytes} is {@code null} when the transport does not count them.
	 */
	public LiveConnection connectionAccepted(Peer peer, LiveConnection.@Nullable Bytes bytes, Runnable disconnect) {
		LiveConnection connection = new LiveConnection(Long.toString(this.connectionIds.incrementAndGet()), peer,
				bytes, disconnect, this);
		this.live.put(connection.id(), connection);
		return connection;
	}

	/** An accepted connection closed: it leaves the inventory. Idempotent. */
	public void acceptedConnectionClosed(LiveConnection connection) {
		this.live.remove(connection.id(), connection);
	}

	/** Accepted connections open now. */
	public int activeConnections() {
		return this.live.size();
	}

	/** The accepted connections open now, oldest first. */
	public List<ConnectionInfo> connections() {
		return this.live.values()
			.stream()
			.map(LiveConnection::snapshot)
			.sorted(Comparator.comparingLong((ConnectionInfo info) -> Long.parseLong(info.id())))
			.toList();
	}

	/**
	 * Disconnects the accepted connection {@code id}: its calls in flight are answered
	 * {@code dev.peergate.Disconnected}, then it closes. Returns at once; {@code false} when no such connection is
	 * open.
	 */
	public boolean disconnect(String id) {
		LiveConnection connection = this.live.get(id);
		if (connection == null) {
			return false;
		}
		connection.disconnect();
		return true;
	}

	@Override
	public String toString() {
		return this.listener + " " + this.state.tag();
	}

}
