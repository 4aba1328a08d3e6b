package dev.peergate.event;

import dev.peergate.core.Verdict;

/**
 * Published once per accepted connection (not per message).
 *
 * <pre>{@code
 * @EventListener
 * void onAccepted(PeerAcceptedEvent event) {
 *     log.info("{} accepted {} ({})", event.listener(), event.peer().summary(), event.verdict().mechanism().tag());
 * }
 * }</pre>
 */
public class PeerAcceptedEvent extends AbstractPeerEvent {

	private static final long serialVersionUID = 1L;

	/** An event for an accepting verdict. */
	public PeerAcceptedEvent(Verdict verdict) {
		super(verdict);
	}

}
