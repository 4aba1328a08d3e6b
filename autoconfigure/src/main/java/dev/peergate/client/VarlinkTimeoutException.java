package dev.peergate.client;

/**
 * The connection was not established, or a reply did not arrive, within the configured timeout.
 *
 * <pre>{@code
 * try (VarlinkClient client = VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(2)).connect()) {
 *     client.call("com.example.helper.Status", null);
 * }
 * catch (VarlinkTimeoutException ex) {
 *     System.err.println("helper did not answer: " + ex.getMessage());
 * }
 * }</pre>
 */
public class VarlinkTimeoutException extends VarlinkClientException {

	private static final long serialVersionUID = 1L;

	/** A timeout with a message. */
	public VarlinkTimeoutException(String message) {
		super(message);
	}

}
