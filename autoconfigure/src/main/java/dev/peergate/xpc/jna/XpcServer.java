package dev.peergate.xpc.jna;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.sun.jna.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * A listener connection on a private serial dispatch queue: a Mach service
 * ({@code xpc_connection_create_mach_service(name, queue, XPC_CONNECTION_MACH_SERVICE_LISTENER)}, declared in the
 * process's launchd plist) or an anonymous listener ({@code xpc_connection_create(NULL, queue)}, reached through
 * its {@link #endpoint()}, no launchd involved). New peers arrive as
 * {@link XpcPeerConnection}s on a native thread; the consumer must {@link XpcPeerConnection#start start} or
 * {@link XpcPeerConnection#refuseBeforeStart refuse} each one before returning.
 *
 * <pre>{@code
 * XpcServer server = XpcServer.listen(nativeXpc, "com.example.helper", peer -> ..., event -> ...);
 * XpcServer inProcess = XpcServer.anonymous(nativeXpc, "helper", peer -> ..., event -> ...);
 * XpcEndpoint endpoint = inProcess.endpoint();         // for XpcClientConnection.connect(endpoint, ...)
 * server.cancel();
 * server.awaitInvalid(Duration.ofSeconds(5));
 * }</pre>
 */
public final class XpcServer {

	/** {@code XPC_CONNECTION_MACH_SERVICE_LISTENER}. */
	public static final long MACH_SERVICE_LISTENER = 1L;

	/** {@code XPC_CONNECTION_MACH_SERVICE_PRIVILEGED}. */
	public static final long MACH_SERVICE_PRIVILEGED = 1L << 1;

	private final MachServiceConnection listener;

	private final @Nullable XpcEndpoint endpoint;

	private XpcServer(XpcNative nativeXpc, String queueLabel, UnaryOperator<Pointer> create, boolean anonymous,
			Consumer<XpcPeerConnection> peers, Consumer<XpcEvent> events) {
		this.listener = new MachServiceConnection(nativeXpc, queueLabel, create, XpcType.CONNECTION,
				(peer) -> peers.accept(new XpcPeerConnection(nativeXpc, peer)), events);
		// made before resume, so no peer can arrive before a client could have been given the endpoint
		this.endpoint = anonymous
				? new XpcEndpoint(nativeXpc, nativeXpc.xpc().xpc_endpoint_create(this.listener.connection())) : null;
		this.listener.resume();
	}

	/** Creates, configures and activates the listener of a Mach service. */
	public static XpcServer listen(XpcNative nativeXpc, String serviceName, Consumer<XpcPeerConnection> peers,
			Consumer<XpcEvent> events) {
		return new XpcServer(nativeXpc, "dev.peergate.xpc." + serviceName,
				(queue) -> nativeXpc.xpc().xpc_connection_create_mach_service(serviceName, queue, MACH_SERVICE_LISTENER),
				false, peers, events);
	}

	/**
	 * Creates, configures and activates an anonymous listener; clients reach it through {@link #endpoint()}.
	 * @param label names the listener's dispatch queue (for debugging)
	 */
	public static XpcServer anonymous(XpcNative nativeXpc, String label, Consumer<XpcPeerConnection> peers,
			Consumer<XpcEvent> events) {
		return new XpcServer(nativeXpc, "dev.peergate.xpc.anonymous." + label,
				(queue) -> nativeXpc.xpc().xpc_connection_create(null, queue), true, peers, events);
	}

	/**
	 * The endpoint of an anonymous listener, valid until {@link #cancel()}.
	 * @throws IllegalStateException for a Mach-service listener (clients find it by name)
	 */
	public XpcEndpoint endpoint() {
		if (this.endpoint == null) {
			throw new IllegalStateException("a Mach-service listener has no endpoint; clients connect by its name");
		}
		return this.endpoint;
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

	/**
	 * Stops accepting peers and releases the endpoint (clients can no longer be created from it); the listener's
	 * handler then receives the final invalid event.
	 */
	public void cancel() {
		if (this.endpoint != null) {
			this.endpoint.release();
		}
		this.listener.cancel();
	}

	/** Waits for the final event (after which every native resource of the listener is released). */
	public boolean awaitInvalid(java.time.Duration timeout) throws InterruptedException {
		return this.listener.awaitInvalid(timeout);
	}

}
