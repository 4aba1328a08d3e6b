package dev.peergate.xpc;

import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Mechanism;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcSimulator;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The opt-in fallbacks of macOS 10.x against the simulator (which aborts if SecCodeCreateWithXPCMessage is called
 * there): the private audit-token route ({@code allow-private-api}) and the PID route ({@code allow-insecure-pid}),
 * both locating the sender with SecCodeCopyGuestWithAttributes, and why the PID route is called insecure.
 */
class XpcListenerFallbackTests {

	private static final String CATALINA = "10.15";

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	@Test
	void privateRouteAcceptsPeerSatisfyingTheRequirementOnMacOs10() {
		try (XpcFixture fixture = new XpcFixture(CATALINA)) {
			XpcListener listener = fixture.listen(TEAM, Enforcement.OBSERVED, true, false);
			assertThat(listener.mechanism()).isEqualTo(Mechanism.PRIVATE_AUDIT_TOKEN);
			try (XpcClient client = fixture.client(SimPeer.teamCli().withPid(7001))) {
				for (int i = 0; i < 3; i++) {
					assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi " + i)))
						.containsEntry("text", "hi " + i)
						.containsEntry("caller", "com.example.cli");
				}
			}
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
				assertThat(verdict.mechanism()).isEqualTo(Mechanism.PRIVATE_AUDIT_TOKEN);
				assertThat(verdict.explanation()).startsWith("private audit-token route");
				assertThat(verdict.peer().facts()).containsEntry("team-identifier", "ABCDE12345")
					.containsEntry("cdhash", "0123456789abcdef0123456789abcdef01234567");
			});
		}
	}

	@Test
	void privateRouteRejectsPeerOfAnotherTeamAndExplainsWhy() {
		try (XpcFixture fixture = new XpcFixture(CATALINA)) {
			fixture.listen(TEAM, Enforcement.OBSERVED, true, false);
			try (XpcClient client = fixture.client(SimPeer.stranger().withPid(7002))) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "hi")))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
				assertThat(verdict.mechanism()).isEqualTo(Mechanism.PRIVATE_AUDIT_TOKEN);
				assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
				assertThat(verdict.explanation()).contains("team-identifier=XYZ9876543")
					.contains("code failed to satisfy specified code requirement(s)");
			});
		}
	}

	@Test
	void privateRouteRejectsPeerWithInvalidSignature() {
		try (XpcFixture fixture = new XpcFixture(CATALINA)) {
			fixture.listen(TEAM, Enforcement.OBSERVED, true, false);
			try (XpcClient client = fixture.client(SimPeer.tampered().withPid(7003))) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "hi")));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts).singleElement()
				.satisfies((verdict) -> assertThat(verdict.reason()).isEqualTo(Reason.INVALID_SIGNATURE));
		}
	}

	@Test
	void pidRouteAcceptsPeerSatisfyingTheRequirementAndSaysThePidRouteWasUsed() {
		try (XpcFixture fixture = new XpcFixture(CATALINA)) {
			XpcListener listener = fixture.listen(TEAM, Enforcement.OBSERVED, false, true);
			assertThat(listener.mechanism()).isEqualTo(Mechanism.PID_UNSAFE);
			try (XpcClient client = fixture.client(SimPeer.teamCli().withPid(7011))) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi"))).containsEntry("caller",
						"com.example.cli");
			}
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
				assertThat(verdict.mechanism()).isEqualTo(Mechanism.PID_UNSAFE);
				assertThat(verdict.explanation()).startsWith("PID route").contains("racy");
			});
		}
	}

	@Test
	void pidRouteRejectsPeerOfAnotherTeamAndSaysThePidRouteWasUsed() {
		try (XpcFixture fixture = new XpcFixture(CATALINA)) {
			fixture.listen(TEAM, Enforcement.OBSERVED, false, true);
			try (XpcClient client = fixture.client(SimPeer.stranger().withPid(7012))) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "hi")))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
				assertThat(verdict.explanation()).startsWith("PID route")
					.contains("code of pid 7012: code failed to satisfy")
					.contains("signing-identifier=com.evil.tool");
			});
		}
	}

	@Test
	void pidRouteAcceptsAnImpostorWhosePidWasReusedByATrustedProgram() {
		try (XpcFixture fixture = new XpcFixture(CATALINA)) {
			fixture.listen(TEAM, Enforcement.OBSERVED, false, true);
			try (XpcClient impostor = fixture.client(SimPeer.stranger().withPid(7021))) {
				// the impostor's message is in flight when it exits and a trusted CLI is started with its PID
				fixture.sim.reusePidOnNextMessage(SimPeer.teamCli().withPid(7021));
				assertThat(impostor.call("com.example.helper.Echo", Map.of("text", "let me in")))
					.containsEntry("text", "let me in")
					.containsEntry("caller", "com.example.cli");
			}
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
				assertThat(verdict.peer().facts()).containsEntry("signing-identifier", "com.example.cli");
			});
		}
	}

	@Test
	void privateRouteRejectsTheSameImpostorBecauseItsAuditTokenNoLongerResolves() {
		try (XpcFixture fixture = new XpcFixture(CATALINA)) {
			fixture.listen(TEAM, Enforcement.OBSERVED, true, false);
			try (XpcClient impostor = fixture.client(SimPeer.stranger().withPid(7022))) {
				fixture.sim.reusePidOnNextMessage(SimPeer.teamCli().withPid(7022));
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> impostor.call("com.example.helper.Echo", Map.of("text", "let me in")))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
				assertThat(verdict.reason()).isEqualTo(Reason.PEER_GONE);
				assertThat(verdict.explanation()).contains("errSecCSNoSuchCode");
			});
		}
	}

	@Test
	void startingEitherRouteLogsAWarningNamingIt() {
		List<LogRecord> records = new CopyOnWriteArrayList<>();
		Handler handler = new Handler() {

			@Override
			public void publish(LogRecord logRecord) {
				records.add(logRecord);
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
		Logger logger = Logger.getLogger(XpcListener.class.getName());
		logger.addHandler(handler);
		try {
			try (XpcFixture fixture = new XpcFixture(CATALINA)) {
				fixture.listen(TEAM, Enforcement.OBSERVED, true, false);
			}
			try (XpcFixture fixture = new XpcFixture(CATALINA)) {
				fixture.listen(TEAM, Enforcement.OBSERVED, false, true);
			}
		}
		finally {
			logger.removeHandler(handler);
		}
		List<String> warnings = records.stream()
			.filter((logRecord) -> logRecord.getLevel() == Level.WARNING)
			.map((logRecord) -> MessageFormat.format(logRecord.getMessage(), logRecord.getParameters()))
			.toList();
		assertThat(warnings).anySatisfy((warning) -> assertThat(warning).contains("PRIVATE libxpc API")
			.contains("xpc_dictionary_get_audit_token"));
		assertThat(warnings).anySatisfy((warning) -> assertThat(warning).contains("RACY").contains("PID"));
	}

	@Test
	void bothRoutesRunOnALibraryWithTheSymbolsOfMacOs10_15() {
		for (boolean privateApi : new boolean[] { true, false }) {
			try (XpcFixture fixture = new XpcFixture(CATALINA, XpcSimulator.Variant.CATALINA)) {
				assertThat(fixture.sim.nativeXpc().availability().has("SecCodeCreateWithXPCMessage")).isFalse();
				XpcListener listener = fixture.listen(TEAM, Enforcement.OBSERVED, privateApi, !privateApi);
				assertThat(listener.mechanism())
					.isEqualTo(privateApi ? Mechanism.PRIVATE_AUDIT_TOKEN : Mechanism.PID_UNSAFE);
				try (XpcClient client = fixture.client(SimPeer.teamCli().withPid(privateApi ? 7041 : 7042))) {
					assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi"))).containsEntry("text", "hi");
				}
				fixture.listener.stop(Duration.ofSeconds(5));
				fixture.assertNoLeaks();
			}
		}
	}

	@Test
	void bothFlagsPreferThePrivateRoute() {
		try (XpcFixture fixture = new XpcFixture(CATALINA)) {
			assertThat(fixture.listen(TEAM, Enforcement.OBSERVED, true, true).mechanism())
				.isEqualTo(Mechanism.PRIVATE_AUDIT_TOKEN);
		}
	}

	@Test
	void macOs11IgnoresTheFlagsAndUsesThePublicApi() {
		try (XpcFixture fixture = new XpcFixture("11.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED, true, true);
			assertThat(fixture.listener.mechanism()).isEqualTo(Mechanism.SEC_CODE_XPC_MESSAGE);
			try (XpcClient client = fixture.client(SimPeer.teamCli().withPid(7031))) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi"))).containsEntry("text", "hi");
			}
			assertThat(fixture.verdicts).singleElement()
				.satisfies((verdict) -> assertThat(verdict.explanation()).doesNotContain("route"));
		}
	}

	@Test
	void macOs10WithoutFlagsRefusesToStartAndNamesBoth() {
		try (XpcFixture fixture = new XpcFixture(CATALINA)) {
			assertThatExceptionOfType(MechanismUnavailableException.class)
				.isThrownBy(() -> fixture.listen(TEAM, Enforcement.OBSERVED))
				.satisfies((ex) -> assertThat(ex.alternatives()).anySatisfy(
						(alternative) -> assertThat(alternative).startsWith("allow-private-api: true"))
					.anySatisfy((alternative) -> assertThat(alternative).startsWith("allow-insecure-pid: true")));
		}
	}

	@Test
	void privateRouteLeaksNothingAfterManyMessages() throws Exception {
		manyMessagesLeakNothing(true, false, 7100);
	}

	@Test
	void pidRouteLeaksNothingAfterManyMessages() throws Exception {
		manyMessagesLeakNothing(false, true, 7200);
	}

	private void manyMessagesLeakNothing(boolean privateApi, boolean pid, int firstPid) throws Exception {
		try (XpcFixture fixture = new XpcFixture(CATALINA)) {
			fixture.listen(TEAM, Enforcement.OBSERVED, privateApi, pid);
			for (int c = 0; c < 6; c++) {
				SimPeer peer = ((c % 3 == 2) ? SimPeer.stranger() : SimPeer.teamCli()).withPid(firstPid + c);
				try (XpcClient client = fixture.client(peer)) {
					List<CompletableFuture<Map<String, Object>>> calls = new ArrayList<>();
					for (int i = 0; i < 200; i++) {
						calls.add(client.callAsync("com.example.helper.Echo", Map.of("text", "m" + i), false));
					}
					for (CompletableFuture<Map<String, Object>> call : calls) {
						call.handle((reply, failure) -> null).get(20, TimeUnit.SECONDS);
					}
				}
			}
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
			assertThat(fixture.verdicts.stream().filter((verdict) -> verdict.accepted())).hasSize(4);
			assertThat(fixture.verdicts.stream().filter((verdict) -> !verdict.accepted())).hasSizeGreaterThanOrEqualTo(2);
		}
	}

}
