package dev.peergate.event;

import dev.peergate.core.PeerListener;

/**
 * Published when a listener fails to start or dies while running.
 *
 * <pre>{@code
 * @EventListener
 * void onFailed(ListenerFailedEvent event) {
 *     log.error("{} failed on {}", event.listener().name(), event.listener().address(), event.failure());
 * }
 * }</pre>
 */
public class ListenerFailedEvent extends ListenerEvent {

	private static final long serialVersionUID = 1L;

	private final transient Throwable failure;

	/** An event for the listener and its failure. */
	public ListenerFailedEvent(PeerListener listener, Throwable failure) {
		super(listener);
		this.failure = failure;
	}

	/** What went wrong. */
	public Throwable failure() {
		return this.failure;
	}

}
