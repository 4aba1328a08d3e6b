package dev.peergate.event;

import dev.peergate.core.Peer;
import dev.peergate.core.Verdict;
import org.springframework.context.ApplicationEvent;

/**
 * Base of the verdict events; the source is the {@link Verdict}.
 *
 * <pre>{@code
 * @EventListener
 * void onRejected(PeerRejectedEvent event) {
 *     log.warn("{} refused {}: {}", event.listener(), event.peer().summary(), LogText.escape(event.explanation()));
 * }
 * }</pre>
 */
public abstract class AbstractPeerEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	AbstractPeerEvent(Verdict verdict) {
		super(verdict);
	}

	@Override
	public Verdict getSource() {
		return (Verdict) super.getSource();
	}

	/** The verdict. */
	public Verdict verdict() {
		return getSource();
	}

	/** The peer. */
	public Peer peer() {
		return getSource().peer();
	}

	/** Listener name. */
	public String listener() {
		return getSource().listener();
	}

}
