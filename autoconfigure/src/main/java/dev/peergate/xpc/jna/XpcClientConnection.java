package dev.peergate.xpc.jna;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.sun.jna.Pointer;
import dev.peergate.handler.IpcFileDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * A client connection to a Mach service ({@code xpc_connection_create_mach_service(name, queue, flags)}) or to an
 * anonymous listener ({@code xpc_connection_create_from_endpoint}), with an
 * optional code-signing requirement on the <em>server</em> (set once, before resume), requests with
 * {@code xpc_connection_send_message_with_reply} (one reply block per request, released by libxpc after its single
 * invocation) and messages outside replies delivered to a consumer.
 *
 * <pre>{@code
 * try (XpcClientConnection connection = XpcClientConnection.connect(nativeXpc, "com.example.helper", false, null,
 *         message -> {}, event -> {})) {
 *     Map<String, Object> reply = connection.request(Map.of("method", "com.example.helper.Status")).join();
 * }
 * }</pre>
 */
public final class XpcClientConnection implements AutoCloseable {

	private final XpcNative nativeXpc;

	private final MachServiceConnection connection;

	private XpcClientConnection(XpcNative nativeXpc, String queueLabel, UnaryOperator<Pointer> create,
			@Nullable String serverRequirement, Consumer<Map<String, @Nullable Object>> messages,
			Consumer<XpcEvent> events) {
		this.nativeXpc = nativeXpc;
		this.connection = new MachServiceConnection(nativeXpc, queueLabel, create, XpcType.DICTIONARY,
				(message) -> messages.accept(nativeXpc.values().fromDictionary(message)), events);
		int result = 0;
		if (serverRequirement != null) {
			if (!nativeXpc.availability().has("xpc_connection_set_peer_code_signing_requirement")) {
				result = -1;
			}
			else {
				result = nativeXpc.requirements()
					.xpc_connection_set_peer_code_signing_requirement(this.connection.connection(), serverRequirement);
			}
		}
		if (result != 0) {
			this.connection.abandonBeforeResume();
			throw new IllegalArgumentException((result == -1)
					? "Server verification needs xpc_connection_set_peer_code_signing_requirement (macOS 12+)"
					: "libxpc refused the server requirement (error " + result + "): " + serverRequirement);
		}
		this.connection.resume();
	}

	/**
	 * Connects.
	 * @param nativeXpc bindings
	 * @param serviceName Mach service name
	 * @param privileged look the name up in the system (privileged) bootstrap: use for root daemons so a
	 * LaunchAgent cannot squat the name
	 * @param serverRequirement code-signing requirement the server must satisfy, or {@code null}
	 * @param messages messages the server sends outside replies (stream items)
	 * @param events connection errors; {@link XpcEvent#CONNECTION_INVALID} is the last one
	 */
	public static XpcClientConnection connect(XpcNative nativeXpc, String serviceName, boolean privileged,
			@Nullable String serverRequirement, Consumer<Map<String, @Nullable Object>> messages,
			Consumer<XpcEvent> events) {
		long flags = privileged ? XpcServer.MACH_SERVICE_PRIVILEGED : 0L;
		return new XpcClientConnection(nativeXpc, "dev.peergate.xpc.client." + serviceName,
				(queue) -> nativeXpc.xpc().xpc_connection_create_mach_service(serviceName, queue, flags),
				serverRequirement, messages, events);
	}

	/**
	 * Connects to an anonymous listener through its endpoint, with the libraries the endpoint was made with.
	 * @param serverRequirement code-signing requirement the listener's process must satisfy, or {@code null}
	 * @throws IllegalStateException when the endpoint's listener has stopped
	 */
	public static XpcClientConnection connect(XpcEndpoint endpoint, @Nullable String serverRequirement,
			Consumer<Map<String, @Nullable Object>> messages, Consumer<XpcEvent> events) {
		XpcNative nativeXpc = endpoint.nativeXpc();
		LibXpc xpc = nativeXpc.xpc();
		return new XpcClientConnection(nativeXpc, "dev.peergate.xpc.client.anonymous", (queue) -> {
			Pointer connection = endpoint.use(xpc::xpc_connection_create_from_endpoint);
			// created on libxpc's default queue; deliver on ours like every other connection Peergate owns
			xpc.xpc_connection_set_target_queue(connection, queue);
			return connection;
		}, serverRequirement, messages, events);
	}

	/**
	 * Sends a message without asking for a reply ({@code xpc_connection_send_message}), as a oneway call is sent.
	 * @return whether it was handed to libxpc (not once the connection is finalized)
	 */
	public boolean send(Map<String, ?> body) {
		LibXpc xpc = this.nativeXpc.xpc();
		Pointer message = this.nativeXpc.values().toXpc(body);
		try {
			return this.connection.whileOpen((connection) -> xpc.xpc_connection_send_message(connection, message));
		}
		finally {
			xpc.xpc_release(message);
		}
	}

	/**
	 * Sends a request; the future completes with the reply body or fails with {@link XpcErrorEventException}
	 * (interrupted, invalid, server refused by its requirement). The file descriptors in {@code body} are closed
	 * (the message holds duplicates); those of the reply belong to whoever completes the future, and are closed
	 * when nobody can any more (the future was cancelled).
	 */
	public CompletableFuture<Map<String, @Nullable Object>> request(Map<String, ?> body) {
		CompletableFuture<Map<String, @Nullable Object>> future = new CompletableFuture<>();
		LibXpc xpc = this.nativeXpc.xpc();
		Pointer message;
		try {
			message = this.nativeXpc.values().toXpc(body);
		}
		finally {
			IpcFileDescriptor.closeAllIn(body);
		}
		try {
			Blocks.Block reply = this.nativeXpc.blocks().handler((event) -> {
				try {
					XpcType type = this.nativeXpc.constants().type(xpc.xpc_get_type(event));
					if (type == XpcType.DICTIONARY) {
						Map<String, @Nullable Object> answer = this.nativeXpc.values().fromDictionary(event);
						if (!future.complete(answer)) {
							IpcFileDescriptor.closeAllIn(answer);
						}
					}
					else {
						future.completeExceptionally(new XpcErrorEventException(XpcServer.classify(this.nativeXpc, event),
								XpcServer.describe(this.nativeXpc, event)));
					}
				}
				catch (RuntimeException ex) {
					future.completeExceptionally(ex);
				}
			});
			try {
				boolean sent = this.connection.whileOpen((connection) -> xpc
					.xpc_connection_send_message_with_reply(connection, message, null, reply.literal()));
				if (!sent) {
					future.completeExceptionally(
							new XpcErrorEventException(XpcEvent.CONNECTION_INVALID, "connection closed"));
				}
			}
			finally {
				reply.handedOver();
			}
		}
		finally {
			xpc.xpc_release(message);
		}
		return future;
	}

	/** Cancels the connection and waits up to the timeout for libxpc to finalize it. */
	public boolean close(java.time.Duration timeout) throws InterruptedException {
		this.connection.cancel();
		return this.connection.awaitInvalid(timeout);
	}

	/** Cancels the connection (libxpc finalizes it asynchronously). */
	@Override
	public void close() {
		this.connection.cancel();
	}

	/** An XPC error delivered instead of a reply. */
	public static final class XpcErrorEventException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final XpcEvent event;

		/** An exception for the event. */
		public XpcErrorEventException(XpcEvent event, String description) {
			super(event + ": " + description);
			this.event = event;
		}

		/** The error event. */
		public XpcEvent event() {
			return this.event;
		}

	}

}
