package dev.peergate.xpc;

import java.util.List;
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

/** Every mechanism row the listener implements, with an accepted and a rejected peer each, on the simulator. */
class XpcListenerMechanismTests {

	private static final XpcRequirement TEAM_STRING = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	private static final XpcRequirement TEAM_LWCR = XpcRequirement.lightweight(Map.of("team-identifier", "ABCDE12345",
			"signing-identifier", Map.of("$in", List.of("com.example.app", "com.example.cli"))));

	@Test
	void osEnforcementWithCodeSigningStringOnMacOs12() {
		assertRow("12.0", TEAM_STRING, Enforcement.OS, Mechanism.XPC_CODE_SIGNING_REQUIREMENT);
	}

	@Test
	void osEnforcementWithLightweightRequirementOnMacOs14_4() {
		assertRow("14.4", TEAM_LWCR, Enforcement.OS, Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT);
	}

	@Test
	void osEnforcementWithTeamIdentityOnMacOs14_4() {
		assertRow("14.4", new XpcRequirement.TeamIdentity("com.example.cli"), Enforcement.OS,
				Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT);
	}

	@Test
	void osEnforcementWithEntitlementOnMacOs14_4() {
		assertRow("14.4", new XpcRequirement.EntitlementExists("com.example.helper.client"), Enforcement.OS,
				Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT);
	}

	@Test
	void osEnforcementWithPlatformIdentityOnMacOs14_4() {
		assertRow("14.4", new XpcRequirement.PlatformIdentity("com.apple.tool"), Enforcement.OS,
				Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT, PLATFORM_TOOL);
	}

	@Test
	void observedEnforcementWithEntitlementOnMacOs26() {
		assertRow("26.0", new XpcRequirement.EntitlementExists("com.example.helper.client"), Enforcement.OBSERVED,
				Mechanism.XPC_PEER_REQUIREMENT_MATCH);
	}

	@Test
	void osEnforcementWithPeerRequirementObjectOnMacOs26() {
		assertRow("26.0", TEAM_LWCR, Enforcement.OS, Mechanism.XPC_PEER_REQUIREMENT);
	}

	@Test
	void observedEnforcementWithLightweightRequirementOnMacOs26() {
		assertRow("26.0", TEAM_LWCR, Enforcement.OBSERVED, Mechanism.XPC_PEER_REQUIREMENT_MATCH);
	}

	@Test
	void observedEnforcementWithCodeSigningStringOnMacOs26() {
		assertRow("26.0", TEAM_STRING, Enforcement.OBSERVED, Mechanism.SEC_CODE_XPC_MESSAGE);
	}

	@Test
	void observedMatchOnMacOs26ExplainsRejectionWithLibxpcsRichError() {
		try (XpcFixture fixture = new XpcFixture("26.0")) {
			fixture.listen(TEAM_LWCR, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.stranger())) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "x")));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts.get(0).explanation())
				.contains("does not satisfy the peer requirement")
				.contains("team-identifier=XYZ9876543");
			fixture.listener.stop(java.time.Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void observedEnforcementWithLightweightRequirementBefore26RefusesToStartAndSaysWhatWouldWork() {
		try (XpcFixture fixture = new XpcFixture("14.4")) {
			assertThatExceptionOfType(MechanismUnavailableException.class)
				.isThrownBy(() -> fixture.listen(TEAM_LWCR, Enforcement.OBSERVED))
				.withMessageContaining("needs xpc_peer_requirement_match_received_message (macOS 26+)")
				.withMessageContaining("enforcement: os");
		}
	}

	@Test
	void osEnforcementOnALibxpcWithoutTheSetterRefusesToStartNamingTheMissingSymbol() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			dev.peergate.xpc.jna.XpcSimulator legacy = dev.peergate.xpc.jna.XpcSimulator
				.of(dev.peergate.xpc.jna.XpcSimulator.Variant.LEGACY_11);
			legacy.macOs("12.0");
			assertThatExceptionOfType(MechanismUnavailableException.class)
				.isThrownBy(() -> new XpcListener(
						XpcListenerOptions.of("helper", "com.example.legacy", TEAM_STRING)
							.withEnforcement(Enforcement.OS)
							.withLibraries(legacy.libraries()),
						fixture.dispatcher, fixture.verdicts::add, TransportEvents.none()))
				.withMessageContaining("xpc_connection_set_peer_code_signing_requirement");
		}
	}

	private static final SimPeer PLATFORM_TOOL = new SimPeer(0, 0, 77, "com.apple.tool", "", "", "", "", true, true, 1);

	private static void assertRow(String macOs, XpcRequirement requirement, Enforcement enforcement,
			Mechanism expected) {
		assertRow(macOs, requirement, enforcement, expected, SimPeer.teamCli());
	}

	private static void assertRow(String macOs, XpcRequirement requirement, Enforcement enforcement,
			Mechanism expected, SimPeer accepted) {
		try (XpcFixture fixture = new XpcFixture(macOs)) {
			XpcListener listener = fixture.listen(requirement, enforcement);
			assertThat(listener.mechanism()).isEqualTo(expected);
			try (XpcClient client = fixture.client(accepted)) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "ok"))).containsEntry("text", "ok");
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "again"))).containsEntry("text",
						"again");
			}
			fixture.assertCallRefused(SimPeer.stranger(), enforcement);
			fixture.assertAcceptedThenRejected(expected);
			listener.stop(java.time.Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

}
