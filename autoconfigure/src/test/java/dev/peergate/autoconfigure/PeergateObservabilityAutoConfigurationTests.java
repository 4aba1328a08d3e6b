package dev.peergate.autoconfigure;

import dev.peergate.actuate.ConnectionDisconnectedAuditListener;
import dev.peergate.actuate.PeerRejectedAuditListener;
import dev.peergate.actuate.PeergateEndpoint;
import dev.peergate.actuate.PeergateEndpointWebExtension;
import dev.peergate.actuate.PlatformInfoContributor;
import dev.peergate.autoconfigure.actuate.PeergateAuditAutoConfiguration;
import dev.peergate.autoconfigure.actuate.PeergateEndpointAutoConfiguration;
import dev.peergate.autoconfigure.actuate.PeergateHealthContributorAutoConfiguration;
import dev.peergate.autoconfigure.actuate.PeergateInfoContributorAutoConfiguration;
import dev.peergate.autoconfigure.observation.PeergateMetricsAutoConfiguration;
import dev.peergate.autoconfigure.observation.PeergateObservationAutoConfiguration;
import dev.peergate.observation.MeterTransportEvents;
import dev.peergate.observation.ObservationCallObserver;
import dev.peergate.observation.ObservationVerdictSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The optional integrations appear exactly when their library, bean and switch are there. */
class PeergateObservabilityAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
				PeergateObservationAutoConfiguration.class, PeergateMetricsAutoConfiguration.class,
				PeergateEndpointAutoConfiguration.class, PeergateHealthContributorAutoConfiguration.class,
				PeergateInfoContributorAutoConfiguration.class, PeergateAuditAutoConfiguration.class))
		.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true");

	@Test
	void recordsObservationsWhenAnObservationRegistryExists() {
		this.runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.run(context -> assertThat(context).hasSingleBean(ObservationVerdictSink.class)
				.hasSingleBean(ObservationCallObserver.class));
	}

	@Test
	void recordsNoObservationsWithoutARegistry() {
		this.runner.run(context -> assertThat(context).doesNotHaveBean(ObservationVerdictSink.class)
			.doesNotHaveBean(ObservationCallObserver.class));
	}

	@Test
	void recordsNoObservationsWithoutMicrometerOnTheClasspath() {
		this.runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class, MeterRegistry.class))
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ObservationVerdictSink.class)
					.doesNotHaveBean(MeterTransportEvents.class);
			});
	}

	@Test
	void registersActiveConnectionsGaugePerListener() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean("peergateConnectionsMeterBinder", io.micrometer.core.instrument.binder.MeterBinder.class)
				.bindTo(registry);
			assertThat(registry.get(PeergateMetricsAutoConfiguration.ACTIVE_CONNECTIONS).tag("listener", "helper")
				.gauge().value()).isZero();
			assertThat(context).hasSingleBean(MeterTransportEvents.class);
		});
	}

	@Test
	void exposesEndpointWhenIncludedInWebExposure() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=peergate")
			.run(context -> assertThat(context).hasSingleBean(PeergateEndpoint.class)
				.hasSingleBean(PeergateEndpointWebExtension.class));
	}

	@Test
	void hasNoWebExtensionWhenTheEndpointIsExposedOverJmxOnly() {
		this.runner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=peergate")
			.run(context -> assertThat(context).hasSingleBean(PeergateEndpoint.class)
				.doesNotHaveBean(PeergateEndpointWebExtension.class));
	}

	@Test
	void hasNoEndpointWhenItIsNotExposed() {
		this.runner.run(context -> assertThat(context).doesNotHaveBean(PeergateEndpoint.class));
	}

	@Test
	void hasNoActuatorBeansWithoutActuatorOnTheClasspath() {
		this.runner
			.withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class,
					org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator.class,
					org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor.class,
					org.springframework.boot.actuate.audit.listener.AuditApplicationEvent.class))
			.withPropertyValues("management.endpoints.web.exposure.include=peergate")
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(PeergateEndpoint.class)
					.doesNotHaveBean(PlatformInfoContributor.class)
					.doesNotHaveBean("peergateHealthContributor");
			});
	}

	@Test
	void contributesOneHealthIndicatorPerListener() {
		this.runner.run(context -> {
			HealthContributor contributor = context.getBean("peergateHealthContributor", HealthContributor.class);
			assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
			assertThat(((CompositeHealthContributor) contributor).getContributor("helper")).isNotNull();
		});
	}

	@Test
	void healthContributorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.peergate.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean("peergateHealthContributor"));
	}

	@Test
	void contributesPlatformInfo() {
		this.runner.run(context -> assertThat(context).hasSingleBean(PlatformInfoContributor.class));
	}

	@Test
	void bridgesRejectionsToAuditOnlyWhenAuditingIsOn() {
		this.runner.run(context -> assertThat(context).doesNotHaveBean(PeerRejectedAuditListener.class));
		this.runner.withBean(InMemoryAuditEventRepository.class)
			.run(context -> assertThat(context).hasSingleBean(PeerRejectedAuditListener.class)
				.hasSingleBean(ConnectionDisconnectedAuditListener.class));
		this.runner.withBean(InMemoryAuditEventRepository.class)
			.withPropertyValues("management.auditevents.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(PeerRejectedAuditListener.class));
	}

	@Test
	void everyOrderingClassNameResolves() throws ClassNotFoundException {
		for (String name : new String[] {
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.audit.AuditAutoConfiguration" }) {
			assertThat(Class.forName(name)).isNotNull();
		}
	}

}
