package dev.peergate.handler;

import java.util.Map;

/**
 * The errors Peergate itself produces, one per failure class. The {@code org.varlink.service} names are varlink's
 * own; the {@code dev.peergate} names are Peergate's and listed in the generated IDL of no interface, as varlink
 * allows for service-level errors.
 * <table>
 * <caption>Errors</caption>
 * <tr><td>{@value #INTERFACE_NOT_FOUND}</td><td>no such interface ({@code interface})</td></tr>
 * <tr><td>{@value #METHOD_NOT_FOUND}</td><td>interface exists, method does not ({@code method})</td></tr>
 * <tr><td>{@value #INVALID_PARAMETER}</td><td>a parameter is missing or of the wrong type ({@code parameter})</td></tr>
 * <tr><td>{@value #EXPECTED_MORE}</td><td>a streaming method was called without {@code more}</td></tr>
 * <tr><td>{@value #METHOD_NOT_IMPLEMENTED}</td><td>the request asked for something Peergate does not do, e.g. {@code upgrade}</td></tr>
 * <tr><td>{@value #PERMISSION_DENIED}</td><td>the peer was refused by the listener's requirement</td></tr>
 * <tr><td>{@value #HANDLER_FAILED}</td><td>the handler threw an exception other than {@link IpcError}</td></tr>
 * <tr><td>{@value #HANDLER_TIMEOUT}</td><td>the handler did not reply within the handler timeout</td></tr>
 * <tr><td>{@value #OVERLOADED}</td><td>too many calls in flight (per connection or for the executor)</td></tr>
 * <tr><td>{@value #SHUTTING_DOWN}</td><td>the listener is stopping: a call in flight past the drain timeout, or a
 * call that arrived during the drain</td></tr>
 * <tr><td>{@value #DISCONNECTED}</td><td>an operator disconnected the connection (the actuator's {@code DELETE}
 * of it, or {@code PeerListener.disconnect}) while the call was in flight</td></tr>
 * <tr><td>{@value #PROTOCOL_ERROR}</td><td>the message could not be decoded</td></tr>
 * </table>
 *
 * <pre>{@code
 * try {
 *     client.call("com.example.helper.Status", null);
 * }
 * catch (IpcError error) {
 *     boolean refused = StandardErrors.PERMISSION_DENIED.equals(error.name());
 * }
 * }</pre>
 */
public final class StandardErrors {

	/** No such interface. */
	public static final String INTERFACE_NOT_FOUND = "org.varlink.service.InterfaceNotFound";

	/** No such method. */
	public static final String METHOD_NOT_FOUND = "org.varlink.service.MethodNotFound";

	/** Missing or mistyped parameter. */
	public static final String INVALID_PARAMETER = "org.varlink.service.InvalidParameter";

	/** Streaming method called without {@code more}. */
	public static final String EXPECTED_MORE = "org.varlink.service.ExpectedMore";

	/** Request feature not implemented (e.g. {@code upgrade}). */
	public static final String METHOD_NOT_IMPLEMENTED = "org.varlink.service.MethodNotImplemented";

	/** Peer refused by the listener's requirement. */
	public static final String PERMISSION_DENIED = "org.varlink.service.PermissionDenied";

	/** Handler threw. */
	public static final String HANDLER_FAILED = "dev.peergate.HandlerFailed";

	/** Handler too slow. */
	public static final String HANDLER_TIMEOUT = "dev.peergate.HandlerTimeout";

	/** Too many calls in flight. */
	public static final String OVERLOADED = "dev.peergate.Overloaded";

	/** The listener is stopping; the call was not (or not completely) run. */
	public static final String SHUTTING_DOWN = "dev.peergate.ShuttingDown";

	/**
	 * The connection was disconnected by an operator while the call was in flight; the call was not (or not
	 * completely) run. The connection closes after this reply.
	 */
	public static final String DISCONNECTED = "dev.peergate.Disconnected";

	/** Undecodable message. */
	public static final String PROTOCOL_ERROR = "dev.peergate.ProtocolError";

	private StandardErrors() {
	}

	/** {@value #INTERFACE_NOT_FOUND} for the interface. */
	public static IpcError interfaceNotFound(String interfaceName) {
		return new IpcError(INTERFACE_NOT_FOUND, Map.of("interface", interfaceName));
	}

	/** {@value #METHOD_NOT_FOUND} for the method. */
	public static IpcError methodNotFound(String method) {
		return new IpcError(METHOD_NOT_FOUND, Map.of("method", method));
	}

	/** {@value #INVALID_PARAMETER} naming the parameter. */
	public static IpcError invalidParameter(String parameter) {
		return new IpcError(INVALID_PARAMETER, Map.of("parameter", parameter));
	}

	/** {@value #PERMISSION_DENIED}. */
	public static IpcError permissionDenied() {
		return new IpcError(PERMISSION_DENIED);
	}

}
