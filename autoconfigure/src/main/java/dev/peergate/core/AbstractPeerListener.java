package dev.peergate.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The part of a {@link PeerListener} every transport shares: its name and gate, and the state, counters, drain,
 * connection inventory and failure of its {@link ListenerLifecycle}. A transport adds where peers connect and how
 * its endpoint opens.
 *
 * <pre>{@code
 * final class PipeListener extends AbstractPeerListener {
 *     PipeListener(String name, Gate gate) { super(name, gate); }
 *     public String transport() { return "pipe"; }
 *     public String address() { return "pipe:" + name(); }
 *     public void start() throws Exception { lifecycle().start(new PipeEndpoint(this)); }
 * }
 * }</pre>
 */
public abstract class AbstractPeerListener implements PeerListener {

	private final String name;

	private final Gate gate;

	private final ListenerLifecycle lifecycle;

	/** A listener named {@code name} deciding with {@code gate}, {@link ListenerState#NEW}. */
	protected AbstractPeerListener(String name, Gate gate) {
		this.name = Objects.requireNonNull(name, "'name' must not be null");
		this.gate = Objects.requireNonNull(gate, "'gate' must not be null");
		this.lifecycle = new ListenerLifecycle(name);
	}

	/** The lifecycle the transport opens its endpoint with and counts calls and connections through. */
	protected final ListenerLifecycle lifecycle() {
		return this.lifecycle;
	}

	/**
	 * Starts with an endpoint whose {@code open} throws only unchecked exceptions, for transports whose
	 * {@link #start()} declares none.
	 */
	protected final void startUnchecked(ListenerLifecycle.Endpoint endpoint) {
		try {
			this.lifecycle.start(endpoint);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Listener '" + this.name + "' could not start", ex);
		}
	}

	@Override
	public final String name() {
		return this.name;
	}

	@Override
	public final Gate gate() {
		return this.gate;
	}

	@Override
	public final ListenerState state() {
		return this.lifecycle.state();
	}

	@Override
	public final Optional<String> failure() {
		return this.lifecycle.failure();
	}

	@Override
	public final void whenFailed(Consumer<String> callback) {
		this.lifecycle.whenFailed(callback);
	}

	@Override
	public final int activeConnections() {
		return this.lifecycle.activeConnections();
	}

	@Override
	public final List<ConnectionInfo> connections() {
		return this.lifecycle.connections();
	}

	@Override
	public final boolean disconnect(String id) {
		return this.lifecycle.disconnect(id);
	}

	/** Calls of all connections awaiting their final reply. */
	public final int callsInFlight() {
		return this.lifecycle.callsInFlight();
	}

	/**
	 * Stops accepting, lets calls in flight finish for up to the drain timeout while every call that arrives
	 * meanwhile is answered {@code dev.peergate.ShuttingDown} at once, then answers each call still in flight the
	 * same way and closes every connection once its replies are written (or after a grace, for a peer that does
	 * not read them).
	 */
	@Override
	public final void stop(Duration drainTimeout) {
		this.lifecycle.stop(drainTimeout);
	}

	@Override
	public final Optional<DrainSummary> lastDrain() {
		return this.lifecycle.lastDrain();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "{" + this.name + " " + address() + " " + state().tag() + "}";
	}

}
