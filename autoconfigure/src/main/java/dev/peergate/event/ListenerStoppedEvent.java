package dev.peergate.event;

import dev.peergate.core.PeerListener;

/**
 * Published when a listener has stopped and drained.
 *
 * <pre>{@code
 * @EventListener
 * void onStopped(ListenerStoppedEvent event) {
 *     log.info("{} stopped", event.listener().name());
 * }
 * }</pre>
 */
public class ListenerStoppedEvent extends ListenerEvent {

	private static final long serialVersionUID = 1L;

	/** An event for the listener. */
	public ListenerStoppedEvent(PeerListener listener) {
		super(listener);
	}

}
