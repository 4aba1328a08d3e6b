package dev.peergate.event;

import dev.peergate.core.Outcome;
import dev.peergate.core.Verdict;
import dev.peergate.core.VerdictSink;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes {@link PeerAcceptedEvent}s (unless turned off) and {@link PeerRejectedEvent}s (also for would-be
 * rejections of an audited listener, with outcome {@code would-reject}).
 *
 * <pre>{@code
 * VerdictSink events = new ApplicationEventVerdictSink(applicationContext, true);
 * events.accept(gate.admit(credentials)); // publishes PeerAcceptedEvent or PeerRejectedEvent
 * }</pre>
 */
public final class ApplicationEventVerdictSink implements VerdictSink {

	private final ApplicationEventPublisher publisher;

	private final boolean publishAccepted;

	/** A sink publishing through the given publisher. */
	public ApplicationEventVerdictSink(ApplicationEventPublisher publisher, boolean publishAccepted) {
		this.publisher = publisher;
		this.publishAccepted = publishAccepted;
	}

	@Override
	public void accept(Verdict verdict) {
		if (verdict.outcome() == Outcome.ACCEPTED) {
			if (this.publishAccepted) {
				this.publisher.publishEvent(new PeerAcceptedEvent(verdict));
			}
		}
		else {
			this.publisher.publishEvent(new PeerRejectedEvent(verdict));
		}
	}

}
