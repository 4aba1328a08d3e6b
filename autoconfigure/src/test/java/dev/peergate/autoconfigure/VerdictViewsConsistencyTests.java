package dev.peergate.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.actuate.PeergateEndpoint;
import dev.peergate.autoconfigure.actuate.PeergateAuditAutoConfiguration;
import dev.peergate.autoconfigure.actuate.PeergateEndpointAutoConfiguration;
import dev.peergate.autoconfigure.observation.PeergateObservationAutoConfiguration;
import dev.peergate.core.PeerCredentials;
import dev.peergate.event.AbstractPeerEvent;
import dev.peergate.event.PeerAcceptedEvent;
import dev.peergate.event.PeerRejectedEvent;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.inprocess.TestHandlers;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.actuate.audit.listener.AuditListener;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One accepted and one rejected peer, seen through every view: observations, Spring events, audit and the
 * actuator endpoint must tell the same story because they are fed by the same verdicts.
 */
class VerdictViewsConsistencyTests {

	private final long ownUid = new com.sun.security.auth.module.UnixSystem().getUid();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
				PeergateObservationAutoConfiguration.class, PeergateEndpointAutoConfiguration.class,
				PeergateAuditAutoConfiguration.class))
		.withBean(TestHandlers.class)
		.withBean(ObservationRegistry.class, TestObservationRegistry::create)
		.withBean(InMemoryAuditEventRepository.class)
		.withBean(AuditListener.class)
		.withBean(EventCollector.class)
		.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true",
				"management.endpoints.web.exposure.include=peergate");

	@Test
	void acceptedAndRejectedPeersLookTheSameInEveryView() {
		this.runner.run(context -> {
			InProcessListener listener = (InProcessListener) context.getBean(PeergateListeners.class)
				.listener("helper")
				.orElseThrow();
			try (InProcessConnection accepted = listener.connect(credentials(this.ownUid));
					InProcessConnection rejected = listener.connect(credentials(this.ownUid + 1))) {
				accepted.call("com.example.test.WhoAmI", Map.of());
				assertThat(rejected.verdict().accepted()).isFalse();
			}
			String explanation = "uid: expected " + this.ownUid + ", peer has " + (this.ownUid + 1);

			TestObservationRegistry observations = (TestObservationRegistry) context.getBean(ObservationRegistry.class);
			assertThat(observations).hasNumberOfObservationsWithNameEqualTo("peergate.peer.verification", 2)
				.hasAnObservation(observation -> observation.hasNameEqualTo("peergate.peer.verification")
					.hasLowCardinalityKeyValue("outcome", "accepted")
					.hasLowCardinalityKeyValue("mechanism", "stated")
					.hasLowCardinalityKeyValue("listener", "helper")
					.hasLowCardinalityKeyValue("transport", "in-process"))
				.hasAnObservation(observation -> observation.hasNameEqualTo("peergate.peer.verification")
					.hasLowCardinalityKeyValue("outcome", "rejected")
					.hasLowCardinalityKeyValue("reason", "requirement-not-satisfied")
					.hasHighCardinalityKeyValue("peer.uid", String.valueOf(this.ownUid + 1)))
				.hasAnObservation(observation -> observation.hasNameEqualTo("peergate.request")
					.hasLowCardinalityKeyValue("method", "com.example.test.WhoAmI")
					.hasLowCardinalityKeyValue("outcome", "success"));

			List<AbstractPeerEvent> events = context.getBean(EventCollector.class).events;
			assertThat(events).hasSize(2);
			assertThat(events).filteredOn(PeerAcceptedEvent.class::isInstance).singleElement()
				.satisfies(event -> assertThat(event.peer().uid()).isEqualTo(this.ownUid));
			assertThat(events).filteredOn(PeerRejectedEvent.class::isInstance).singleElement()
				.satisfies(event -> assertThat(((PeerRejectedEvent) event).explanation()).isEqualTo(explanation));

			PeergateEndpoint.ListenerDescriptor descriptor = context.getBean(PeergateEndpoint.class).listener("helper");
			assertThat(descriptor.accepted()).isEqualTo(1);
			assertThat(descriptor.rejected()).isEqualTo(1);
			assertThat(descriptor.mechanism()).isEqualTo("stated");
			assertThat(descriptor.recentRejections()).singleElement()
				.satisfies(rejection -> assertThat(rejection.explanation()).isEqualTo(explanation));

			List<AuditEvent> audit = context.getBean(InMemoryAuditEventRepository.class).find(null, null, "PEER_REJECTED");
			assertThat(audit).singleElement()
				.satisfies(event -> assertThat(event.getData()).containsEntry("explanation", explanation)
					.containsEntry("listener", "helper"));
		});
	}

	@Test
	void unknownMethodsAreTaggedUnknownToKeepMetricCardinalityBounded() {
		this.runner.run(context -> {
			InProcessListener listener = (InProcessListener) context.getBean(PeergateListeners.class)
				.listener("helper")
				.orElseThrow();
			try (InProcessConnection connection = listener.connect(credentials(this.ownUid))) {
				connection.exchange(dev.peergate.handler.IpcRequest.call("com.example.random123.Whatever", Map.of()),
						java.time.Duration.ofSeconds(10));
			}
			assertThat((TestObservationRegistry) context.getBean(ObservationRegistry.class))
				.hasAnObservation(observation -> observation.hasNameEqualTo("peergate.request")
					.hasLowCardinalityKeyValue("method", "UNKNOWN")
					.hasLowCardinalityKeyValue("outcome", "org.varlink.service.InterfaceNotFound"));
		});
	}

	private static PeerCredentials credentials(long uid) {
		return PeerCredentials.builder("in-process").uid(uid).gid(uid).build();
	}

	static class EventCollector implements ApplicationListener<AbstractPeerEvent> {

		final List<AbstractPeerEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(AbstractPeerEvent event) {
			this.events.add(event);
		}

	}

}
