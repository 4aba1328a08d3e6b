package dev.peergate.client;

/**
 * A varlink call could not be completed: the connection failed or closed, the server sent something that is not
 * varlink, or a reply did not fit the requested type. An error reply from the server is an
 * {@link dev.peergate.handler.IpcError} instead.
 *
 * <pre>{@code
 * try (VarlinkClient client = VarlinkClient.builder(socket).connect()) {
 *     client.call("com.example.helper.Status", null);
 * }
 * catch (IpcError error) {             // the server answered with an error
 *     System.err.println(error.name());
 * }
 * catch (VarlinkClientException ex) {  // no answer: connection, protocol or binding failure
 *     System.err.println(ex.getMessage());
 * }
 * }</pre>
 */
public class VarlinkClientException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** An exception with a message. */
	public VarlinkClientException(String message) {
		super(message);
	}

	/** An exception with a message and its cause. */
	public VarlinkClientException(String message, Throwable cause) {
		super(message, cause);
	}

}
