package dev.peergate.observation;

import dev.peergate.handler.CallContext;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Context of a {@code peergate.request} observation.
 *
 * <pre>{@code
 * ObservationFilter withoutOutcome = context -> (context instanceof RequestObservationContext)
 *         ? context.removeLowCardinalityKeyValue("outcome") : context;
 * }</pre>
 */
public final class RequestObservationContext extends Observation.Context {

	private final CallContext call;

	private final String method;

	private volatile String outcome = "unknown";

	/** A context for one call of {@code method}. */
	public RequestObservationContext(CallContext call, String method) {
		this.call = call;
		this.method = method;
	}

	/** Caller and listener. */
	public CallContext call() {
		return this.call;
	}

	/** Qualified method as requested. */
	public String method() {
		return this.method;
	}

	/** {@code success}, {@code oneway} or the error name; set when the call ends. */
	public String outcome() {
		return this.outcome;
	}

	void outcome(@Nullable String outcome) {
		this.outcome = (outcome != null) ? outcome : "unknown";
	}

}
