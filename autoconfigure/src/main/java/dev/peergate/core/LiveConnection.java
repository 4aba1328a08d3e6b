package dev.peergate.core;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * An accepted connection in its listener's inventory: registered by the transport when the gate accepts it
 * ({@link ListenerLifecycle#connectionAccepted}), removed when it closes. The transport counts the connection's
 * calls here (they count for the listener too); nothing here takes a lock, so that reading the inventory never
 * holds up a connection.
 *
 * <pre>{@code
 * LiveConnection live = lifecycle.connectionAccepted(verdict.peer(), null, session::disconnect);
 * live.callStarted();   // a call is dispatched
 * live.callsEnded(1);   // it got its final reply
 * lifecycle.acceptedConnectionClosed(live);
 * }</pre>
 */
public final class LiveConnection {

	/**
	 * Byte counts a transport keeps for a connection, read from any thread.
	 *
	 * <pre>{@code
	 * LiveConnection.Bytes bytes = new LiveConnection.Bytes() {
	 *     public long read() { return counter.read; }
	 *     public long written() { return counter.written; }
	 * };
	 * }</pre>
	 */
	public interface Bytes {

		/** Bytes read from the peer. */
		long read();

		/** Bytes written to the peer. */
		long written();

	}

	private final String id;

	private final Peer peer;

	private final Instant since = Instant.now();

	private final @Nullable Bytes bytes;

	private final Runnable disconnect;

	private final ListenerLifecycle lifecycle;

	private final LongAdder served = new LongAdder();

	private final AtomicInteger inFlight = new AtomicInteger();

	LiveConnection(String id, Peer peer, @Nullable Bytes bytes, Runnable disconnect, ListenerLifecycle lifecycle) {
		this.id = id;
		this.peer = peer;
		this.bytes = bytes;
		this.disconnect = disconnect;
		this.lifecycle = lifecycle;
	}

	/** The connection's id within its listener. */
	public String id() {
		return this.id;
	}

	/** A call of this connection was taken in; it counts until {@link #callsEnded}, here and for the listener. */
	public void callStarted() {
		this.inFlight.incrementAndGet();
		this.lifecycle.callStarted();
	}

	/** Calls of this connection ended: got their final reply, or were cut short. */
	public void callsEnded(int count) {
		if (count == 0) {
			return;
		}
		this.inFlight.addAndGet(-count);
		this.served.add(count);
		this.lifecycle.callsEnded(count);
	}

	/** What the connection looks like now. */
	public ConnectionInfo snapshot() {
		Bytes counts = this.bytes;
		return new ConnectionInfo(this.id, this.peer, this.since, this.served.sum(), Math.max(0, this.inFlight.get()),
				(counts != null) ? counts.read() : null, (counts != null) ? counts.written() : null);
	}

	/** Lets the transport answer the calls in flight {@code dev.peergate.Disconnected} and close the connection. */
	void disconnect() {
		this.disconnect.run();
	}

	@Override
	public String toString() {
		return "connection " + this.id + " " + this.peer.summary();
	}

}
