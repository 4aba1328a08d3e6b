package dev.peergate.event;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.Outcome;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes {@link CallDeniedEvent}s, and {@link CallAllowedEvent}s when asked to.
 *
 * <pre>{@code
 * CallVerdictSink events = new ApplicationEventCallVerdictSink(applicationContext, false);
 * }</pre>
 */
public final class ApplicationEventCallVerdictSink implements CallVerdictSink {

	private final ApplicationEventPublisher publisher;

	private final boolean publishAllowed;

	/** A sink publishing through the given publisher. */
	public ApplicationEventCallVerdictSink(ApplicationEventPublisher publisher, boolean publishAllowed) {
		this.publisher = publisher;
		this.publishAllowed = publishAllowed;
	}

	@Override
	public void accept(CallVerdict verdict) {
		if (verdict.outcome() != Outcome.ACCEPTED) { // refused, or would be (audit)
			this.publisher.publishEvent(new CallDeniedEvent(verdict));
		}
		else if (this.publishAllowed) {
			this.publisher.publishEvent(new CallAllowedEvent(verdict));
		}
	}

}
