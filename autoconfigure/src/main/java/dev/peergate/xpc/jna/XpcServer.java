package dev.peergate.xpc.jna;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.sun.jna.Pointer;

/**
 * A Mach-service listener connection: {@code xpc_connection_create_mach_service(name, queue,
 * XPC_CONNECTION_MACH_SERVICE_LISTENER)} on a private serial dispatch queue. New peers arrive as
 * {@link XpcPeerConnection}s on a native thread; the consumer must {@link XpcPeerConnection#start start} or
 * {@link XpcPeerConnection#refuseBeforeStart refuse} each one before returning.
 *
 * <pre>{@code
 * XpcServer server = XpcServer.listen(nativeXpc, "com.example.helper", peer -> ..., event -> ...);
 * server.cancel();
 * server.awaitInvalid(Duration.ofSeconds(5));
 * }</pre>
 */
public final class XpcServer {

	/** {@code XPC_CONNECTION_MACH_SERVICE_LISTENER}. */
	public static final long MACH_SERVICE_LISTENER = 1L;

	/** {@code XPC_CONNECTION_MACH_SERVICE_PRIVILEGED}. */
	public static final long MACH_SERVICE_PRIVILEGED = 1L << 1;

	private final XpcNative nativeXpc;

	private final Pointer queue;

	private final Pointer listener;

	private final CountDownLatch invalid = new CountDownLatch(1);

	private final Object lock = new Object();

	private boolean finalized;

	private boolean cancelled;

	private XpcServer(XpcNative nativeXpc, String serviceName, Consumer<XpcPeerConnection> peers,
			Consumer<XpcEvent> events) {
		this.nativeXpc = nativeXpc;
		LibXpc xpc = nativeXpc.xpc();
		this.queue = nativeXpc.dispatch().dispatch_queue_create("dev.peergate.xpc." + serviceName, null);
		this.listener = xpc.xpc_connection_create_mach_service(serviceName, this.queue, MACH_SERVICE_LISTENER);
		Blocks.Block handler = nativeXpc.blocks().handler((event) -> {
			XpcType type = nativeXpc.constants().type(xpc.xpc_get_type(event));
			if (type == XpcType.CONNECTION) {
				peers.accept(new XpcPeerConnection(nativeXpc, event));
				return;
			}
			XpcEvent kind = classify(nativeXpc, event);
			if (kind == XpcEvent.CONNECTION_INVALID) {
				synchronized (this.lock) {
					this.finalized = true;
				}
			}
			try {
				events.accept(kind);
			}
			finally {
				if (kind == XpcEvent.CONNECTION_INVALID) {
					xpc.xpc_release(this.listener);
					nativeXpc.dispatch().dispatch_release(this.queue);
					this.invalid.countDown();
				}
			}
		});
		try {
			xpc.xpc_connection_set_event_handler(this.listener, handler.literal());
		}
		finally {
			handler.handedOver();
		}
		xpc.xpc_connection_resume(this.listener);
	}

	/** Creates, configures and activates the listener. */
	public static XpcServer listen(XpcNative nativeXpc, String serviceName, Consumer<XpcPeerConnection> peers,
			Consumer<XpcEvent> events) {
		return new XpcServer(nativeXpc, serviceName, peers, events);
	}

	static XpcEvent classify(XpcNative nativeXpc, Pointer event) {
		XpcConstants constants = nativeXpc.constants();
		if (event.equals(constants.connectionInvalid())) {
			return XpcEvent.CONNECTION_INVALID;
		}
		if (event.equals(constants.connectionInterrupted())) {
			return XpcEvent.CONNECTION_INTERRUPTED;
		}
		if (event.equals(constants.terminationImminent())) {
			return XpcEvent.TERMINATION_IMMINENT;
		}
		if (event.equals(constants.peerCodeSigningRequirement())) {
			return XpcEvent.PEER_CODE_SIGNING_REQUIREMENT;
		}
		return XpcEvent.OTHER_ERROR;
	}

	/** The description libxpc attached to an error event ({@code XPC_ERROR_KEY_DESCRIPTION}). */
	static String describe(XpcNative nativeXpc, Pointer error) {
		Pointer text = nativeXpc.xpc().xpc_dictionary_get_string(error, nativeXpc.constants().errorKeyDescription());
		return (text != null) ? text.getString(0, "UTF-8") : "no description";
	}

	/** Stops accepting peers; the listener's handler then receives the final invalid event. */
	public void cancel() {
		synchronized (this.lock) {
			if (this.finalized || this.cancelled) {
				return;
			}
			this.cancelled = true;
			this.nativeXpc.xpc().xpc_connection_cancel(this.listener);
		}
	}

	/** Waits for the final event (after which every native resource of the listener is released). */
	public boolean awaitInvalid(java.time.Duration timeout) throws InterruptedException {
		return this.invalid.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

}
