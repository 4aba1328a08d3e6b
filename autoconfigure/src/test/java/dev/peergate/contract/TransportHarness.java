package dev.peergate.contract;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.peergate.core.PeerListener;
import dev.peergate.handler.Dispatcher;

/** One transport under the contract: a listener accepting the harness's own clients, and those clients. */
interface TransportHarness extends AutoCloseable {

	/** Transport name, for the test's display name. */
	String transport();

	/** A listener named {@code name} that accepts this harness's clients, not started. */
	PeerListener create(String name, Dispatcher dispatcher) throws Exception;

	/** Whether the transport counts a connection's bytes (the connection inventory shows them). */
	default boolean countsBytes() {
		return false;
	}

	/** A client of the listener {@link #create} made; the listener must be running. */
	Client connect();

	@Override
	default void close() {
	}

	/** A connected client. */
	interface Client extends AutoCloseable {

		/** Calls a method; the future completes with the reply's parameters or fails with the error reply. */
		CompletableFuture<Map<String, Object>> call(String method, Map<String, ?> parameters);

		@Override
		void close();

	}

}
