package dev.peergate.xpc;

import java.time.Duration;
import java.util.Map;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Mechanism;
import dev.peergate.core.TransportEvents;
import dev.peergate.handler.IpcError;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link XpcRequirement.SameTeam}: the team read from this process's own signature (SecCodeCopySelf) becomes a
 * code-signing requirement, so same-team works wherever code-signing strings do, on the simulator.
 */
class XpcListenerSameTeamTests {

	private static final String RESOLVED = "anchor apple generic and certificate leaf[subject.OU] = ABCDE12345";

	@Test
	void sameTeamWithObservedEnforcementWorksOnMacOs11() {
		assertSameTeam("11.0", Enforcement.OBSERVED, Mechanism.SEC_CODE_XPC_MESSAGE);
	}

	@Test
	void sameTeamWithOsEnforcementWorksOnMacOs12() {
		assertSameTeam("12.0", Enforcement.OS, Mechanism.XPC_CODE_SIGNING_REQUIREMENT);
	}

	@Test
	void sameTeamWithOsEnforcementOnMacOs14_4UsesTheCodeSigningRequirement() {
		assertSameTeam("14.4", Enforcement.OS, Mechanism.XPC_CODE_SIGNING_REQUIREMENT);
	}

	@Test
	void sameTeamWithObservedEnforcementOnMacOs26UsesTheCodeSigningRequirement() {
		assertSameTeam("26.0", Enforcement.OBSERVED, Mechanism.SEC_CODE_XPC_MESSAGE);
	}

	@Test
	void sameTeamFollowsTheTeamOfThisProcesssSignature() {
		try (XpcFixture fixture = new XpcFixture("14.4")) {
			fixture.sim.selfSignature("com.evil.helper", "XYZ9876543");
			XpcListener listener = fixture.listen(XpcRequirement.sameTeam(), Enforcement.OBSERVED);
			assertThat(listener.requirement().describe())
				.isEqualTo("anchor apple generic and certificate leaf[subject.OU] = XYZ9876543");
			try (XpcClient client = fixture.client(SimPeer.stranger())) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "ok"))).containsEntry("text", "ok");
			}
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "no")));
			}
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void teamIdentifierThatIsNotAPlainWordIsQuotedAsTheCanonicalPrinterDoes() {
		try (XpcFixture fixture = new XpcFixture("14.4")) {
			fixture.sim.selfSignature("com.example.helper", "1BCDE12345");
			XpcListener listener = fixture.listen(XpcRequirement.sameTeam(), Enforcement.OBSERVED);
			assertThat(listener.requirement().describe())
				.isEqualTo("anchor apple generic and certificate leaf[subject.OU] = \"1BCDE12345\"");
			listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void unsignedOrAdHocSignedProcessCannotStartASameTeamListener() {
		try (XpcFixture fixture = new XpcFixture("14.4")) {
			fixture.sim.selfSignature("a.out", "");
			assertThatExceptionOfType(SameTeamUnavailableException.class)
				.isThrownBy(() -> new XpcListener(
						XpcListenerOptions.of("helper", fixture.service, XpcRequirement.sameTeam())
							.withLibraries(fixture.sim.libraries()),
						fixture.dispatcher, fixture.verdicts::add, TransportEvents.none()))
				.satisfies((ex) -> {
					assertThat(ex.reason()).contains("requirement.same-team")
						.contains("unsigned or ad-hoc signed")
						.contains("signing identifier a.out");
					assertThat(ex.action()).contains("Developer ID").contains("code-signing:");
				});
			fixture.assertNoLeaks();
		}
	}

	@Test
	void sameTeamRejectionIsExplainedAgainstTheResolvedRequirement() {
		try (XpcFixture fixture = new XpcFixture("14.4")) {
			fixture.listen(XpcRequirement.sameTeam(), Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.stranger())) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "no")));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts.get(0).explanation()).contains("requirement not satisfied: " + RESOLVED)
				.contains("team-identifier=XYZ9876543");
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	private static void assertSameTeam(String macOs, Enforcement enforcement, Mechanism expected) {
		try (XpcFixture fixture = new XpcFixture(macOs)) {
			XpcListener listener = fixture.listen(XpcRequirement.sameTeam(), enforcement);
			assertThat(listener.mechanism()).isEqualTo(expected);
			assertThat(listener.requirement()).isEqualTo(XpcRequirement.codeSigning(RESOLVED));
			assertThat(listener.gate().requirement().describe()).isEqualTo(RESOLVED);
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "ok"))).containsEntry("text", "ok");
			}
			fixture.assertCallRefused(SimPeer.stranger(), enforcement);
			fixture.assertAcceptedThenRejected(expected);
			listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

}
