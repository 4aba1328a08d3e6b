package dev.peergate.autoconfigure.observation;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.autoconfigure.PeergateProperties;
import dev.peergate.core.PeerListener;
import dev.peergate.observation.MeterCallVerdictSink;
import dev.peergate.observation.MeterServerVerdictSink;
import dev.peergate.observation.MeterTransportEvents;
import dev.peergate.observation.PeergateMeterObservationHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

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

	/**
	 * Peergate's observations into meters with timers resolved once per tag set; ordered first, so that Spring
	 * Boot's group of meter handlers gives it Peergate's contexts and its default handler every other observation.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationHandler.class)
	static final class ObservationMeters {

		@Bean
		@ConditionalOnMissingBean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		PeergateMeterObservationHandler peergateMeterObservationHandler(MeterRegistry registry,
				ObjectProvider<PeergateProperties> properties) {
			PeergateProperties settings = properties.getIfAvailable();
			return new PeergateMeterObservationHandler(registry,
					settings != null && settings.getObservation().isLongTaskTimer());
		}

	}

}
