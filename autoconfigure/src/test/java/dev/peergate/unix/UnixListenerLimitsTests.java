package dev.peergate.unix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each configured limit: the breach ends in an error reply or a close, is reported to {@link
 * dev.peergate.core.TransportEvents}, and a well-behaved client connected at the same time is served.
 */
class UnixListenerLimitsTests {

	@TempDir
	Path dir;

	@BeforeAll
	static void linuxOnly() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	private ListenerFixture start(UnixListenerOptions options, Duration handlerTimeout) throws Exception {
		return new ListenerFixture(options, PeerRequirement.anyPeer(), handlerTimeout);
	}

	private UnixListenerOptions options() {
		return UnixListenerOptions.defaults(this.dir.resolve("s.sock"));
	}

	@Test
	void answersOversizeMessageWithProtocolErrorAndCloses() throws Exception {
		try (ListenerFixture fixture = start(options().withMaxMessageSize(1024), Duration.ofSeconds(5));
				Bystander bystander = new Bystander(fixture); VarlinkTestClient client = fixture.connect()) {
			client.send(Map.of("method", "dev.peergate.test.Echo", "parameters", Map.of("text", "x".repeat(2000))));
			Map<String, Object> reply = client.readReply(Duration.ofSeconds(5));
			assertThat(reply).containsEntry("error", StandardErrors.PROTOCOL_ERROR);
			assertThat(reply.get("parameters")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("kind", "too-large");
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
			assertThat(fixture.events).contains("protocol:too-large");
			bystander.assertServedThroughout();
		}
	}

	@Test
	void keepsCallOrderWhenALargeMessageIsDecodedAwayFromTheIoThread() throws Exception {
		try (ListenerFixture fixture = start(options(), Duration.ofSeconds(5)); VarlinkTestClient client = fixture.connect()) {
			String large = "L".repeat(VarlinkConnection.LARGE_MESSAGE);
			client.send(Map.of("method", "dev.peergate.test.Echo", "parameters", Map.of("text", "small before")));
			client.send(Map.of("method", "dev.peergate.test.Echo", "parameters", Map.of("text", large)));
			client.send(Map.of("method", "dev.peergate.test.Echo", "parameters", Map.of("text", "small after")));
			client.sendText("{\"method\": 42, \"parameters\": {\"text\": \"" + large + "\"}}");
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("parameters", Map.of("text", "small before"));
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("parameters", Map.of("text", large));
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("parameters", Map.of("text", "small after"));
			// a large malformed message is a protocol error like a small one
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("error", StandardErrors.PROTOCOL_ERROR);
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
	}

	@Test
	void acceptsMessageExactlyAtTheSizeLimit() throws Exception {
		String prefix = "{\"method\":\"dev.peergate.test.Echo\",\"parameters\":{\"text\":\"";
		String suffix = "\"}}";
		int limit = 1024;
		String message = prefix + "y".repeat(limit - prefix.length() - suffix.length()) + suffix;
		try (ListenerFixture fixture = start(options().withMaxMessageSize(limit), Duration.ofSeconds(5));
				VarlinkTestClient client = fixture.connect()) {
			client.sendText(message);
			assertThat(client.readReply(Duration.ofSeconds(5))).doesNotContainKey("error");
		}
	}

	@Test
	void closesConnectionsBeyondMaxConnectionsAndServesTheOthers() throws Exception {
		try (ListenerFixture fixture = start(options().withMaxConnections(2), Duration.ofSeconds(5));
				VarlinkTestClient first = fixture.connect(); VarlinkTestClient second = fixture.connect()) {
			ListenerFixture.assertEchoes(first, "one");
			ListenerFixture.assertEchoes(second, "two");
			try (VarlinkTestClient third = fixture.connect()) {
				assertThat(third.awaitClosed(Duration.ofSeconds(5))).isTrue();
			}
			assertThat(fixture.events).contains("limit:max-connections");
			// closed at once; the refusal is reported on a verification thread, maybe just after the close
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fixture.verdicts)
				.anySatisfy(verdict -> assertThat(verdict.reason()).isEqualTo(Reason.LIMIT_EXCEEDED)));
			ListenerFixture.assertEchoes(first, "one again");
		}
	}

