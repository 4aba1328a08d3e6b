package dev.peergate.event;

import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;

/**
 * Published for every rejection and verification error, with the reason and the human explanation.
 *
 * <pre>{@code
 * @EventListener
 * void onRejected(PeerRejectedEvent event) {
 *     log.warn("{} refused {}: {} ({})", event.listener(), event.peer().summary(), LogText.escape(event.explanation()),
 *             event.reason().tag());
 * }
 * }</pre>
 */
public class PeerRejectedEvent extends AbstractPeerEvent {

	private static final long serialVersionUID = 1L;

	/** An event for a refusing verdict. */
	public PeerRejectedEvent(Verdict verdict) {
		super(verdict);
	}

	/** Why, as a tag. */
	public Reason reason() {
		return getSource().reason();
	}

	/** Why, for humans. */
	public String explanation() {
		return getSource().explanation();
	}

}
