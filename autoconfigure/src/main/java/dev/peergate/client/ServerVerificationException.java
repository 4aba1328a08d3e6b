package dev.peergate.client;

/**
 * The process serving the socket is not the expected one; the connection was closed before anything was sent.
 *
 * <pre>{@code
 * try (VarlinkClient client = VarlinkClient.builder(socket).expectServerUid(0).connect()) {
 *     client.call("com.example.helper.Status", null);
 * }
 * catch (ServerVerificationException ex) {
 *     System.err.println("not the helper: socket served by uid " + ex.server().uid());
 * }
 * }</pre>
 */
public class ServerVerificationException extends VarlinkClientException {

	private static final long serialVersionUID = 1L;

	private final transient ServerCredentials server;

	/** A refusal of the given server. */
	public ServerVerificationException(String message, ServerCredentials server) {
		super(message);
		this.server = server;
	}

	/** What the kernel reported about the refused server. */
	public ServerCredentials server() {
		return this.server;
	}

}