	@Test
	void answersCallsBeyondMaxInFlightWithOverloaded() throws Exception {
		try (ListenerFixture fixture = start(options().withMaxInFlightPerConnection(2), Duration.ofSeconds(20));
				Bystander bystander = new Bystander(fixture); VarlinkTestClient client = fixture.connect()) {
			fixture.handlers.gate = new CountDownLatch(1);
			for (int i = 0; i < 3; i++) {
				client.send(Map.of("method", "dev.peergate.test.Hold", "parameters", Map.of("text", "held " + i)));
			}
			await().until(() -> fixture.events.contains("limit:max-in-flight"));
			bystander.assertServedThroughout();
			fixture.handlers.gate.countDown();
			List<Map<String, Object>> replies = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				replies.add(client.readReply(Duration.ofSeconds(10)));
			}
			assertThat(replies.get(0)).containsEntry("parameters", Map.of("text", "held 0"));
			assertThat(replies.get(1)).containsEntry("parameters", Map.of("text", "held 1"));
			assertThat(replies.get(2)).containsEntry("error", StandardErrors.OVERLOADED);
			ListenerFixture.assertEchoes(client, "usable afterwards");
		}
	}

	@Test
	void dropsOnewayCallsBeyondMaxInFlightAndCountsThem() throws Exception {
		try (ListenerFixture fixture = start(options().withMaxInFlightPerConnection(2), Duration.ofSeconds(20));
				Bystander bystander = new Bystander(fixture); VarlinkTestClient client = fixture.connect()) {
			fixture.handlers.gate = new CountDownLatch(1);
			for (int i = 0; i < 10; i++) {
				client.send(Map.of("method", "dev.peergate.test.Hold", "parameters", Map.of("text", "held " + i),
						"oneway", true));
			}
			await().until(() -> fixture.events.contains("limit:max-in-flight"));
			await().until(() -> fixture.handlers.holding.get() == 2);
			bystander.assertServedThroughout();
			assertThat(fixture.handlers.holding).hasValue(2);
			fixture.handlers.gate.countDown();
			await().until(() -> fixture.handlers.holding.get() == 0 && fixture.listener.callsInFlight() == 0);
			ListenerFixture.assertEchoes(client, "usable afterwards");
		}
	}

	@Test
	void closesIdleConnection() throws Exception {
		// 1 s: the bystander calls every 50 ms, and a busy machine must not make its connection look idle
		try (ListenerFixture fixture = start(options().withIdleTimeout(Duration.ofSeconds(1)), Duration.ofSeconds(5));
				Bystander bystander = new Bystander(fixture); VarlinkTestClient idle = fixture.connect()) {
			assertThat(idle.awaitClosed(Duration.ofSeconds(10))).isTrue();
			assertThat(fixture.events).contains("limit:idle-timeout");
			bystander.assertServedThroughout();
		}
	}

	@Test
	void keepsConnectionWithCallInFlightOpenPastTheIdleTimeout() throws Exception {
		try (ListenerFixture fixture = start(options().withIdleTimeout(Duration.ofMillis(200)), Duration.ofSeconds(5));
				VarlinkTestClient client = fixture.connect()) {
			client.send(Map.of("method", "dev.peergate.test.Sleep", "parameters", Map.of("millis", 700)));
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("parameters", Map.of("text", "slept 700"));
		}
	}

	@Test
	void closesConnectionWhoseMessageDoesNotCompleteWithinTheFrameTimeoutThoughBytesKeepComing() throws Exception {
		try (ListenerFixture fixture = start(options().withFrameTimeout(Duration.ofMillis(500)), Duration.ofSeconds(5));
				Bystander bystander = new Bystander(fixture); VarlinkTestClient slow = fixture.connect()) {
			ListenerFixture.assertEchoes(slow, "complete messages are fine");
			byte[] call = "{\"method\":\"dev.peergate.test.Echo\",\"parameters\":{\"text\":\"slow\"}}".getBytes();
			for (int i = 0; i < 20 && !fixture.events.contains("limit:frame-timeout"); i++) {
				slow.sendRaw(new byte[] { call[i] });
				Thread.sleep(100);
			}
			assertThat(slow.awaitClosed(Duration.ofSeconds(5))).isTrue();
			assertThat(fixture.events).contains("limit:frame-timeout");
			bystander.assertServedThroughout();
		}
	}

	@Test
	void theFrameClockStandsStillWhileTheListenerDoesNotRead() throws Exception {
		UnixListenerOptions options = options().withFrameTimeout(Duration.ofMillis(300)).withMaxInFlightPerConnection(1);
		try (ListenerFixture fixture = start(options, Duration.ofSeconds(10)); VarlinkTestClient client = fixture.connect()) {
			fixture.handlers.gate = new CountDownLatch(1);
			String hold = "{\"method\":\"dev.peergate.test.Hold\",\"parameters\":{\"text\":\"held\"}}";
			String echo = "{\"method\":\"dev.peergate.test.Echo\",\"parameters\":{\"text\":\"late\"}}";
			// one write: a held call, a call answered Overloaded behind it (reading pauses: two calls wait), and the
			// first half of a third message, read with them
			client.sendRaw((hold + "\0" + echo + "\0" + echo.substring(0, 20)).getBytes());
			Thread.sleep(1000); // more than three frame timeouts, while the listener does not read
			assertThat(fixture.events).doesNotContain("limit:frame-timeout");
			fixture.handlers.gate.countDown();
			client.sendRaw((echo.substring(20) + "\0").getBytes());
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("parameters", Map.of("text", "held"));
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("error", StandardErrors.OVERLOADED);
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("parameters", Map.of("text", "late"));
		}
	}

	@Test
	void slowBytesDoNotKeepAConnectionFromIdlingOut() throws Exception {
		try (ListenerFixture fixture = start(options().withIdleTimeout(Duration.ofMillis(500)).withFrameTimeout(Duration.ZERO),
				Duration.ofSeconds(5)); VarlinkTestClient slow = fixture.connect()) {
			ListenerFixture.assertEchoes(slow, "complete");
			for (int i = 0; i < 30 && !fixture.events.contains("limit:idle-timeout"); i++) {
				slow.sendRaw(new byte[] { ' ' });
				Thread.sleep(100);
			}
			assertThat(slow.awaitClosed(Duration.ofSeconds(5))).isTrue();
			assertThat(fixture.events).contains("limit:idle-timeout").doesNotContain("limit:frame-timeout");
		}
	}

	@Test
	void pausesAStreamWhilePeerDoesNotReadAndResumesInOrderWhenItDoes() throws Exception {
		try (ListenerFixture fixture = start(options(), Duration.ofSeconds(20));
				Bystander bystander = new Bystander(fixture); VarlinkTestClient reader = fixture.connect()) {
			reader.send(Map.of("method", "dev.peergate.test.Flood", "parameters", Map.of("millis", 5000), "more", true));
			await().until(() -> fixture.handlers.flooded.get() > 0);
			// the stream runs into the water mark while nobody reads: no reply sent for 300 ms, then none for 500 ms
			int whilePaused = unchangedFor(fixture.handlers.flooded::get, Duration.ofMillis(300));
			Thread.sleep(500);
			assertThat(fixture.handlers.flooded.get()).as("replies sent while paused").isEqualTo(whilePaused)
				.isLessThan(5000);
			bystander.assertServedThroughout();
			for (int i = 0; i < 5000; i++) {
				assertThat(reader.readReply(Duration.ofSeconds(5))).containsEntry("continues", true);
			}
			assertThat(reader.readReply(Duration.ofSeconds(5))).containsEntry("parameters", Map.of("text", "done"));
			assertThat(fixture.events).doesNotContain("limit:reply-buffer");
		}
	}

	@Test
	void closesAPeerThatLetsANonBlockingStreamPassTheReplyBuffer() throws Exception {
		try (ListenerFixture fixture = start(options().withMaxReplyBuffer(1024 * 1024), Duration.ofSeconds(5));
				VarlinkTestClient client = fixture.connect()) {
			client.send(Map.of("method", "dev.peergate.test.FloodInline", "parameters", Map.of("millis", 100_000),
					"more", true));
			assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
			assertThat(fixture.events).contains("limit:reply-buffer");
			assertThat(fixture.handlers.flooded.get()).isLessThan(100_000); // stopped when the peer was gone
			fixture.assertServesWellBehavedClient();
		}
	}

	@Test
	void answersSlowHandlerWithHandlerTimeout() throws Exception {
		// 1 s: the timeout applies to the bystander's calls too, which a busy machine may delay a while
		try (ListenerFixture fixture = start(options(), Duration.ofSeconds(1));
				Bystander bystander = new Bystander(fixture); VarlinkTestClient client = fixture.connect()) {
			client.send(Map.of("method", "dev.peergate.test.Sleep", "parameters", Map.of("millis", 5000)));
			bystander.assertServedThroughout();
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("error", StandardErrors.HANDLER_TIMEOUT);
			assertThat(fixture.events).contains("limit:handler-timeout");
			ListenerFixture.assertEchoes(client, "usable afterwards");
		}
	}

	/** The value once it has not changed for {@code quiet} (a busy machine may starve its producer for a while). */
	private static int unchangedFor(java.util.function.IntSupplier value, Duration quiet) throws InterruptedException {
		long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		int last = value.getAsInt();
		long since = System.nanoTime();
		while (System.nanoTime() - since < quiet.toNanos()) {
			assertThat(System.nanoTime()).as("a value that settles within 10 s").isLessThan(giveUp);
			Thread.sleep(20);
			int now = value.getAsInt();
			if (now != last) {
				last = now;
				since = System.nanoTime();
			}
		}
		return last;
	}

}
