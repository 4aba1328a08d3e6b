package dev.peergate.observation;

import java.util.function.Predicate;

import dev.peergate.observation.PeergateObservationDocumentation.RequestLowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * Default convention of {@code peergate.request}. Method tags are bounded: a method the listener does not serve is
 * tagged {@code UNKNOWN}, so a peer cannot inflate the metric's cardinality.
 */
public class DefaultRequestObservationConvention implements RequestObservationConvention {

	/** Observation name. */
	public static final String NAME = "peergate.request";

	/** Tag value for methods that are not served. */
	public static final String UNKNOWN = "UNKNOWN";

	private final Predicate<String> knownMethod;

	/** A convention that tags every method name as given (only for trusted callers). */
	public DefaultRequestObservationConvention() {
		this(method -> true);
	}

	/** A convention that tags only methods the predicate knows. */
	public DefaultRequestObservationConvention(Predicate<String> knownMethod) {
		this.knownMethod = knownMethod;
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(RequestObservationContext context) {
		return this.knownMethod.test(context.method()) ? context.method() : "peergate request";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(RequestObservationContext context) {
		boolean known = this.knownMethod.test(context.method());
		String method = known ? context.method() : UNKNOWN;
		int dot = method.lastIndexOf('.');
		String interfaceName = (known && dot > 0) ? method.substring(0, dot) : UNKNOWN;
		return KeyValues.of(RequestLowCardinalityKeys.LISTENER.withValue(context.call().listener()),
				RequestLowCardinalityKeys.TRANSPORT.withValue(context.call().transport()),
				RequestLowCardinalityKeys.INTERFACE.withValue(interfaceName),
				RequestLowCardinalityKeys.METHOD.withValue(method),
				RequestLowCardinalityKeys.OUTCOME.withValue(context.outcome()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(RequestObservationContext context) {
		return DefaultPeerVerificationObservationConvention.peerKeyValues(context.call().peer());
	}

}
