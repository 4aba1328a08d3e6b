package dev.peergate.autoconfigure;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.actuate.ConnectionDisconnectedAuditListener;
import dev.peergate.actuate.PeergateEndpoint;
import dev.peergate.autoconfigure.actuate.PeergateAuditAutoConfiguration;
import dev.peergate.autoconfigure.actuate.PeergateEndpointAutoConfiguration;
import dev.peergate.core.FactNames;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.event.ConnectionDisconnectedEvent;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.inprocess.TestHandlers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.actuate.audit.listener.AuditListener;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The connection inventory as the {@code peergate} endpoint shows it for a transport that counts no bytes, and a
 * disconnect through it: the event and the audit event name the operator, the audit event's principal is the peer.
 * (Over real HTTP and a Unix socket: the sample application's {@code HelperConnectionsTests}.)
 */
@Timeout(30)
class ConnectionInventoryEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
				PeergateEndpointAutoConfiguration.class, PeergateAuditAutoConfiguration.class))
		.withBean(TestHandlers.class)
		.withBean(InMemoryAuditEventRepository.class)
		.withBean(AuditListener.class)
		.withBean(Disconnects.class)
		.withPropertyValues("management.endpoints.web.exposure.include=peergate",
				"peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.linux={\"uid\":{\"$in\":[1000,1001]}}");

	@Test
	void listsTheLiveConnectionsWithTheirFactsAndNoByteCounts() {
		this.runner.run((context) -> {
			InProcessListener listener = listener(context);
			try (InProcessConnection alice = listener.connect(credentials(1000));
					InProcessConnection bob = listener.connect(credentials(1001))) {
				alice.call("com.example.test.WhoAmI", Map.of());
				PeergateEndpoint endpoint = context.getBean(PeergateEndpoint.class);
				assertThat(endpoint.connections("helper", "connections").connections()).satisfiesExactly((first) -> {
					assertThat(first.peer()).isEqualTo("uid=1000 gid=1000");
					assertThat(first.facts()).containsEntry(FactNames.UID, 1000L);
					assertThat(first.callsServed()).isEqualTo(1);
					assertThat(first.bytesRead()).isNull();
					assertThat(first.bytesWritten()).isNull();
				}, (second) -> assertThat(second.peer()).isEqualTo("uid=1001 gid=1001"));
				assertThat(endpoint.connections("helper", "elsewhere")).isNull();
				assertThat(endpoint.connections("nope", "connections")).isNull();
			}
		});
	}

	@Test
	void disconnectsOneConnectionAndRecordsItAsAnEventAndAnAuditEvent() {
		this.runner.run((context) -> {
			InProcessListener listener = listener(context);
			try (InProcessConnection alice = listener.connect(credentials(1000));
					InProcessConnection bob = listener.connect(credentials(1001))) {
				PeergateEndpoint endpoint = context.getBean(PeergateEndpoint.class);
				String id = endpoint.connections("helper", "connections").connections().get(1).id();
				PeergateEndpoint.ConnectionDescriptor disconnected = endpoint.disconnect("helper", "connections", id,
						operator("ops"));
				assertThat(disconnected).isNotNull();
				assertThat(disconnected.peer()).isEqualTo("uid=1001 gid=1001");
				assertThatIllegalStateException().isThrownBy(() -> bob.call("com.example.test.WhoAmI", Map.of()));
				assertThat(alice.call("com.example.test.WhoAmI", Map.of())).containsEntry("uid", 1000L);
				assertThat(endpoint.connections("helper", "connections").connections()).singleElement()
					.satisfies((left) -> assertThat(left.peer()).isEqualTo("uid=1000 gid=1000"));
				assertThat(endpoint.disconnect("helper", "connections", id, SecurityContext.NONE)).isNull();

				assertThat(context.getBean(Disconnects.class).events).singleElement().satisfies((event) -> {
					assertThat(event.connection().id()).isEqualTo(id);
					assertThat(event.operator()).isEqualTo("ops");
				});
				List<AuditEvent> audit = context.getBean(InMemoryAuditEventRepository.class)
					.find(null, null, ConnectionDisconnectedAuditListener.CONNECTION_DISCONNECTED);
				assertThat(audit).singleElement().satisfies((event) -> {
					assertThat(event.getPrincipal()).isEqualTo("uid=1001 gid=1001");
					assertThat(event.getData()).containsEntry("listener", "helper")
						.containsEntry("transport", "in-process")
						.containsEntry("connection", id)
						.containsEntry("operator", "ops");
				});
			}
		});
	}

	private static SecurityContext operator(String name) {
		return new SecurityContext() {

			@Override
			public Principal getPrincipal() {
				return () -> name;
			}

			@Override
			public boolean isUserInRole(String role) {
				return false;
			}

		};
	}

	private static InProcessListener listener(ApplicationContext context) {
		return (InProcessListener) context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
	}

	private static PeerCredentials credentials(long uid) {
		return PeerCredentials.builder(InProcessListener.TRANSPORT)
			.uid(uid)
			.gid(uid)
			.facts(PeerFacts.builder().verified(FactNames.UID, uid).build())
			.build();
	}

	static class Disconnects implements ApplicationListener<ConnectionDisconnectedEvent> {

		final List<ConnectionDisconnectedEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ConnectionDisconnectedEvent event) {
			this.events.add(event);
		}

	}

}
