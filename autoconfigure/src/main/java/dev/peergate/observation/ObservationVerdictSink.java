package dev.peergate.observation;

import dev.peergate.core.Outcome;
import dev.peergate.core.Verdict;
import dev.peergate.core.VerdictSink;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Records every verdict as a {@code peergate.peer.verification} observation. A rejection is an {@code outcome}
 * value, not an observation error: only a verification failure ({@link Outcome#ERROR}) is.
 *
 * <pre>{@code
 * VerdictSink observed = new ObservationVerdictSink(observationRegistry, null); // null: default convention
 * Gate gate = new Gate("helper", Mechanism.STATED, requirement, observed);
 * }</pre>
 */
public final class ObservationVerdictSink implements VerdictSink {

	private static final DefaultPeerVerificationObservationConvention DEFAULT = new DefaultPeerVerificationObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable PeerVerificationObservationConvention convention;

	/** A sink recording into the registry, with an optional custom convention. */
	public ObservationVerdictSink(ObservationRegistry registry, @Nullable PeerVerificationObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public void accept(Verdict verdict) {
		Observation observation = PeergateObservationDocumentation.PEER_VERIFICATION
			.observation(this.convention, DEFAULT, () -> new PeerVerificationContext(verdict), this.registry)
			.start();
		if (verdict.outcome() == Outcome.ERROR) {
			observation.error(new PeerVerificationException(verdict.explanation()));
		}
		observation.stop();
	}

	/** The error attached to an observation whose verification failed. */
	static final class PeerVerificationException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		PeerVerificationException(String message) {
			super(message, null, false, false);
		}

	}

}
