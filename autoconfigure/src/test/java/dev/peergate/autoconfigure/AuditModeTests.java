package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.actuate.ListenerHealthIndicator;
import dev.peergate.actuate.PeergateEndpoint;
import dev.peergate.autoconfigure.actuate.PeergateEndpointAutoConfiguration;
import dev.peergate.autoconfigure.observation.PeergateMetricsAutoConfiguration;
import dev.peergate.client.VarlinkClient;
import dev.peergate.core.Outcome;
import dev.peergate.core.PeerListener;
import dev.peergate.core.PeerCredentials;
import dev.peergate.event.CallDeniedEvent;
import dev.peergate.event.PeerRejectedEvent;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.inprocess.TestHandlers;
import dev.peergate.observation.MeterCallVerdictSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code enforcement: audit} rolls a tighter requirement out safely: what it would refuse is served and recorded as
 * {@code would-reject} wherever a refusal is; never the default, and said loudly at startup.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditModeTests {

	private static final String GREET = "com.example.test.Greet";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class, PeergateMetricsAutoConfiguration.class,
				PeergateEndpointAutoConfiguration.class))
		.withBean(TestHandlers.class)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(Events.class)
		.withPropertyValues("management.endpoints.web.exposure.include=peergate");

	@Test
	void servesAPeerTheAuditedRequirementRefusesAndRecordsItAsWouldReject(@TempDir Path directory,
			CapturedOutput output) {
		Path socket = directory.resolve("helper.sock");
		this.runner.withPropertyValues("peergate.listeners.helper.unix.path=" + socket,
				"peergate.listeners.helper.requirement.linux.uid=65534", "peergate.listeners.helper.enforcement=audit")
			.run((context) -> {
				try (VarlinkClient client = VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(10)).connect()) {
					assertThat(client.call("com.example.test.WhoAmI", Map.of())).containsKey("uid");
				}
				assertThat(context.getBean(Events.class).events).singleElement()
					.isInstanceOfSatisfying(PeerRejectedEvent.class, (event) -> {
						assertThat(event.verdict().outcome()).isEqualTo(Outcome.WOULD_REJECT);
						assertThat(event.explanation()).startsWith("uid: expected 65534");
					});
				PeergateEndpoint.ListenerDescriptor descriptor = context.getBean(PeergateEndpoint.class)
					.listener("helper");
				assertThat(descriptor.enforcement()).isEqualTo("audit");
				assertThat(descriptor.wouldReject()).isEqualTo(1);
				assertThat(descriptor.accepted()).isZero();
				assertThat(descriptor.recentRejections()).singleElement()
					.satisfies((rejection) -> assertThat(rejection.outcome()).isEqualTo("would-reject"));
				assertThat(output).contains("is in AUDIT mode (enforcement: audit)");
			});
	}

	@Test
	void theDefaultEnforcementRefuses(@TempDir Path directory) {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.linux.uid=65534")
			.run((context) -> {
				InProcessListener listener = (InProcessListener) context.getBean(PeergateListeners.class)
					.listener("helper")
					.orElseThrow();
				assertThat(listener.gate().audit()).isFalse();
				try (InProcessConnection connection = listener.connect(credentials(1000))) {
					assertThat(connection.verdict().outcome()).isEqualTo(Outcome.REJECTED);
				}
			});
	}

	@Test
	void runsACallTheAuditedMethodRequirementRefusesAndCountsItAsWouldReject(CapturedOutput output) {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=false",
				"peergate.listeners.helper.requirement.linux.uid=1001",
				"peergate.listeners.helper.methods[" + GREET + "].requirement.linux.uid=1000",
				"peergate.listeners.helper.methods[" + GREET + "].enforcement=audit")
			.run((context) -> {
				InProcessListener listener = (InProcessListener) context.getBean(PeergateListeners.class)
					.listener("helper")
					.orElseThrow();
				try (InProcessConnection bob = listener.connect(credentials(1001))) {
					assertThat(bob.call(GREET, Map.of("name", "bob", "times", 1))).containsKey("text");
				}
				assertThat(context.getBean(MeterRegistry.class)
					.get(MeterCallVerdictSink.CALL_AUTHORIZATION)
					.tags("method", GREET, "outcome", "would-reject")
					.counter()
					.count()).isEqualTo(1);
				assertThat(context.getBean(Events.class).events).singleElement()
					.isInstanceOfSatisfying(CallDeniedEvent.class,
							(event) -> assertThat(event.verdict().outcome()).isEqualTo(Outcome.WOULD_REJECT));
				assertThat(output).contains("method " + GREET + " is in AUDIT mode");
			});
	}

	@Test
	void showsAuditInHealth() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true", "peergate.listeners.helper.enforcement=audit")
			.run((context) -> {
				PeerListener listener = context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
				assertThat(new ListenerHealthIndicator(listener).health().getDetails()).containsEntry("enforcement",
						"audit: requirement refusals are recorded as would-reject, not enforced");
			});
	}

	@Test
	void refusesOsEnforcementOffXpc() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true", "peergate.listeners.helper.enforcement=os")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("peergate.listeners.helper.enforcement"));
	}

	private static PeerCredentials credentials(long uid) {
		return PeerCredentials.builder(InProcessListener.TRANSPORT).uid(uid).gid(uid).build();
	}

	static class Events implements ApplicationListener<ApplicationEvent> {

		final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof PeerRejectedEvent || event instanceof CallDeniedEvent) {
				this.events.add(event);
			}
		}

	}

}
