package dev.peergate.xpc;

import java.time.Duration;
import java.util.Map;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Mechanism;
import dev.peergate.handler.IpcError;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Entitlement requirements (exists, matches a bool / string / int64 value) through every mechanism that enforces
 * them, on the simulator: an entitled peer is accepted, a peer without the entitlement or with another value (or
 * the same text in another type) is rejected, and nothing leaks.
 */
class XpcListenerEntitlementTests {

	/** A team CLI holding a bool, a string and an int64 entitlement. */
	private static final SimPeer ENTITLED = new SimPeer(501, 20, 4242, "com.example.cli", "ABCDE12345",
			"0123456789abcdef0123456789abcdef01234567", "ABCDE12345",
			"com.example.helper.client,com.example.tier=s:gold,com.example.level=i:3", false, true, 6);

	/** The same entitlement names with the same text, in other types or values. */
	private static final SimPeer LOOKALIKE = new SimPeer(501, 20, 4545, "com.example.cli", "ABCDE12345",
			"0123456789abcdef0123456789abcdef01234567", "ABCDE12345",
			"com.example.helper.client=s:true,com.example.tier=s:silver,com.example.level=s:3", false, true, 6);

	@Test
	void existsIsEnforcedByLibxpcOnMacOs14_4() {
		assertRow("14.4", XpcRequirement.entitlementExists("com.example.tier"), Enforcement.OS,
				Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT, SimPeer.stranger());
	}

	@Test
	void existsIsObservedPerMessageOnMacOs26() {
		assertRow("26.0", XpcRequirement.entitlementExists("com.example.tier"), Enforcement.OBSERVED,
				Mechanism.XPC_PEER_REQUIREMENT_MATCH, SimPeer.stranger());
	}

	@Test
	void boolValueIsEnforcedByLibxpcOnMacOs14_4AndTheStringTrueDoesNotMatch() {
		assertRow("14.4", XpcRequirement.entitlementMatches("com.example.helper.client", true), Enforcement.OS,
				Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT, LOOKALIKE);
	}

	@Test
	void stringValueIsEnforcedByLibxpcOnMacOs14_4() {
		assertRow("14.4", XpcRequirement.entitlementMatches("com.example.tier", "gold"), Enforcement.OS,
				Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT, LOOKALIKE);
	}

	@Test
	void int64ValueIsEnforcedByLibxpcOnMacOs14_4AndTheString3DoesNotMatch() {
		assertRow("14.4", XpcRequirement.entitlementMatches("com.example.level", 3L), Enforcement.OS,
				Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT, LOOKALIKE);
	}

	@Test
	void boolValueIsObservedPerMessageOnMacOs26() {
		assertRow("26.0", XpcRequirement.entitlementMatches("com.example.helper.client", true), Enforcement.OBSERVED,
				Mechanism.XPC_PEER_REQUIREMENT_MATCH, LOOKALIKE);
	}

	@Test
	void stringValueIsObservedPerMessageOnMacOs26() {
		assertRow("26.0", XpcRequirement.entitlementMatches("com.example.tier", "gold"), Enforcement.OBSERVED,
				Mechanism.XPC_PEER_REQUIREMENT_MATCH, LOOKALIKE);
	}

	@Test
	void int64ValueIsObservedPerMessageOnMacOs26() {
		assertRow("26.0", XpcRequirement.entitlementMatches("com.example.level", 3), Enforcement.OBSERVED,
				Mechanism.XPC_PEER_REQUIREMENT_MATCH, LOOKALIKE);
	}

	@Test
	void valueIsEnforcedThroughAPeerRequirementObjectOnMacOs26() {
		assertRow("26.0", XpcRequirement.entitlementMatches("com.example.tier", "gold"), Enforcement.OS,
				Mechanism.XPC_PEER_REQUIREMENT, SimPeer.stranger());
	}

	@Test
	void rejectionOfAValueNamesTheRequiredValueAndItsType() {
		try (XpcFixture fixture = new XpcFixture("26.0")) {
			fixture.listen(XpcRequirement.entitlementMatches("com.example.helper.client", true), Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(LOOKALIKE)) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "x")));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts.get(0).explanation())
				.startsWith("requirement not satisfied: entitlement com.example.helper.client = true;");
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	private static void assertRow(String macOs, XpcRequirement requirement, Enforcement enforcement,
			Mechanism expected, SimPeer rejected) {
		try (XpcFixture fixture = new XpcFixture(macOs)) {
			XpcListener listener = fixture.listen(requirement, enforcement);
			assertThat(listener.mechanism()).isEqualTo(expected);
			try (XpcClient client = fixture.client(ENTITLED)) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "ok"))).containsEntry("text", "ok");
			}
			fixture.assertCallRefused(rejected, enforcement);
			fixture.assertAcceptedThenRejected(expected);
			listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

}
