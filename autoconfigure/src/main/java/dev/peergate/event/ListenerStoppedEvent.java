package dev.peergate.event;

import dev.peergate.core.PeerListener;

/** Published when a listener has stopped and drained. */
public class ListenerStoppedEvent extends ListenerEvent {

	private static final long serialVersionUID = 1L;

	/** An event for the listener. */
	public ListenerStoppedEvent(PeerListener listener) {
		super(listener);
	}

}
