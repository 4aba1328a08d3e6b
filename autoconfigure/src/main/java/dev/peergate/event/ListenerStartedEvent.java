package dev.peergate.event;

import dev.peergate.core.PeerListener;

/**
 * Published when a listener accepts peers.
 *
 * <pre>{@code
 * @EventListener
 * void onStarted(ListenerStartedEvent event) {
 *     PeerListener listener = event.listener();
 *     log.info("{} ready on {}:{}", listener.name(), listener.transport(), listener.address());
 * }
 * }</pre>
 */
public class ListenerStartedEvent extends ListenerEvent {

	private static final long serialVersionUID = 1L;

	/** An event for the listener. */
	public ListenerStartedEvent(PeerListener listener) {
		super(listener);
	}

}
