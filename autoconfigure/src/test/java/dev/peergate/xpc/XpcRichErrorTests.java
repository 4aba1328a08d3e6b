package dev.peergate.xpc;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.requirement.InvalidRequirementException;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * libxpc's rich errors of macOS 26 without a description: {@code xpc_rich_error_copy_description} returns
 * {@code char * _Nullable}, {@code NULL} when no description can be generated. The error still means what it
 * means: a peer that does not match is refused for the requirement, a requirement libxpc cannot build fails the
 * start as an invalid requirement.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XpcRichErrorTests {

	private static final XpcRequirement TEAM_LWCR = XpcRequirement.lightweight(Map.of("team-identifier", "ABCDE12345"));

	@Test
	void peerNotMatchingIsRefusedForTheRequirementWhenLibxpcGivesNoDescription() {
		try (XpcFixture fixture = new XpcFixture("26.0")) {
			fixture.sim.richErrorDescriptions(false);
			fixture.listen(TEAM_LWCR, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.stranger())) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "x")))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
				assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
				assertThat(verdict.explanation()).contains("libxpc gave no description");
			});
			fixture.listener.stop(java.time.Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void requirementLibxpcCannotBuildFailsTheStartAsInvalidWhenLibxpcGivesNoDescription() {
		try (XpcFixture fixture = new XpcFixture("26.0")) {
			fixture.sim.richErrorDescriptions(false);
			assertThatExceptionOfType(InvalidRequirementException.class)
				.isThrownBy(() -> fixture.listen(XpcRequirement.lightweight(Map.of("no-such-fact", "x")),
						Enforcement.OBSERVED))
				.withMessageContaining("libxpc rejected the requirement")
				.withMessageContaining("libxpc gave no description");
			fixture.assertNoLeaks();
		}
	}

}
