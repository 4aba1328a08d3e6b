package dev.peergate.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.peergate.core.Mechanism;
import dev.peergate.core.Outcome;
import dev.peergate.core.Peer;
import dev.peergate.core.Reason;
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

	private final Map<TagKey, KeyValues> lowCardinality = new ConcurrentHashMap<>();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(PeerVerificationContext context) {
		return "peergate verify " + context.verdict().listener();
	}

	/**
	 * Called at start and stop of every verification: cached per combination, of which there are few (listeners
	 * times outcomes and reasons), so a verdict costs a map lookup instead of building and sorting five tags.
	 */
	@Override
	public KeyValues getLowCardinalityKeyValues(PeerVerificationContext context) {
		Verdict verdict = context.verdict();
		TagKey key = new TagKey(verdict.listener(), verdict.peer().transport(), verdict.mechanism(), verdict.outcome(),
				verdict.reason());
		return this.lowCardinality.computeIfAbsent(key,
				(tags) -> KeyValues.of(VerificationLowCardinalityKeys.LISTENER.withValue(tags.listener()),
						VerificationLowCardinalityKeys.TRANSPORT.withValue(tags.transport()),
						VerificationLowCardinalityKeys.MECHANISM.withValue(tags.mechanism().tag()),
						VerificationLowCardinalityKeys.OUTCOME.withValue(tags.outcome().tag()),
						VerificationLowCardinalityKeys.REASON.withValue(tags.reason().tag())));
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

	private record TagKey(String listener, String transport, Mechanism mechanism, Outcome outcome, Reason reason) {
	}

}
