package dev.peergate.event;

import dev.peergate.core.Verdict;

/** Published once per accepted connection (not per message). */
public class PeerAcceptedEvent extends AbstractPeerEvent {

	private static final long serialVersionUID = 1L;

	/** An event for an accepting verdict. */
	public PeerAcceptedEvent(Verdict verdict) {
		super(verdict);
	}

}
