package dev.peergate.unix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import dev.peergate.core.DrainSummary;
import dev.peergate.core.ListenerState;
import dev.peergate.core.PeerRequirement;
import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping a listener: no call is left without an answer, and the summary says what happened. */
@Timeout(30)
class UnixListenerDrainTests {

	@TempDir
	Path dir;

	@BeforeAll
	static void linuxOnly() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	private ListenerFixture start() throws Exception {
		return new ListenerFixture(UnixListenerOptions.defaults(this.dir.resolve("s.sock")), PeerRequirement.anyPeer(),
				Duration.ofSeconds(20));
	}

	@Test
	void answersCallsStillRunningAfterTheDrainTimeoutWithShuttingDownBeforeClosing() throws Exception {
		try (ListenerFixture fixture = start(); VarlinkTestClient client = fixture.connect()) {
			fixture.handlers.gate = new CountDownLatch(1);
			client.send(Map.of("method", "dev.peergate.test.Hold", "parameters", Map.of("text", "first")));
			client.send(Map.of("method", "dev.peergate.test.Hold", "parameters", Map.of("text", "second")));
			await().until(() -> fixture.handlers.holding.get() == 2);
			fixture.listener.stop(Duration.ofMillis(300));
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("error", StandardErrors.SHUTTING_DOWN);
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("error", StandardErrors.SHUTTING_DOWN);
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
			DrainSummary drain = fixture.listener.lastDrain().orElseThrow();
			assertThat(drain.callsInFlight()).isEqualTo(2);
			assertThat(drain.callsCut()).isEqualTo(2);
			assertThat(drain.connections()).isEqualTo(1);
			assertThat(drain.describe()).contains("0 of 2 calls in flight finished, 2 cut short");
			fixture.handlers.gate.countDown();
		}
	}

	@Test
	void answersACallArrivingDuringTheDrainAtOnceWithShuttingDown() throws Exception {
		try (ListenerFixture fixture = start(); VarlinkTestClient busy = fixture.connect();
				VarlinkTestClient idle = fixture.connect()) {
			ListenerFixture.assertEchoes(idle, "before the stop");
			fixture.handlers.gate = new CountDownLatch(1);
			busy.send(Map.of("method", "dev.peergate.test.Hold", "parameters", Map.of("text", "held")));
			await().until(() -> fixture.handlers.holding.get() == 1);
			CompletableFuture<Void> stopping = CompletableFuture
				.runAsync(() -> fixture.listener.stop(Duration.ofSeconds(10)));
			await().until(() -> fixture.listener.state() == ListenerState.STOPPING);
			Map<String, Object> reply = idle.call("dev.peergate.test.Echo", Map.of("text", "during the drain"));
			assertThat(reply).containsEntry("error", StandardErrors.SHUTTING_DOWN);
			assertThat(stopping).isNotDone(); // answered at once, not at the end of the drain
			fixture.handlers.gate.countDown();
			assertThat(busy.readReply(Duration.ofSeconds(5))).containsEntry("parameters", Map.of("text", "held"));
			stopping.get();
			assertThat(idle.awaitClosed(Duration.ofSeconds(5))).isTrue();
			DrainSummary drain = fixture.listener.lastDrain().orElseThrow();
			assertThat(drain.callsInFlight()).isEqualTo(1);
			assertThat(drain.callsCut()).isZero();
			assertThat(drain.callsRefused()).isEqualTo(1);
		}
	}

	@Test
	void closesAPeerThatDoesNotReadItsFinalRepliesAfterAShortGrace() throws Exception {
		try (ListenerFixture fixture = start(); VarlinkTestClient client = fixture.connect()) {
			client.send(Map.of("method", "dev.peergate.test.Flood", "parameters", Map.of("millis", 1_000_000),
					"more", true));
			await().until(() -> fixture.handlers.flooded.get() > 100); // the socket and the reply buffer are full
			fixture.listener.stop(Duration.ofMillis(200)); // returns: the test's timeout would catch a hang
			assertThat(fixture.listener.state()).isEqualTo(ListenerState.STOPPED);
			assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
		}
	}

}
