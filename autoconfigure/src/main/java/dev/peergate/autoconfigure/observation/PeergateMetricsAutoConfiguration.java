package dev.peergate.autoconfigure.observation;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.core.PeerListener;
import dev.peergate.observation.MeterCallVerdictSink;
import dev.peergate.observation.MeterServerVerdictSink;
import dev.peergate.observation.MeterTransportEvents;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Meters that are not operations: the gauge {@code peergate.connections.active} per listener and the counters of
 * protocol errors and limit breaches.
 *
 * <pre>{@code
 * double open = meterRegistry.get(PeergateMetricsAutoConfiguration.ACTIVE_CONNECTIONS)
 *     .tag("listener", "helper")
 *     .gauge()
 *     .value();
 * }</pre>
 */
@AutoConfiguration(before = PeergateAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class PeergateMetricsAutoConfiguration {

	/** Gauge of open accepted connections, per listener. */
	public static final String ACTIVE_CONNECTIONS = "peergate.connections.active";

	@Bean
	@ConditionalOnMissingBean
	MeterTransportEvents peergateMeterTransportEvents(MeterRegistry registry) {
		return new MeterTransportEvents(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	MeterCallVerdictSink peergateMeterCallVerdictSink(MeterRegistry registry) {
		return new MeterCallVerdictSink(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	MeterServerVerdictSink peergateMeterServerVerdictSink(MeterRegistry registry) {
		return new MeterServerVerdictSink(registry);
	}

	@Bean
	MeterBinder peergateConnectionsMeterBinder(ObjectProvider<PeergateListeners> listeners) {
		return registry -> {
			PeergateListeners all = listeners.getIfAvailable();
			if (all == null) {
				return;
			}
			for (PeerListener listener : all.listeners()) {
				Gauge.builder(ACTIVE_CONNECTIONS, listener, PeerListener::activeConnections)
					.description("Open connections of accepted peers")
					.tag("listener", listener.name())
					.tag("transport", listener.transport())
					.register(registry);
			}
		};
	}

}
