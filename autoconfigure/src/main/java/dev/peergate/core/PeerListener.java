package dev.peergate.core;

import java.time.Duration;

/**
 * The lifecycle SPI every transport implements: a listener accepts peers on one address, gates each through its
 * {@link Gate} and serves accepted peers' calls.
 * <p>
 * {@link #start()} either leaves the listener {@link ListenerState#RUNNING} or throws and leaves it
 * {@link ListenerState#FAILED}. {@link #stop(Duration)} stops accepting at once, lets calls in flight finish for up
 * to the drain timeout, then closes every connection.
 *
 * <pre>{@code
 * PeerListener helper = peergateListeners.listener("helper").orElseThrow();
 * log.info("{} on {}:{} is {}, {} connections", helper.name(), helper.transport(), helper.address(),
 *         helper.state().tag(), helper.activeConnections());
 * }</pre>
 */
public interface PeerListener {

	/** Listener name from the configuration. */
	String name();

	/** Transport name: {@code unix}, {@code xpc} or {@code in-process}. */
	String transport();

	/** Where peers connect: a socket path, a Mach service name, an in-process name. */
	String address();

	/** The gate deciding about peers. */
	Gate gate();

	/** Current state. */
	ListenerState state();

	/**
	 * Why the listener is {@link ListenerState#FAILED}, in words an operator can act on (shown in health details),
	 * or empty.
	 */
	default java.util.Optional<String> failure() {
		return java.util.Optional.empty();
	}

	/**
	 * Registers what to do when the listener fails after it started (for example libxpc invalidates an XPC listener
	 * whose Mach service launchd does not declare): called once, with {@link #failure()}'s text. Transports that
	 * cannot fail after starting ignore it.
	 *
	 * <pre>{@code
	 * listener.whenFailed(reason -> log.error("listener {} failed: {}", listener.name(), reason));
	 * }</pre>
	 */
	default void whenFailed(java.util.function.Consumer<String> callback) {
	}

	/** Connections currently open and accepted. */
	int activeConnections();

	/**
	 * The accepted connections open now, oldest first: an immutable snapshot, read without holding up any
	 * connection. Empty for a transport that keeps no inventory.
	 *
	 * <pre>{@code
	 * listener.connections().forEach(connection -> log.info("{}: {}, {} calls in flight", connection.id(),
	 *         connection.peer().summary(), connection.callsInFlight()));
	 * }</pre>
	 */
	default java.util.List<ConnectionInfo> connections() {
		return java.util.List.of();
	}

	/**
	 * Disconnects one accepted connection: each of its calls in flight is answered
	 * {@code dev.peergate.Disconnected} (the handler's later replies are dropped), then the connection closes once
	 * those replies are written, or after {@link ListenerLifecycle#FINAL_REPLIES_GRACE} for a peer that does not read
	 * them. Returns at once; the other connections are not affected.
	 *
	 * <pre>{@code
	 * boolean found = listener.disconnect("17"); // an id from connections()
	 * }</pre>
	 * @return whether a connection with that id was open
	 */
	default boolean disconnect(String id) {
		return false;
	}

	/** Starts accepting peers. */
	void start() throws Exception;

	/** Stops accepting peers, drains in-flight calls for up to {@code drainTimeout}, closes connections. */
	void stop(Duration drainTimeout);

	/**
	 * How the last {@link #stop(Duration)} went, once it has returned; empty before, or for transports that do not
	 * count. The Spring layer logs it: the engine's own log may already be shut down while the application stops.
	 */
	default java.util.Optional<DrainSummary> lastDrain() {
		return java.util.Optional.empty();
	}

}
