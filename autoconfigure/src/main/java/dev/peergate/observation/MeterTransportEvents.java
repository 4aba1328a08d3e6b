package dev.peergate.observation;

import dev.peergate.core.TransportEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts protocol errors ({@code peergate.protocol.errors}, tags listener and kind) and limit breaches
 * ({@code peergate.limits.exceeded}, tags listener and limit). Tag values come from Peergate's own closed sets,
 * never from peer input.
 *
 * <pre>{@code
 * double malformed = meterRegistry.get(MeterTransportEvents.PROTOCOL_ERRORS)
 *     .tags("listener", "helper", "kind", "malformed")
 *     .counter()
 *     .count();
 * }</pre>
 */
public final class MeterTransportEvents implements TransportEvents {

	/** Counter of protocol errors. */
	public static final String PROTOCOL_ERRORS = "peergate.protocol.errors";

	/** Counter of limit breaches. */
	public static final String LIMITS_EXCEEDED = "peergate.limits.exceeded";

	private final MeterRegistry registry;

	/** Counters in the given registry. */
	public MeterTransportEvents(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void protocolError(String listener, String kind) {
		Counter.builder(PROTOCOL_ERRORS)
			.description("Messages refused because they broke the protocol")
			.tag("listener", listener)
			.tag("kind", kind)
			.register(this.registry)
			.increment();
	}

	@Override
	public void limitExceeded(String listener, String limit) {
		Counter.builder(LIMITS_EXCEEDED)
			.description("Connections or calls refused by a configured limit")
			.tag("listener", listener)
			.tag("limit", limit)
			.register(this.registry)
			.increment();
	}

}
