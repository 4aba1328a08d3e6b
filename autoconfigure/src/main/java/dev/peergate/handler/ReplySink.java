package dev.peergate.handler;

/**
 * Where the {@link Dispatcher} sends the replies of one call. Called from handler threads; implementations hand the
 * reply to their transport's I/O thread and must be thread-safe.
 *
 * <pre>{@code
 * List<IpcReply> replies = new CopyOnWriteArrayList<>();
 * dispatcher.dispatch(context, request, new ReplySink() {
 *     @Override
 *     public void reply(IpcReply reply) {
 *         replies.add(reply); // a transport hands it to its I/O thread instead
 *     }
 * });
 * }</pre>
 */
public interface ReplySink {

	/** Sends one reply of the call. */
	void reply(IpcReply reply);

	/**
	 * Called once when the call has ended: after its final reply, or, for a oneway call, when the handler is
	 * done. Transports count calls in flight with it, oneway ones included.
	 */
	default void completed() {
	}

	/** Whether the peer is still there; streams stop when it is not. */
	default boolean isOpen() {
		return true;
	}

}
