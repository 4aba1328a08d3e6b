package dev.peergate.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention for {@code peergate.request}; declare a bean of this type to replace the default.
 *
 * <pre>{@code
 * @Bean
 * RequestObservationConvention listenerOnlyRequests() {
 *     return new RequestObservationConvention() {
 *         @Override
 *         public String getName() {
 *             return "peergate.request";
 *         }
 *         @Override
 *         public KeyValues getLowCardinalityKeyValues(RequestObservationContext context) {
 *             return KeyValues.of("listener", context.call().listener(), "outcome", context.outcome());
 *         }
 *     };
 * }
 * }</pre>
 */
public interface RequestObservationConvention extends ObservationConvention<RequestObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof RequestObservationContext;
	}

}
