package dev.peergate.xpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.XpcClient;
import dev.peergate.core.ListenerState;
import dev.peergate.core.Mechanism;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The listener with {@code enforcement: observed} and a code-signing requirement (SecCodeCreateWithXPCMessage +
 * SecCodeCheckValidityWithErrors per message), against the simulator.
 */
class XpcListenerObservedTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	@Test
	void acceptsPeerSatisfyingTheRequirementAndReportsAcceptanceOncePerConnection() {
		try (XpcFixture fixture = new XpcFixture("14.4")) {
			XpcListener listener = fixture.listen(TEAM, Enforcement.OBSERVED);
			assertThat(listener.mechanism()).isEqualTo(Mechanism.SEC_CODE_XPC_MESSAGE);
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				for (int i = 0; i < 3; i++) {
					Map<String, Object> reply = client.call("com.example.helper.Echo", Map.of("text", "hi " + i));
					assertThat(reply).containsEntry("text", "hi " + i).containsEntry("caller", "com.example.cli");
					assertThat((String) reply.get("thread")).doesNotStartWith("peergate-xpc-callback");
				}
			}
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
				assertThat(verdict.mechanism()).isEqualTo(Mechanism.SEC_CODE_XPC_MESSAGE);
				assertThat(verdict.peer().uid()).isEqualTo(501);
				assertThat(verdict.peer().facts()).containsEntry("team-identifier", "ABCDE12345")
					.containsEntry("cdhash", "0123456789abcdef0123456789abcdef01234567");
			});
		}
	}

	@Test
	void runsNonBlockingHandlerOnTheThreadThatDeliveredTheMessage() {
		try (XpcFixture fixture = new XpcFixture("14.4")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				Map<String, Object> inline = client.call("com.example.helper.EchoInline", Map.of("text", "hi"));
				Map<String, Object> blocking = client.call("com.example.helper.Echo", Map.of("text", "hi"));
				assertThat((String) inline.get("thread")).startsWith("peergate-xpc-callback");
				assertThat((String) blocking.get("thread")).startsWith("peergate-handler-");
			}
		}
	}

	@Test
	void rejectsPeerOfAnotherTeamWithPermissionDeniedAndExplainsWhy() {
		try (XpcFixture fixture = new XpcFixture("14.4")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.stranger())) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "hi")))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
				assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
				assertThat(verdict.explanation()).contains("signing-identifier=com.evil.tool")
					.contains("team-identifier=XYZ9876543")
					.contains("code failed to satisfy specified code requirement(s)");
			});
			assertThat(fixture.helper.slowStarted.getCount()).isEqualTo(1);
		}
	}

	@Test
	void rejectsPeerWithInvalidSignatureAsInvalidSignature() {
		try (XpcFixture fixture = new XpcFixture("11.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.tampered())) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "hi")));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts).singleElement()
				.satisfies((verdict) -> assertThat(verdict.reason()).isEqualTo(Reason.INVALID_SIGNATURE));
		}
	}

	@Test
	void streamsItemsBeforeTheFinalReply() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			List<Object> items = new CopyOnWriteArrayList<>();
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				Map<String, Object> last = client.stream("com.example.helper.Countdown", Map.of("from", 3),
						(item) -> items.add(item.get("n")));
				assertThat(last).containsEntry("n", 0L);
			}
			assertThat(items).containsExactly(3L, 2L, 1L);
		}
	}

	@Test
	void malformedRequestGetsProtocolErrorWithoutReachingHandlers() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				assertThatExceptionOfType(IpcError.class).isThrownBy(() -> client.call("", Map.of()))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PROTOCOL_ERROR));
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Nope", Map.of()))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.METHOD_NOT_FOUND));
			}
		}
	}

	@Test
	void replyThatCannotBeConvertedBecomesHandlerFailedWithoutLeaking() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				assertThatExceptionOfType(IpcError.class).isThrownBy(() -> client.call("com.example.helper.Huge", Map.of()))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.HANDLER_FAILED));
			}
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void clientCancellingDuringARequestLeavesNothingBehind() throws Exception {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			XpcClient client = fixture.client(SimPeer.teamCli());
			CompletableFuture<Map<String, Object>> pending = client.callAsync("com.example.helper.Slow",
					Map.of("text", "x"), false);
			assertThat(fixture.helper.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
			client.close();
			assertThat(pending).failsWithin(Duration.ofSeconds(10));
			await().until(() -> fixture.listener.activeConnections() == 0);
			fixture.helper.release.countDown();
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void thousandsOfMessagesFromManyConnectionsLeakNoObjectsOrBlocks() throws Exception {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			for (int c = 0; c < 10; c++) {
				try (XpcClient client = fixture.client((c % 3 == 2) ? SimPeer.stranger() : SimPeer.teamCli())) {
					List<CompletableFuture<Map<String, Object>>> calls = new ArrayList<>();
					for (int i = 0; i < 300; i++) {
						calls.add(client.callAsync("com.example.helper.Echo",
								Map.of("text", "m" + i, "extra", List.of(1, 2.5, Map.of("k", true))), false));
					}
					for (CompletableFuture<Map<String, Object>> call : calls) {
						call.handle((reply, failure) -> null).get(20, TimeUnit.SECONDS);
					}
				}
			}
			fixture.listener.stop(Duration.ofSeconds(5));
			assertThat(fixture.listener.state()).isEqualTo(ListenerState.STOPPED);
			fixture.assertNoLeaks();
			assertThat(fixture.verdicts.stream().filter((verdict) -> verdict.accepted())).hasSize(7);
			assertThat(fixture.verdicts.stream().filter((verdict) -> !verdict.accepted())).hasSizeGreaterThanOrEqualTo(3);
		}
	}

	@Test
	void listenerForAServiceLaunchdDoesNotDeclareFails() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			XpcListener listener = new XpcListener(
					XpcListenerOptions.of("helper", "com.example.undeclared", TEAM).withLibraries(fixture.sim.libraries()),
					fixture.dispatcher, fixture.verdicts::add, dev.peergate.core.TransportEvents.none());
			listener.start();
			await().until(() -> listener.state() == ListenerState.FAILED);
			listener.stop(Duration.ofSeconds(1));
		}
	}

	@Test
	void invalidRequirementFailsTheStartWithSecurityFrameworksMessage() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			assertThatExceptionOfType(dev.peergate.requirement.InvalidRequirementException.class)
				.isThrownBy(() -> fixture.listen(XpcRequirement.codeSigning("anchor apple generic and"), Enforcement.OBSERVED))
				.withMessageContaining("Security.framework rejected");
			assertThat(fixture.listener.state()).isEqualTo(ListenerState.FAILED);
		}
	}

}
