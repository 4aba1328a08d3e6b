package dev.peergate.observation;

import dev.peergate.core.ServerVerdict;
import dev.peergate.core.ServerVerdictSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts configured clients' verdicts about their servers: {@value #SERVER_VERIFICATION} tagged {@code client} and
 * {@code outcome} ({@code accepted}, {@code rejected}).
 *
 * <pre>{@code
 * double refused = registry.get(MeterServerVerdictSink.SERVER_VERIFICATION)
 *     .tags("client", "helper", "outcome", "rejected")
 *     .counter()
 *     .count();
 * }</pre>
 */
public final class MeterServerVerdictSink implements ServerVerdictSink {

	/** Counter of server verifications by configured clients. */
	public static final String SERVER_VERIFICATION = "peergate.client.server-verification";

	private final MeterRegistry registry;

	/** A sink counting into the given registry. */
	public MeterServerVerdictSink(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void accept(ServerVerdict verdict) {
		Counter.builder(SERVER_VERIFICATION)
			.description("Servers verified by configured clients, by outcome")
			.tag("client", verdict.client())
			.tag("outcome", verdict.outcome())
			.register(this.registry)
			.increment();
	}

}
