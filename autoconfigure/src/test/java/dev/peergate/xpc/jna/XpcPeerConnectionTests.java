package dev.peergate.xpc.jna;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The libxpc rules that terminate the process are enforced in Java before the native call: one requirement
 * setter, only before start. (The simulator aborts on the native call, like libxpc, so reaching it would kill the
 * test JVM.)
 */
class XpcPeerConnectionTests {

	@Test
	void secondRequirementSetterAndSetterAfterStartAreRefusedBeforeReachingLibxpc() throws Exception {
		XpcSimulator sim = XpcSimulator.current().macOs("15.0").service("dev.peergate.test.setters");
		XpcNative nativeXpc = sim.nativeXpc();
		List<String> outcomes = new CopyOnWriteArrayList<>();
		XpcServer server = XpcServer.listen(nativeXpc, "dev.peergate.test.setters", (peer) -> {
			outcomes.add("first=" + peer.setCodeSigningRequirement("identifier \"com.example.cli\""));
			try {
				peer.setTeamIdentityRequirement(null);
			}
			catch (IllegalStateException ex) {
				outcomes.add("second refused");
			}
			peer.start((message) -> message.close(), (event) -> outcomes.add(event.name()));
			try {
				peer.setEntitlementExistsRequirement("x");
			}
			catch (IllegalStateException ex) {
				outcomes.add("after start refused");
			}
			peer.cancel();
		}, (event) -> {
		});
		sim.nextPeer(XpcSimulator.SimPeer.teamCli());
		XpcClientConnection client = XpcClientConnection.connect(nativeXpc, "dev.peergate.test.setters", false, null,
				(message) -> {
				}, (event) -> {
				});
		client.request(Map.of("method", "x"));
		await().untilAsserted(() -> assertThat(outcomes).contains("CONNECTION_INVALID"));
		assertThat(outcomes).containsSubsequence("first=0", "second refused", "after start refused",
				"CONNECTION_INVALID");
		client.close(Duration.ofSeconds(5));
		server.cancel();
		assertThat(server.awaitInvalid(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void setterMissingFromThisLibxpcIsReportedNotCalled() throws Exception {
		XpcSimulator legacy = XpcSimulator.of(XpcSimulator.Variant.LEGACY_11).macOs("11.0").service("dev.peergate.test.legacy");
		XpcNative nativeXpc = legacy.nativeXpc();
		List<String> outcomes = new CopyOnWriteArrayList<>();
		XpcServer server = XpcServer.listen(nativeXpc, "dev.peergate.test.legacy", (peer) -> {
			try {
				peer.setCodeSigningRequirement("identifier \"x\"");
			}
			catch (UnsupportedOperationException ex) {
				outcomes.add(ex.getMessage());
			}
			peer.refuseBeforeStart((event) -> outcomes.add(event.name()));
		}, (event) -> {
		});
		XpcClientConnection client = XpcClientConnection.connect(nativeXpc, "dev.peergate.test.legacy", false, null,
				(message) -> {
				}, (event) -> {
				});
		client.request(Map.of("method", "x"));
		await().untilAsserted(() -> assertThat(outcomes).contains("CONNECTION_INVALID"));
		assertThat(outcomes.get(0)).contains("xpc_connection_set_peer_code_signing_requirement is not available");
		client.close(Duration.ofSeconds(5));
		server.cancel();
		assertThat(server.awaitInvalid(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void entitlementValueSetterRefusesAValueThatIsNotBoolStringOrInt64() throws Exception {
		XpcSimulator sim = XpcSimulator.current().macOs("15.0").service("dev.peergate.test.entitlement-value");
		XpcNative nativeXpc = sim.nativeXpc();
		long objectsBefore = sim.control().xpcsim_live_objects();
		List<String> outcomes = new CopyOnWriteArrayList<>();
		XpcServer server = XpcServer.listen(nativeXpc, "dev.peergate.test.entitlement-value", (peer) -> {
			outcomes.add("result=" + peer.setEntitlementMatchesValueRequirement("com.example.tier", 1.5));
			peer.refuseBeforeStart((event) -> outcomes.add(event.name()));
		}, (event) -> {
		});
		sim.nextPeer(XpcSimulator.SimPeer.teamCli());
		XpcClientConnection client = XpcClientConnection.connect(nativeXpc, "dev.peergate.test.entitlement-value",
				false, null, (message) -> {
				}, (event) -> {
				});
		client.request(Map.of("method", "x"));
		await().untilAsserted(() -> assertThat(outcomes).contains("CONNECTION_INVALID"));
		assertThat(outcomes.get(0)).isEqualTo("result=22");
		client.close(Duration.ofSeconds(5));
		server.cancel();
		assertThat(server.awaitInvalid(Duration.ofSeconds(5))).isTrue();
		await().untilAsserted(() -> assertThat(sim.control().xpcsim_live_objects()).isLessThanOrEqualTo(objectsBefore));
	}

	@Test
	void entitlementValueCreatorRefusesAValueThatIsNotBoolStringOrInt64WithLibxpcsErrorAndLeaksNothing() {
		XpcSimulator sim = XpcSimulator.current().macOs("26.0");
		try {
			long objectsBefore = sim.control().xpcsim_live_objects();
			XpcSecurity security = new XpcSecurity(sim.nativeXpc());
			assertThatIllegalArgumentException().isThrownBy(() -> security.entitlementMatches("com.example.tier", 1.5))
				.withMessage("Entitlement value must be a bool, string or int64");
			security.entitlementMatches("com.example.tier", "gold").close();
			security.entitlementMatches("com.example.level", 3L).close();
			security.entitlementMatches("com.example.helper.client", true).close();
			assertThat(sim.control().xpcsim_live_objects()).isLessThanOrEqualTo(objectsBefore);
		}
		finally {
			sim.macOs("15.0");
		}
	}

}
