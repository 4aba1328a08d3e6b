package dev.peergate.core;

/**
 * What a transport reports besides verdicts: protocol errors and limit breaches, so that every refusal of bad
 * input is a metric. The Spring layer turns these into Micrometer counters; the engine knows nothing of them.
 *
 * <pre>{@code
 * TransportEvents logging = new TransportEvents() {
 *     @Override
 *     public void protocolError(String listener, String kind) {
 *         log.warn("{}: protocol error {}", listener, kind);
 *     }
 *     @Override
 *     public void limitExceeded(String listener, String limit) {
 *         log.warn("{}: limit {} exceeded", listener, limit);
 *     }
 * };
 * }</pre>
 */
public interface TransportEvents {

	/**
	 * A peer sent something the protocol does not allow; the connection got an error reply or was closed.
	 * @param listener listener name
	 * @param kind short tag: {@code malformed}, {@code too-large}, {@code too-deep}, {@code idle-timeout}, ...
	 */
	void protocolError(String listener, String kind);

	/**
	 * A configured limit refused a connection or call.
	 * @param listener listener name
	 * @param limit short tag: {@code max-connections}, {@code max-in-flight}, {@code handler-executor}, ...
	 */
	void limitExceeded(String listener, String limit);

	/** Reports nothing. */
	static TransportEvents none() {
		return new TransportEvents() {

			@Override
			public void protocolError(String listener, String kind) {
			}

			@Override
			public void limitExceeded(String listener, String limit) {
			}

		};
	}

}
