package dev.peergate.xpc;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.XpcClient;
import dev.peergate.core.FactNames;
import dev.peergate.core.Mechanism;
import dev.peergate.core.Outcome;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SecCode.h: one of the CheckValidity functions must succeed on a code object before its signing information can be
 * trusted. Where libxpc decides (macOS 26 {@code match()}, the OS-enforced setters), the facts read for the peer
 * count as verified only after the validity check of the same code object passed; otherwise they are recorded as
 * unverified and nothing that reads them (a handler's {@code Peer}, a requirement) sees them.
 * <p>
 * The simulator's lightweight-requirement evaluator does not look at the signature's validity, which stands in for a
 * process whose code lost its validity after libxpc matched it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XpcSenderFactsTests {

	private static final XpcRequirement TEAM_LWCR = XpcRequirement.lightweight(Map.of("team-identifier", "ABCDE12345"));

	@Test
	void macOs26MatchRecordsFactsOfCodeFailingItsValidityCheckAsUnverified() {
		assertFactsOfInvalidCodeUnverified("26.0", Enforcement.OBSERVED, Mechanism.XPC_PEER_REQUIREMENT_MATCH);
	}

	@Test
	void osEnforcedRequirementRecordsFactsOfCodeFailingItsValidityCheckAsUnverified() {
		assertFactsOfInvalidCodeUnverified("15.0", Enforcement.OS, Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT);
	}

	@Test
	void macOs26PeerRequirementObjectRecordsFactsOfCodeFailingItsValidityCheckAsUnverified() {
		assertFactsOfInvalidCodeUnverified("26.0", Enforcement.OS, Mechanism.XPC_PEER_REQUIREMENT);
	}

	@Test
	void macOs26MatchRecordsFactsOfValidCodeAsVerified() {
		try (XpcFixture fixture = new XpcFixture("26.0")) {
			fixture.listen(TEAM_LWCR, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.teamCli().withPid(7101))) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi"))).containsEntry("caller",
						"com.example.cli");
			}
			assertThat(fixture.verdicts).singleElement()
				.satisfies((verdict) -> assertThat(verdict.peer().facts())
					.containsEntry(FactNames.SIGNING_IDENTIFIER, "com.example.cli")
					.containsEntry(FactNames.TEAM_IDENTIFIER, "ABCDE12345"));
			fixture.listener.stop(java.time.Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	private static void assertFactsOfInvalidCodeUnverified(String macOs, Enforcement enforcement,
			Mechanism mechanism) {
		try (XpcFixture fixture = new XpcFixture(macOs)) {
			XpcListener listener = fixture.listen(TEAM_LWCR, enforcement);
			assertThat(listener.mechanism()).isEqualTo(mechanism);
			// same identifier and team as the team's CLI, but its code fails SecCodeCheckValidity
			try (XpcClient client = fixture.client(SimPeer.tampered().withPid(7102))) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi"))).containsEntry("caller",
						"null");
			}
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
				assertThat(verdict.peer().facts()).doesNotContainKeys(FactNames.SIGNING_IDENTIFIER,
						FactNames.TEAM_IDENTIFIER, FactNames.CDHASH);
			});
			fixture.listener.stop(java.time.Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

}
