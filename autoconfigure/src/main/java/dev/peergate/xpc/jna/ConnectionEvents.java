package dev.peergate.xpc.jna;

import java.util.function.Consumer;

import com.sun.jna.Pointer;

/**
 * The event handler every connection Peergate owns installs (listener, client and peer connections): objects of
 * the expected type go to their consumer, error events are classified and reported, and the final
 * {@code XPC_ERROR_CONNECTION_INVALID} is bracketed so that no native call starts after it and the connection is
 * released only once the report is done.
 *
 * <pre>{@code
 * ConnectionEvents.install(nativeXpc, connection, XpcType.DICTIONARY, message -> ..., event -> ...,
 *         this::markFinalized, this::release);
 * xpc.xpc_connection_resume(connection);
 * }</pre>
 */
final class ConnectionEvents {

	private ConnectionEvents() {
	}

	/**
	 * Installs the handler on an inactive connection.
	 * @param objectType the type of the objects the connection delivers besides errors
	 * @param objects receives each such object (borrowed: valid only during the call)
	 * @param events error events; {@link XpcEvent#CONNECTION_INVALID} is the last one
	 * @param finalized runs first on the final event, so later native calls on the connection are refused
	 * @param release runs last on the final event, after {@code events}, even when it throws
	 */
	static void install(XpcNative nativeXpc, Pointer connection, XpcType objectType, Consumer<Pointer> objects,
			Consumer<XpcEvent> events, Runnable finalized, Runnable release) {
		LibXpc xpc = nativeXpc.xpc();
		Blocks.Block handler = nativeXpc.blocks().handler((event) -> {
			XpcType type = nativeXpc.constants().type(xpc.xpc_get_type(event));
			if (type == objectType) {
				objects.accept(event);
				return;
			}
			XpcEvent kind = XpcServer.classify(nativeXpc, event);
			if (kind == XpcEvent.CONNECTION_INVALID) {
				finalized.run();
			}
			try {
				events.accept(kind);
			}
			finally {
				if (kind == XpcEvent.CONNECTION_INVALID) {
					release.run();
				}
			}
		});
		try {
			xpc.xpc_connection_set_event_handler(connection, handler.literal());
		}
		finally {
			handler.handedOver();
		}
	}

}
