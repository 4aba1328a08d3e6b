package dev.peergate.xpc.jna;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.sun.jna.Pointer;

/**
 * A connection Peergate creates itself (a Mach-service listener or client, an anonymous listener, a client of an
 * anonymous listener's endpoint) on its own serial dispatch queue,
 * with the lifecycle both share: error events are reported (see {@link ConnectionEvents}), the final
 * {@code XPC_ERROR_CONNECTION_INVALID} releases the connection and the queue, and every later native call is
 * refused, because libxpc may already have freed the pointer. The connection is created inactive so that the
 * owner can configure it before {@link #resume()}.
 *
 * <pre>{@code
 * MachServiceConnection connection = new MachServiceConnection(nativeXpc, "dev.peergate.xpc.client.helper",
 *         "com.example.helper", 0L, XpcType.DICTIONARY, message -> ..., event -> ...);
 * connection.resume();
 * }</pre>
 */
final class MachServiceConnection {

	private final XpcNative nativeXpc;

	private final Pointer queue;

	private final Pointer connection;

	private final CountDownLatch invalid = new CountDownLatch(1);

	private final Object lock = new Object();

	private boolean finalized;

	private boolean cancelled;

	/**
	 * Creates the queue and the (inactive) connection and installs its event handler.
	 * @param objectType the type of the objects the connection delivers besides errors
	 * @param objects receives each such object (borrowed: valid only during the call)
	 * @param events error events; {@link XpcEvent#CONNECTION_INVALID} is the last one
	 */
	MachServiceConnection(XpcNative nativeXpc, String queueLabel, String serviceName, long flags, XpcType objectType,
			Consumer<Pointer> objects, Consumer<XpcEvent> events) {
		this(nativeXpc, queueLabel,
				(queue) -> nativeXpc.xpc().xpc_connection_create_mach_service(serviceName, queue, flags), objectType,
				objects, events);
	}

	/**
	 * Creates the queue, then the (inactive) connection with {@code create}, which is given the queue the connection
	 * must deliver on, and installs its event handler.
	 */
	MachServiceConnection(XpcNative nativeXpc, String queueLabel, UnaryOperator<Pointer> create, XpcType objectType,
			Consumer<Pointer> objects, Consumer<XpcEvent> events) {
		this.nativeXpc = nativeXpc;
		LibXpc xpc = nativeXpc.xpc();
		this.queue = nativeXpc.dispatch().dispatch_queue_create(queueLabel, null);
		try {
			this.connection = create.apply(this.queue);
		}
		catch (RuntimeException ex) {
			nativeXpc.dispatch().dispatch_release(this.queue);
			throw ex;
		}
		ConnectionEvents.install(nativeXpc, this.connection, objectType, objects, events, () -> {
			synchronized (this.lock) {
				this.finalized = true;
			}
		}, () -> {
			xpc.xpc_release(this.connection);
			nativeXpc.dispatch().dispatch_release(this.queue);
			this.invalid.countDown();
		});
	}

	/** The connection, for configuration before {@link #resume()}. */
	Pointer connection() {
		return this.connection;
	}

	/** Activates the connection. */
	void resume() {
		this.nativeXpc.xpc().xpc_connection_resume(this.connection);
	}

	/**
	 * Gives up a connection that was never resumed: an inactive connection must not be released, so it is
	 * cancelled and then activated, and libxpc finalizes it.
	 */
	void abandonBeforeResume() {
		synchronized (this.lock) {
			this.cancelled = true;
		}
		this.nativeXpc.xpc().xpc_connection_cancel(this.connection);
		this.nativeXpc.xpc().xpc_connection_resume(this.connection);
	}

	/**
	 * Runs a native operation on the connection unless it was finalized; serialized with the final event, so the
	 * pointer is never used after libxpc may have freed it.
	 * @return whether the operation ran
	 */
	boolean whileOpen(Consumer<Pointer> operation) {
		synchronized (this.lock) {
			if (this.finalized) {
				return false;
			}
			operation.accept(this.connection);
			return true;
		}
	}

	/** Cancels the connection once; its handler then receives the final invalid event. */
	void cancel() {
		synchronized (this.lock) {
			if (this.finalized || this.cancelled) {
				return;
			}
			this.cancelled = true;
			this.nativeXpc.xpc().xpc_connection_cancel(this.connection);
		}
	}

	/** Waits for the final event (after which every native resource of the connection is released). */
	boolean awaitInvalid(Duration timeout) throws InterruptedException {
		return this.invalid.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

}
