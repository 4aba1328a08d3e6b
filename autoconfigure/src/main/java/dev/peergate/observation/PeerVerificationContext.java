package dev.peergate.observation;

import dev.peergate.core.Verdict;
import io.micrometer.observation.Observation;

/**
 * Context of a {@code peergate.peer.verification} observation: the verdict and the listener's transport.
 *
 * <pre>{@code
 * ObservationPredicate onlyRejections = (name, context) -> !(context instanceof PeerVerificationContext verification)
 *         || !verification.verdict().accepted();
 * }</pre>
 */
public final class PeerVerificationContext extends Observation.Context {

	private final Verdict verdict;

	/** A context for the verdict. */
	public PeerVerificationContext(Verdict verdict) {
		this.verdict = verdict;
	}

	/** The verdict observed. */
	public Verdict verdict() {
		return this.verdict;
	}

}
