package dev.peergate.event;

import dev.peergate.core.PeerListener;

/** Published when a listener accepts peers. */
public class ListenerStartedEvent extends ListenerEvent {

	private static final long serialVersionUID = 1L;

	/** An event for the listener. */
	public ListenerStartedEvent(PeerListener listener) {
		super(listener);
	}

}
