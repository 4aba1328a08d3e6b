package dev.peergate.client;

/** The connection was not established, or a reply did not arrive, within the configured timeout. */
public class VarlinkTimeoutException extends VarlinkClientException {

	private static final long serialVersionUID = 1L;

	/** A timeout with a message. */
	public VarlinkTimeoutException(String message) {
		super(message);
	}

}
