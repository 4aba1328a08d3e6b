package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.actuate.CallDeniedAuditListener;
import dev.peergate.actuate.PeergateEndpoint;
import dev.peergate.autoconfigure.actuate.PeergateAuditAutoConfiguration;
import dev.peergate.autoconfigure.actuate.PeergateEndpointAutoConfiguration;
import dev.peergate.autoconfigure.observation.PeergateMetricsAutoConfiguration;
import dev.peergate.client.VarlinkClient;
import dev.peergate.core.PeerCredentials;
import dev.peergate.event.AbstractCallEvent;
import dev.peergate.event.CallAllowedEvent;
import dev.peergate.event.CallDeniedEvent;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.StandardErrors;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.inprocess.TestHandlers;
import dev.peergate.observation.MeterCallVerdictSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.actuate.audit.listener.AuditListener;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A method can require more of its caller than its listener does: a refused call is answered PermissionDenied,
 * the connection stays open for the other methods, and every decision is the same in the meter, the events, the
 * audit and the endpoint.
 */
class MethodRequirementsTests {

	private static final String GREET = "com.example.test.Greet";

	private static final String WHO_AM_I = "com.example.test.WhoAmI";

	private final long ownUid = new com.sun.security.auth.module.UnixSystem().getUid();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class, PeergateMetricsAutoConfiguration.class,
				PeergateEndpointAutoConfiguration.class, PeergateAuditAutoConfiguration.class))
		.withBean(TestHandlers.class)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(InMemoryAuditEventRepository.class)
		.withBean(AuditListener.class)
		.withBean(CallEvents.class)
		.withPropertyValues("management.endpoints.web.exposure.include=peergate");

	@Test
	void refusesACallTheMethodRequirementDoesNotAllowAndKeepsTheConnectionForOtherMethods() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.linux={\"uid\":{\"$in\":[1000,1001]}}",
				"peergate.listeners.helper.methods[" + GREET + "].requirement.linux.uid=1000")
			.run((context) -> {
				InProcessListener listener = inProcess(context);
				try (InProcessConnection bob = listener.connect(credentials(1001))) {
					assertThatExceptionOfType(IpcError.class)
						.isThrownBy(() -> bob.call(GREET, Map.of("name", "x", "times", 1)))
						.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
					assertThat(bob.call(WHO_AM_I, Map.of())).containsEntry("uid", 1001L);
					bob.oneway(GREET, Map.of("name", "x", "times", 1)); // dropped, and counted
				}
				try (InProcessConnection alice = listener.connect(credentials(1000))) {
					assertThat(alice.call(GREET, Map.of("name", "x", "times", 1))).containsKey("text");
				}
				String explanation = "uid: expected 1000, peer has 1001";

				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get(MeterCallVerdictSink.CALL_AUTHORIZATION)
					.tags("listener", "helper", "method", GREET, "outcome", "rejected", "reason",
							"requirement-not-satisfied", "authority", "requirement")
					.counter()
					.count()).isEqualTo(2);
				assertThat(meters.get(MeterCallVerdictSink.CALL_AUTHORIZATION)
					.tags("method", GREET, "outcome", "accepted")
					.counter()
					.count()).isEqualTo(1);
				assertThat(meters.find(MeterCallVerdictSink.CALL_AUTHORIZATION).tag("method", WHO_AM_I).counters())
					.isEmpty();

				List<AbstractCallEvent> events = context.getBean(CallEvents.class).events;
				assertThat(events).hasSize(2).allSatisfy((event) -> {
					assertThat(event).isInstanceOf(CallDeniedEvent.class);
					assertThat(event.method()).isEqualTo(GREET);
					assertThat(event.peer().uid()).isEqualTo(1001);
					assertThat(event.explanation()).isEqualTo(explanation);
				});

				List<AuditEvent> audit = context.getBean(InMemoryAuditEventRepository.class)
					.find(null, null, CallDeniedAuditListener.CALL_DENIED);
				assertThat(audit).hasSize(2)
					.allSatisfy((event) -> assertThat(event.getData()).containsEntry("method", GREET)
						.containsEntry("explanation", explanation)
						.containsEntry("authority", "requirement"));

				PeergateEndpoint.ListenerDescriptor descriptor = context.getBean(PeergateEndpoint.class)
					.listener("helper");
				assertThat(descriptor.callsAllowed()).isEqualTo(1);
				assertThat(descriptor.callsRefused()).isEqualTo(2);
				assertThat(descriptor.recentCallRefusals()).hasSize(2).allSatisfy((refusal) -> {
					assertThat(refusal.method()).isEqualTo(GREET);
					assertThat(refusal.explanation()).isEqualTo(explanation);
					assertThat(refusal.reason()).isEqualTo("requirement-not-satisfied");
				});
			});
	}

	@Test
	void publishesAllowedCallsOnlyWhenAskedTo() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods[" + GREET + "].requirement.linux.uid=" + this.ownUid,
				"peergate.events.publish-allowed-calls=true")
			.run((context) -> {
				try (InProcessConnection own = inProcess(context).connect(credentials(this.ownUid))) {
					own.call(GREET, Map.of("name", "x", "times", 1));
				}
				assertThat(context.getBean(CallEvents.class).events).singleElement()
					.isInstanceOf(CallAllowedEvent.class);
			});
	}

	@Test
	void gathersAtConnectTheFactsOnlyAMethodReadsAndRefusesOverARealSocket(@TempDir Path directory) {
		Path socket = directory.resolve("helper.sock");
		this.runner.withPropertyValues("peergate.listeners.helper.unix.path=" + socket,
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods[" + GREET + "].requirement.linux.executable-path=/usr/bin/not-this")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (VarlinkClient client = VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(10)).connect()) {
					assertThatExceptionOfType(IpcError.class)
						.isThrownBy(() -> client.call(GREET, Map.of("name", "x", "times", 1)))
						.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
					assertThat(((Number) client.call(WHO_AM_I, Map.of()).get("uid")).longValue()).isEqualTo(this.ownUid);
				}
				List<AbstractCallEvent> events = context.getBean(CallEvents.class).events;
				// the listener's own requirement (same-user) never reads the executable: the method's did, so it was
				// gathered and verified at connect, and the refusal quotes the real path
				assertThat(events).singleElement()
					.satisfies((event) -> assertThat(event.explanation()).contains("executable-path")
						.contains(ProcessHandle.current().info().command().orElseThrow()));
			});
	}

	@Test
	void refusesAMethodRequirementForAMethodTheListenerDoesNotServe() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods[com.example.test.Gret].requirement.linux.uid=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(ListenerConfigurationException.class)
				.hasMessageContaining("peergate.listeners.helper.methods[com.example.test.Gret]")
				.satisfies((failure) -> assertThat(((ListenerConfigurationException) failure).action())
					.contains(GREET)));
	}

	@Test
	void refusesAMethodNameWithoutBracketsWhichTheBinderWouldSplit() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods.com.example.test.Greet.requirement.linux.uid=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(ListenerConfigurationException.class)
				.hasMessageContaining("names a method without brackets")
				.satisfies((failure) -> assertThat(((ListenerConfigurationException) failure).action())
					.contains("peergate.listeners.helper.methods[com.example.test.Greet].requirement.linux.uid")));
	}

	@Test
	void refusesAnUnknownSettingOfAMethod() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods[" + GREET + "].requirment.linux.uid=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(ListenerConfigurationException.class)
				.hasMessageContaining("is not a setting of a method"));
	}

	@Test
	void refusesAMethodRequirementThatIsInvalidNamingItsProperty() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods[" + GREET + "].requirement.linux.uid=root")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("peergate.listeners.helper.methods[" + GREET + "].requirement.linux"));
	}

	@Test
	void refusesAllowAnyPeerOnAMethodBecauseItCouldNotNarrowAnything() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods[" + GREET + "].requirement.allow-any-peer=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("methods[" + GREET + "].requirement.allow-any-peer"));
	}

	@Test
	void aOnewayCallOfARefusedMethodRunsNothing() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.linux={\"uid\":{\"$in\":[1000,1001]}}",
				"peergate.listeners.helper.methods[com.example.test.Crash].requirement.linux.uid=1000")
			.run((context) -> {
				try (InProcessConnection bob = inProcess(context).connect(credentials(1001))) {
					assertThat(bob.exchange(IpcRequest.call("com.example.test.Crash", Map.of()), Duration.ofSeconds(5)))
						.singleElement()
						.satisfies((reply) -> assertThat(reply.error()).isEqualTo(StandardErrors.PERMISSION_DENIED));
				}
			});
	}

	@Test
	void refusesAPolkitActionOnAListenerWithoutProcesses() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods[" + GREET + "].polkit-action=com.example.helper.greet")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(ListenerConfigurationException.class)
				.hasMessageContaining("peergate.listeners.helper.methods[" + GREET + "].polkit-action")
				.hasMessageContaining("not a unix listener"));
	}

	@Test
	void refusesAPolkitActionOnANonBlockingHandler(@TempDir Path directory) {
		this.runner.withBean(QuickHandlers.class)
			.withPropertyValues("peergate.listeners.helper.unix.path=" + directory.resolve("h.sock"),
					"peergate.listeners.helper.requirement.same-user=true",
					"peergate.listeners.helper.methods[com.example.quick.Quick].polkit-action=com.example.helper.quick")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("methods[com.example.quick.Quick].polkit-action")
				.hasMessageContaining("non-blocking"));
	}

	@Test
	void aMethodWithOnlyAPolkitActionNeedsNoRequirementOfItsOwn(@TempDir Path directory) {
		this.runner.withPropertyValues("peergate.listeners.helper.unix.path=" + directory.resolve("h.sock"),
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods[" + GREET + "].polkit-action=com.example.helper.greet")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startsWithoutDbusJavaUnlessAMethodNamesAPolkitAction(@TempDir Path directory) {
		ApplicationContextRunner withoutDbus = this.runner
			.withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader("org.freedesktop"))
			.withPropertyValues("peergate.listeners.helper.unix.path=" + directory.resolve("h.sock"),
					"peergate.listeners.helper.requirement.same-user=true");
		withoutDbus.run((context) -> assertThat(context).hasNotFailed());
		withoutDbus.withPropertyValues("peergate.listeners.helper.methods[" + GREET + "].polkit-action=com.example.greet")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("polkit actions need dbus-java"));
	}

	@Test
	void refusesAMethodWithNeitherARequirementNorAPolkitAction() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods[" + GREET + "].enforcement=audit")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("methods[" + GREET + "].requirement")
				.hasMessageContaining("has no requirement"));
	}

	private static InProcessListener inProcess(org.springframework.context.ApplicationContext context) {
		return (InProcessListener) context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
	}

	private static PeerCredentials credentials(long uid) {
		return PeerCredentials.builder(InProcessListener.TRANSPORT).uid(uid).gid(uid).build();
	}

	@dev.peergate.handler.IpcInterface("com.example.quick")
	static class QuickHandlers {

		@dev.peergate.handler.IpcMethod(blocking = false)
		public TestHandlers.Reply quick() {
			return new TestHandlers.Reply("quick");
		}

	}

	static class CallEvents implements ApplicationListener<AbstractCallEvent> {

		final List<AbstractCallEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(AbstractCallEvent event) {
			this.events.add(event);
		}

	}

}
