package dev.peergate.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention for {@code peergate.peer.verification}; declare a bean of this type to replace the default.
 *
 * <pre>{@code
 * @Bean
 * PeerVerificationObservationConvention quietPeerVerification() {
 *     return new DefaultPeerVerificationObservationConvention() {
 *         @Override
 *         public KeyValues getHighCardinalityKeyValues(PeerVerificationContext context) {
 *             return KeyValues.empty(); // keep peer uid, pid and summary out of traces
 *         }
 *     };
 * }
 * }</pre>
 */
public interface PeerVerificationObservationConvention extends ObservationConvention<PeerVerificationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof PeerVerificationContext;
	}

}
