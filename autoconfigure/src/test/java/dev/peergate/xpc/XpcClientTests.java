package dev.peergate.xpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.XpcClient;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcClientConnection.XpcErrorEventException;
import dev.peergate.xpc.jna.XpcEvent;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The Java XPC client: server verification, privileged lookup, interruption by the service. */
class XpcClientTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	@Test
	void talksToAServerThatSatisfiesTheServerRequirement() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.sim.control().xpcsim_register_system_service(fixture.service); // a daemon: found by PRIVILEGED
			fixture.listen(TEAM, Enforcement.OBSERVED);
			fixture.sim.control().xpcsim_set_service_identity("com.example.helper", "ABCDE12345", "ABCDE12345");
			fixture.sim.nextPeer(SimPeer.teamCli());
			try (XpcClient client = XpcClient.connect(XpcClient.Options.of(fixture.service)
				.withLibraries(fixture.sim.libraries())
				.withPrivileged(true)
				.withServerRequirement("identifier \"com.example.helper\" and certificate leaf[subject.OU] = \"ABCDE12345\""))) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi"))).containsEntry("text", "hi");
			}
		}
	}

	@Test
	void refusesAServerThatFailsTheServerRequirement() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			fixture.sim.control().xpcsim_set_service_identity("com.evil.helper", "XYZ9876543", "XYZ9876543");
			fixture.sim.nextPeer(SimPeer.teamCli());
			try (XpcClient client = XpcClient.connect(XpcClient.Options.of(fixture.service)
				.withLibraries(fixture.sim.libraries())
				.withServerRequirement("identifier \"com.example.helper\""))) {
				assertThatExceptionOfType(XpcErrorEventException.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "hi")))
					.satisfies((ex) -> assertThat(ex.event()).isEqualTo(XpcEvent.PEER_CODE_SIGNING_REQUIREMENT));
			}
			finally {
				fixture.sim.control().xpcsim_set_service_identity("com.example.helper", "ABCDE12345", "ABCDE12345");
			}
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void privilegedClientReachesAServiceOfTheSystemDomain() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.sim.control().xpcsim_register_system_service(fixture.service);
			fixture.listen(TEAM, Enforcement.OBSERVED);
			fixture.sim.nextPeer(SimPeer.teamCli());
			try (XpcClient client = XpcClient.connect(XpcClient.Options.of(fixture.service)
				.withLibraries(fixture.sim.libraries())
				.withPrivileged(true))) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi"))).containsEntry("text", "hi");
			}
		}
	}

	@Test
	void privilegedClientDoesNotReachAServiceOnlyAPerUserAgentDeclares() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			fixture.sim.nextPeer(SimPeer.teamCli());
			try (XpcClient client = XpcClient.connect(XpcClient.Options.of(fixture.service)
				.withLibraries(fixture.sim.libraries())
				.withPrivileged(true)
				.withTimeout(Duration.ofSeconds(5)))) {
				assertThatExceptionOfType(XpcErrorEventException.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "hi")))
					.satisfies((ex) -> assertThat(ex.event()).isIn(XpcEvent.CONNECTION_INVALID,
							XpcEvent.CONNECTION_INTERRUPTED));
			}
			assertThat(fixture.verdicts).as("the listener never saw the privileged client").isEmpty();
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi")))
					.as("without the flag the per-user name is found")
					.containsEntry("text", "hi");
			}
		}
	}

	@Test
	void answersCallsBeyondTheConnectionsLimitWithOverloadedAndServesOtherPeers() throws Exception {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(XpcListenerOptions.of("helper", fixture.service, TEAM).withMaxInFlightPerConnection(2));
			try (XpcClient flooding = fixture.client(SimPeer.teamCli())) {
				List<CompletableFuture<Map<String, Object>>> held = new ArrayList<>();
				for (int i = 0; i < 2; i++) {
					held.add(flooding.callAsync("com.example.helper.Slow", Map.of("text", "held " + i), false));
				}
				assertThat(fixture.helper.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> flooding.call("com.example.helper.Slow", Map.of("text", "third")))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.OVERLOADED));
				// another process: two running processes never share a PID (the simulator's process table knows)
				try (XpcClient other = fixture.client(SimPeer.teamCli().withPid(4243))) {
					assertThat(other.call("com.example.helper.Echo", Map.of("text", "other peer")))
						.containsEntry("text", "other peer");
				}
				fixture.helper.release.countDown();
				for (CompletableFuture<Map<String, Object>> call : held) {
					assertThat(call.get(10, TimeUnit.SECONDS)).containsKey("text");
				}
				assertThat(flooding.call("com.example.helper.Echo", Map.of("text", "again"))).containsEntry("text",
						"again");
			}
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void aPeerThatWaitsForEachReplyIsNeverOverloaded() {
		// the in-flight slot of a call is free by the time its reply can reach the peer: a peer that sends its next
		// call when the last one is answered stays within any limit, even a limit of one
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(XpcListenerOptions.of("helper", fixture.service, TEAM).withMaxInFlightPerConnection(1));
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				for (int i = 0; i < 2_000; i++) {
					assertThat(client.call("com.example.helper.Echo", Map.of("text", "call " + i)))
						.containsEntry("text", "call " + i);
				}
			}
		}
	}

	@Test
	void aRequestStillInFlightAfterTheDrainTimeoutIsAnsweredShuttingDownAndNothingLeaks() throws Exception {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				CompletableFuture<Map<String, Object>> pending = client.callAsync("com.example.helper.Slow",
						Map.of("text", "x"), false);
				assertThat(fixture.helper.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
				fixture.listener.stop(Duration.ofMillis(100));
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> pending.get(10, TimeUnit.SECONDS))
					.satisfies((ex) -> assertThat(((IpcError) ex.getCause()).name())
						.isEqualTo(StandardErrors.SHUTTING_DOWN));
				assertThat(fixture.listener.lastDrain().orElseThrow().callsCut()).isEqualTo(1);
				fixture.helper.release.countDown();
			}
			fixture.assertNoLeaks();
		}
	}

	@Test
	void aRequestArrivingDuringTheDrainIsAnsweredShuttingDownAtOnce() throws Exception {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient busy = fixture.client(SimPeer.teamCli());
					XpcClient idle = fixture.client(SimPeer.teamCli().withPid(4243))) {
				assertThat(idle.call("com.example.helper.Echo", Map.of("text", "before"))).containsEntry("text", "before");
				CompletableFuture<Map<String, Object>> held = busy.callAsync("com.example.helper.Slow",
						Map.of("text", "held"), false);
				assertThat(fixture.helper.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
				CompletableFuture<Void> stopping = CompletableFuture
					.runAsync(() -> fixture.listener.stop(Duration.ofSeconds(10)));
				await().until(() -> fixture.listener.state() == dev.peergate.core.ListenerState.STOPPING);
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> idle.call("com.example.helper.Echo", Map.of("text", "during the drain")))
					.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.SHUTTING_DOWN));
				assertThat(stopping).isNotDone();
				fixture.helper.release.countDown();
				assertThat(held.get(10, TimeUnit.SECONDS)).containsEntry("text", "held");
				stopping.get(20, TimeUnit.SECONDS);
				assertThat(fixture.listener.lastDrain().orElseThrow().callsRefused()).isEqualTo(1);
			}
			fixture.assertNoLeaks();
		}
	}

}
