package dev.peergate.xpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.client.XpcClient;
import dev.peergate.core.CallVerdict;
import dev.peergate.core.Gate;
import dev.peergate.core.Outcome;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A method of an XPC listener can require more than the listener: each message calling it is checked against the
 * method's code-signing requirement by Security.framework, by the message's audit token; a refused call gets
 * PermissionDenied and the connection stays open for the other methods.
 */
class XpcMethodRequirementsTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	private static final SimPeer ADMIN = new SimPeer(501, 20, 4343, "com.example.admin", "ABCDE12345",
			"1123456789abcdef0123456789abcdef01234567", "ABCDE12345", "", false, true, 6);

	private final List<CallVerdict> calls = new CopyOnWriteArrayList<>();

	@Test
	void refusesACallOfAMethodWhoseRequirementTheSenderDoesNotSatisfyAndServesTheOthers() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			listen(fixture, Map.of("com.example.helper.EchoInline",
					XpcRequirement.codeSigning("identifier \"com.example.admin\"")));
			assertOnlyTheAdminCallsEchoInlineWhileTheCliKeepsEcho(fixture);
			assertThat(this.calls.get(0).method()).isEqualTo("com.example.helper.EchoInline");
			assertThat(this.calls.get(0).explanation()).contains("identifier \"com.example.admin\"");
			assertThat(this.calls.get(1).peer().uid()).isEqualTo(501);
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void anAuditedMethodRequirementRecordsWouldRejectAndRunsTheCall() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			Map<String, XpcRequirement> methods = Map.of("com.example.helper.EchoInline",
					XpcRequirement.codeSigning("identifier \"com.example.admin\""));
			listen(fixture, XpcListenerOptions.of("helper", fixture.service, TEAM)
				.withLibraries(fixture.sim.libraries())
				.withMethodRequirements(methods)
				.withAuditedMethods(methods.keySet()));
			try (XpcClient cli = fixture.client(SimPeer.teamCli())) {
				assertThat(cli.call("com.example.helper.EchoInline", Map.of("text", "ran"))).containsEntry("text", "ran");
			}
			assertThat(this.calls).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.WOULD_REJECT);
				assertThat(verdict.reason()).isEqualTo(dev.peergate.core.Reason.REQUIREMENT_NOT_SATISFIED);
				assertThat(verdict.explanation()).contains("identifier \"com.example.admin\"");
			});
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void matchesALightweightMethodRequirementPerMessageOnMacOs26() {
		try (XpcFixture fixture = new XpcFixture("26.0")) {
			listen(fixture, Map.of("com.example.helper.EchoInline", XpcRequirement
				.lightweight(Map.of("team-identifier", "ABCDE12345", "signing-identifier", "com.example.admin"))));
			assertOnlyTheAdminCallsEchoInlineWhileTheCliKeepsEcho(fixture);
			assertThat(this.calls.get(0).reason()).isEqualTo(dev.peergate.core.Reason.REQUIREMENT_NOT_SATISFIED);
			assertThat(this.calls.get(0).explanation()).startsWith("the sender does not satisfy lwcr ");
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void aLightweightMethodRequirementBeforeMacOs26FailsTheStart() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			XpcListenerOptions options = XpcListenerOptions.of("helper", fixture.service, TEAM)
				.withLibraries(fixture.sim.libraries())
				.withMethodRequirements(Map.of("com.example.helper.Echo",
						XpcRequirement.lightweight(Map.of("team-identifier", "ABCDE12345"))));
			XpcListenerSetup setup = XpcListenerSetup.prepare(options);
			XpcListener listener = new XpcListener(setup,
					new Gate("helper", setup.mechanism(), setup.gateRequirement(), fixture.verdicts::add),
					fixture.dispatcher, fixture.transportEvents, this.calls::add);
			org.assertj.core.api.Assertions.assertThatException()
				.isThrownBy(listener::start)
				.withMessageContaining("xpc_peer_requirement_match_received_message (macOS 26)");
			fixture.assertNoLeaks();
		}
	}

	@Test
	void refusesAMethodRequirementOfAnotherForm() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> XpcListenerOptions.of("helper", "com.example.helper", TEAM)
				.withMethodRequirements(Map.of("com.example.helper.Echo", XpcRequirement.sameTeam())))
			.withMessageContaining("a method requirement is a code-signing or lightweight one");
	}

	@Test
	void aMethodRequirementSecurityFrameworkRejectsFailsTheStart() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			XpcListenerOptions options = XpcListenerOptions.of("helper", fixture.service, TEAM)
				.withLibraries(fixture.sim.libraries())
				.withMethodRequirements(Map.of("com.example.helper.Echo", XpcRequirement.codeSigning("anchor apple generic and")));
			XpcListenerSetup setup = XpcListenerSetup.prepare(options);
			XpcListener listener = new XpcListener(setup,
					new Gate("helper", setup.mechanism(), setup.gateRequirement(), fixture.verdicts::add),
					fixture.dispatcher, fixture.transportEvents, this.calls::add);
			org.assertj.core.api.Assertions.assertThatException()
				.isThrownBy(listener::start)
				.withMessageContaining("com.example.helper.Echo");
			fixture.assertNoLeaks();
		}
	}

	/** The cli is refused EchoInline and still served Echo on the same connection; the admin tool is served. */
	private void assertOnlyTheAdminCallsEchoInlineWhileTheCliKeepsEcho(XpcFixture fixture) {
		assertOnlyTheAdminCallsEchoInline(fixture);
		// each connection's verdict is timed from the arrival of the message it verified
		assertThat(fixture.verdicts).isNotEmpty().allSatisfy((verdict) -> assertThat(verdict.verification()).isPositive());
	}

	private void assertOnlyTheAdminCallsEchoInline(XpcFixture fixture) {
		try (XpcClient cli = fixture.client(SimPeer.teamCli())) {
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> cli.call("com.example.helper.EchoInline", Map.of("text", "no")))
				.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
			assertThat(cli.call("com.example.helper.Echo", Map.of("text", "yes"))).containsEntry("text", "yes");
		}
		try (XpcClient admin = fixture.client(ADMIN)) {
			assertThat(admin.call("com.example.helper.EchoInline", Map.of("text", "ok"))).containsEntry("text", "ok");
		}
		assertThat(this.calls).extracting(CallVerdict::outcome).containsExactly(Outcome.REJECTED, Outcome.ACCEPTED);
	}

	private void listen(XpcFixture fixture, Map<String, XpcRequirement> methods) {
		listen(fixture, XpcListenerOptions.of("helper", fixture.service, TEAM)
			.withLibraries(fixture.sim.libraries())
			.withMethodRequirements(methods));
	}

	private void listen(XpcFixture fixture, XpcListenerOptions options) {
		XpcListenerSetup setup = XpcListenerSetup.prepare(options);
		fixture.listener = new XpcListener(setup,
				new Gate("helper", setup.mechanism(), setup.gateRequirement(), fixture.verdicts::add), fixture.dispatcher,
				fixture.transportEvents, this.calls::add);
		fixture.listener.start();
	}

}
