package dev.peergate.xpc;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Mechanism;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The macOS 11+ route ({@code SecCodeCreateWithXPCMessage}) locates a message's sender by the audit token the kernel
 * stamped on the message when it was sent: PID and PID version. A process that exited, or whose PID another process
 * now holds, no longer resolves, and a code object located for it stops being valid. The PID-reuse attack that
 * defeats the PID route of macOS 10.x ({@code XpcListenerFallbackTests}) does not get through.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XpcAuditTokenTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	@Test
	void refusesAnImpostorWhosePidATrustedProgramTookAfterItSent() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			XpcListener listener = fixture.listen(TEAM, Enforcement.OBSERVED);
			assertThat(listener.mechanism()).isEqualTo(Mechanism.SEC_CODE_XPC_MESSAGE);
			try (XpcClient impostor = fixture.client(SimPeer.stranger().withPid(7201))) {
				// the impostor's message is in flight when it exits and a trusted CLI is started with its PID
				fixture.sim.reusePidOnNextMessage(SimPeer.teamCli().withPid(7201));
				assertRefused(impostor);
			}
			assertSenderGone(fixture);
		}
	}

	@Test
	void refusesAMessageWhoseSenderExitedAndWhosePidAnImpostorNowHolds() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient trusted = fixture.client(SimPeer.teamCli().withPid(7202))) {
				fixture.sim.reusePidOnNextMessage(SimPeer.stranger().withPid(7202));
				assertRefused(trusted);
			}
			assertSenderGone(fixture);
		}
	}

	@Test
	void refusesWhenTheSenderIsReplacedBetweenLocatingItsCodeAndCheckingIt() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient trusted = fixture.client(SimPeer.teamCli().withPid(7203))) {
				fixture.sim.reusePidAfterNextCodeLookup(SimPeer.stranger().withPid(7203));
				assertRefused(trusted);
			}
			assertSenderGone(fixture);
		}
	}

	@Test
	void acceptsTheSenderWhileItRuns() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient trusted = fixture.client(SimPeer.teamCli().withPid(7204))) {
				for (int i = 0; i < 3; i++) {
					assertThat(trusted.call("com.example.helper.Echo", Map.of("text", "hi"))).containsEntry("caller",
							"com.example.cli");
				}
			}
			assertThat(fixture.verdicts).singleElement()
				.satisfies((verdict) -> assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED));
			fixture.listener.stop(java.time.Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	private static void assertRefused(XpcClient client) {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "let me in")))
			.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
	}

	private static void assertSenderGone(XpcFixture fixture) {
		await().until(() -> !fixture.verdicts.isEmpty());
		assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(verdict.mechanism()).isEqualTo(Mechanism.SEC_CODE_XPC_MESSAGE);
			assertThat(verdict.reason()).isEqualTo(Reason.PEER_GONE);
			assertThat(verdict.explanation()).contains("errSecCSNoSuchCode");
		});
		fixture.listener.stop(java.time.Duration.ofSeconds(5));
		fixture.assertNoLeaks();
	}

}
