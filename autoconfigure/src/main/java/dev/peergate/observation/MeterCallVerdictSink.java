package dev.peergate.observation;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.CallVerdictSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts call decisions of method requirements: {@code peergate.call.authorization}, tags {@code listener},
 * {@code method}, {@code outcome} ({@code accepted}, {@code rejected}, {@code error}), {@code reason} and
 * {@code authority}. Only configured methods have requirements, so the method tag is a closed set, never peer
 * input.
 *
 * <pre>{@code
 * double denied = meterRegistry.get(MeterCallVerdictSink.CALL_AUTHORIZATION)
 *     .tags("listener", "helper", "method", "com.example.helper.ClearCache", "outcome", "rejected")
 *     .counter()
 *     .count();
 * }</pre>
 */
public final class MeterCallVerdictSink implements CallVerdictSink {

	/** Counter of call decisions. */
	public static final String CALL_AUTHORIZATION = "peergate.call.authorization";

	private final MeterRegistry registry;

	/** Counters in the given registry. */
	public MeterCallVerdictSink(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void accept(CallVerdict verdict) {
		Counter.builder(CALL_AUTHORIZATION)
			.description("Calls of methods with a requirement of their own, by decision")
			.tag("listener", verdict.listener())
			.tag("method", verdict.method())
			.tag("outcome", verdict.outcome().tag())
			.tag("reason", verdict.reason().tag())
			.tag("authority", verdict.authority())
			.register(this.registry)
			.increment();
	}

}
