package dev.peergate.observation;

import dev.peergate.core.Peer;
import dev.peergate.core.Verdict;
import dev.peergate.observation.PeergateObservationDocumentation.PeerHighCardinalityKeys;
import dev.peergate.observation.PeergateObservationDocumentation.VerificationLowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * Default convention of {@code peergate.peer.verification}.
 *
 * <pre>{@code
 * @Bean
 * PeerVerificationObservationConvention peerVerificationWithoutPeerDetails() {
 *     return new DefaultPeerVerificationObservationConvention() {
 *         @Override
 *         public KeyValues getHighCardinalityKeyValues(PeerVerificationContext context) {
 *             return KeyValues.empty();
 *         }
 *     };
 * }
 * }</pre>
 */
public class DefaultPeerVerificationObservationConvention implements PeerVerificationObservationConvention {

	/** Observation name. */
	public static final String NAME = "peergate.peer.verification";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(PeerVerificationContext context) {
		return "peergate verify " + context.verdict().listener();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(PeerVerificationContext context) {
		Verdict verdict = context.verdict();
		return KeyValues.of(VerificationLowCardinalityKeys.LISTENER.withValue(verdict.listener()),
				VerificationLowCardinalityKeys.TRANSPORT.withValue(verdict.peer().transport()),
				VerificationLowCardinalityKeys.MECHANISM.withValue(verdict.mechanism().tag()),
				VerificationLowCardinalityKeys.OUTCOME.withValue(verdict.outcome().tag()),
				VerificationLowCardinalityKeys.REASON.withValue(verdict.reason().tag()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(PeerVerificationContext context) {
		return peerKeyValues(context.verdict().peer());
	}

	static KeyValues peerKeyValues(Peer peer) {
		return KeyValues.of(PeerHighCardinalityKeys.PEER_UID.withValue(String.valueOf(peer.uid())),
				PeerHighCardinalityKeys.PEER_PID.withValue(
						peer.pidHint().isPresent() ? String.valueOf(peer.pidHint().getAsLong()) : "unknown"),
				PeerHighCardinalityKeys.PEER_IDENTIFIER.withValue(peer.summary()));
	}

}
