package dev.peergate.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Convention for {@code peergate.request}; declare a bean of this type to replace the default. */
public interface RequestObservationConvention extends ObservationConvention<RequestObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof RequestObservationContext;
	}

}
