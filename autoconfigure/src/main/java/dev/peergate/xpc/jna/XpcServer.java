package dev.peergate.xpc.jna;

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

	private final MachServiceConnection listener;

	private XpcServer(XpcNative nativeXpc, String serviceName, Consumer<XpcPeerConnection> peers,
			Consumer<XpcEvent> events) {
		this.listener = new MachServiceConnection(nativeXpc, "dev.peergate.xpc." + serviceName, serviceName,
				MACH_SERVICE_LISTENER, XpcType.CONNECTION, (peer) -> peers.accept(new XpcPeerConnection(nativeXpc, peer)),
				events);
		this.listener.resume();
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
		this.listener.cancel();
	}

	/** Waits for the final event (after which every native resource of the listener is released). */
	public boolean awaitInvalid(java.time.Duration timeout) throws InterruptedException {
		return this.listener.awaitInvalid(timeout);
	}

}
