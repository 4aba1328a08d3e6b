package dev.peergate.handler;

/**
 * Intermediate replies of a streaming method (varlink {@code more}, XPC replies with {@code continues: true}). The
 * method's return value is the final reply.
 *
 * <pre>{@code
 * @IpcMethod
 * Tick countdown(Count count, IpcStream<Tick> ticks) {
 *     for (int i = count.from(); i > 0; i--) ticks.send(new Tick(i));
 *     return new Tick(0);
 * }
 * }</pre>
 *
 * @param <R> reply type
 */
public interface IpcStream<R> {

	/** Sends one intermediate reply; returns once it is handed to the transport. */
	void send(R reply);

	/**
	 * Whether the peer is still connected; long streams should stop when it is not. Always {@code true} for a
	 * stream a client passes to a typed proxy to receive the replies (see {@link IpcClients}), which may then be a
	 * lambda.
	 */
	default boolean isOpen() {
		return true;
	}

}
