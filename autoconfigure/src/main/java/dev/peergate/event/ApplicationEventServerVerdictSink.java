package dev.peergate.event;

import dev.peergate.core.ServerVerdict;
import dev.peergate.core.ServerVerdictSink;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes a {@link ServerRefusedEvent} for every server a configured client refuses.
 *
 * <pre>{@code
 * ServerVerdictSink events = new ApplicationEventServerVerdictSink(applicationContext);
 * }</pre>
 */
public final class ApplicationEventServerVerdictSink implements ServerVerdictSink {

	private final ApplicationEventPublisher publisher;

	/** A sink publishing through the given publisher. */
	public ApplicationEventServerVerdictSink(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void accept(ServerVerdict verdict) {
		if (!verdict.accepted()) {
			this.publisher.publishEvent(new ServerRefusedEvent(verdict));
		}
	}

}
