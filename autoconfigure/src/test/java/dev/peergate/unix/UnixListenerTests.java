package dev.peergate.unix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.peergate.core.ListenerState;
import dev.peergate.core.Outcome;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import dev.peergate.handler.StandardErrors;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;
import dev.peergate.unix.peer.PeerInspector;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Accepting, refusing and serving peers on a real Unix socket. */
class UnixListenerTests {

	@TempDir
	Path dir;

	@BeforeAll
	static void linuxOnly() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	@Test
	void answersCallOfAcceptedPeer() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"));
				VarlinkTestClient client = fixture.connect()) {
			ListenerFixture.assertEchoes(client, "hello");
			assertThat(fixture.listener.state()).isEqualTo(ListenerState.RUNNING);
			assertThat(fixture.listener.activeConnections()).isEqualTo(1);
		}
	}

	@Test
	void refusedPeerGetsPermissionDeniedForItsFirstCallThenIsDisconnected() throws Exception {
		try (ListenerFixture fixture = new ListenerFixture(UnixListenerOptions.defaults(this.dir.resolve("s.sock")),
				ListenerFixture.uidIs(4242), Duration.ofSeconds(5)); VarlinkTestClient client = fixture.connect()) {
			Map<String, Object> reply = client.call("dev.peergate.test.Echo", Map.of("text", "hi"));
			assertThat(reply).containsEntry("error", StandardErrors.PERMISSION_DENIED);
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
			assertThat(fixture.verdicts).singleElement().satisfies(verdict -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
				assertThat(verdict.explanation()).contains("expected 4242");
				// timed by the transport from the moment it read the peer's credentials
				assertThat(verdict.verification()).isPositive();
			});
			assertThat(fixture.listener.activeConnections()).isZero();
		}
	}

	@Test
	void disconnectsRefusedPeerThatSendsNoCallLongBeforeTheIdleTimeout() throws Exception {
		UnixListenerOptions options = UnixListenerOptions.defaults(this.dir.resolve("s.sock"))
			.withIdleTimeout(Duration.ofMinutes(10));
		try (ListenerFixture fixture = new ListenerFixture(options, ListenerFixture.uidIs(4242), Duration.ofSeconds(5));
				VarlinkTestClient client = fixture.connect()) {
			assertThat(client.awaitClosed(Duration.ofSeconds(30))).isTrue();
			assertThat(fixture.verdicts).singleElement()
				.satisfies(verdict -> assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED));
		}
	}

	@Test
	void disconnectsRefusedPeerWithoutReplyingToItsOnewayCall() throws Exception {
		try (ListenerFixture fixture = new ListenerFixture(UnixListenerOptions.defaults(this.dir.resolve("s.sock")),
				ListenerFixture.uidIs(4242), Duration.ofSeconds(5)); VarlinkTestClient client = fixture.connect()) {
			client.send(Map.of("method", "dev.peergate.test.Echo", "parameters", Map.of("text", "hi"), "oneway", true));
			assertThat(client.readFrame(Duration.ofSeconds(5))).as("no reply before the close").isNull();
		}
	}

	@Test
	void refusedPeerSendingGarbageIsDisconnectedWithoutReply() throws Exception {
		try (ListenerFixture fixture = new ListenerFixture(UnixListenerOptions.defaults(this.dir.resolve("s.sock")),
				ListenerFixture.uidIs(4242), Duration.ofSeconds(5)); VarlinkTestClient client = fixture.connect()) {
			client.sendText("not json");
			assertThat(client.readFrame(Duration.ofSeconds(5))).isNull();
			assertThat(fixture.events).contains("protocol:malformed");
		}
	}

	@Test
	void asksTheGateOncePerConnectionNotPerCall() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"));
				VarlinkTestClient client = fixture.connect()) {
			for (int i = 0; i < 5; i++) {
				ListenerFixture.assertEchoes(client, "call " + i);
			}
			assertThat(fixture.verdicts).hasSize(1);
		}
	}

	@Test
	void answersPipelinedCallsInCallOrder() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"));
				VarlinkTestClient client = fixture.connect()) {
			client.send(Map.of("method", "dev.peergate.test.Sleep", "parameters", Map.of("millis", 300)));
			client.send(Map.of("method", "dev.peergate.test.Echo", "parameters", Map.of("text", "second")));
			client.send(Map.of("method", "dev.peergate.test.Sleep", "parameters", Map.of("millis", 50)));
			client.send(Map.of("method", "dev.peergate.test.Echo", "parameters", Map.of("text", "fourth")));
			List<Object> replies = parametersOfNextReplies(client, 4);
			assertThat(replies).containsExactly(Map.of("text", "slept 300"), Map.of("text", "second"),
					Map.of("text", "slept 50"), Map.of("text", "fourth"));
		}
	}

	@Test
	void decidesOnTheIoThreadOnceNothingOnTheWayBlocks() throws Exception {
		List<Thread> evaluatedOn = threadsEvaluatingTwoPeersInTurn(ListenerFixture::inMemoryRecordingThread);
		// the first peer's user and group names were looked up (which may block); the second found them cached
		assertThat(evaluatedOn.get(0).getName()).startsWith("peergate-verify-");
		assertThat(evaluatedOn.get(1)).isInstanceOf(FastThreadLocalThread.class);
	}

	@Test
	void decidesOnAVerificationThreadForARequirementOfCodeItDoesNotKnow() throws Exception {
		List<Thread> evaluatedOn = threadsEvaluatingTwoPeersInTurn(ListenerFixture::opaqueRecordingThread);
		assertThat(evaluatedOn).hasSize(2)
			.allSatisfy(thread -> assertThat(thread.getName()).startsWith("peergate-verify-"));
	}

	private List<Thread> threadsEvaluatingTwoPeersInTurn(
			Function<ConcurrentLinkedQueue<Thread>, PeerRequirement> recordingRequirement) throws Exception {
		ConcurrentLinkedQueue<Thread> evaluatedOn = new ConcurrentLinkedQueue<>();
		try (ListenerFixture fixture = ListenerFixture.requiring(this.dir.resolve("s.sock"),
				recordingRequirement.apply(evaluatedOn))) {
			serveTwoPeersOneAfterTheOther(fixture);
		}
		return List.copyOf(evaluatedOn);
	}

	@Test
	void reportsVerdictsOnAVerificationThreadWhereverTheyWereDecided() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.requiring(this.dir.resolve("s.sock"),
				ListenerFixture.inMemoryRecordingThread(new ConcurrentLinkedQueue<>()))) {
			serveTwoPeersOneAfterTheOther(fixture);
			assertThat(fixture.reportingThreads).hasSize(2)
				.allSatisfy(thread -> assertThat(thread.getName()).startsWith("peergate-verify-"));
		}
	}

	private static List<Object> parametersOfNextReplies(VarlinkTestClient client, int count) {
		List<Object> parameters = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			parameters.add(client.readReply(Duration.ofSeconds(10)).get("parameters"));
		}
		return parameters;
	}

	private static void serveTwoPeersOneAfterTheOther(ListenerFixture fixture) {
		for (int i = 0; i < 2; i++) {
			try (VarlinkTestClient client = fixture.connect()) {
				ListenerFixture.assertEchoes(client, "call " + i);
			}
		}
	}

	@Test
	void repliesToAnAcceptedPeerOnlyOnceItsVerdictIsReported() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"))) {
			fixture.reporting = new CountDownLatch(1);
			try (VarlinkTestClient client = fixture.connect()) {
				client.send(Map.of("method", "dev.peergate.test.ThreadName"));
				await().atMost(Duration.ofSeconds(10)).until(() -> fixture.handlers.lastThread != null);
				// the handler has answered; its reply waits for the verdict
				assertThatThrownBy(() -> client.readFrame(Duration.ofMillis(300))).hasMessageContaining("No data");
				fixture.reporting.countDown();
				assertThat(client.readReply(Duration.ofSeconds(10))).doesNotContainKey("error");
				assertThat(fixture.verdicts).singleElement().extracting(Verdict::accepted).isEqualTo(true);
			}
		}
	}

	@Test
	void refusesAPeerOnlyOnceItsVerdictIsReported() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.requiring(this.dir.resolve("s.sock"),
				ListenerFixture.uidIs(LinuxAssumptions.currentUid() + 1))) {
			fixture.reporting = new CountDownLatch(1);
			try (VarlinkTestClient client = fixture.connect()) {
				client.send(Map.of("method", "dev.peergate.test.Echo", "parameters", Map.of("text", "x")));
				assertThatThrownBy(() -> client.readFrame(Duration.ofMillis(300))).hasMessageContaining("No data");
				fixture.reporting.countDown();
				assertThat(client.readReply(Duration.ofSeconds(10)))
					.containsEntry("error", StandardErrors.PERMISSION_DENIED);
				assertThat(fixture.verdicts).singleElement().extracting(Verdict::accepted).isEqualTo(false);
			}
		}
	}

	@Test
	void runsNonBlockingHandlerOnTheListenersIoThread() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"));
				VarlinkTestClient client = fixture.connect()) {
			String inline = (String) ((Map<?, ?>) client.call("dev.peergate.test.ThreadName", Map.of())
				.get("parameters")).get("text");
			assertThat(fixture.handlers.lastThread).isInstanceOf(FastThreadLocalThread.class); // Netty's event loop
			assertThat(inline).isEqualTo(fixture.handlers.lastThread.getName());
		}
	}

	@Test
	void runsBlockingHandlerOnAHandlerThread() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"));
				VarlinkTestClient client = fixture.connect()) {
			client.call("dev.peergate.test.BlockingThreadName", Map.of());
			assertThat(fixture.handlers.lastThread).isNotInstanceOf(FastThreadLocalThread.class);
			assertThat(fixture.handlers.lastThread.getName()).startsWith("peergate-handler-");
		}
	}

	@Test
	void answersNonBlockingCallQueuedBehindSlowCallInCallOrder() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"));
				VarlinkTestClient client = fixture.connect()) {
			client.send(Map.of("method", "dev.peergate.test.Sleep", "parameters", Map.of("millis", 300)));
			client.send(Map.of("method", "dev.peergate.test.EchoInline", "parameters", Map.of("text", "second")));
			client.send(Map.of("method", "dev.peergate.test.CountInline", "parameters", Map.of("millis", 2),
					"more", true));
			client.send(Map.of("method", "dev.peergate.test.Echo", "parameters", Map.of("text", "fourth")));
			List<Object> replies = parametersOfNextReplies(client, 5);
			assertThat(replies).containsExactly(Map.of("text", "slept 300"), Map.of("text", "second"),
					Map.of("text", "item 1"), Map.of("text", "item 2"), Map.of("text", "fourth"));
		}
	}

	@Test
	void streamsRepliesOfAMoreCallBeforeAnsweringTheNextCall() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"));
				VarlinkTestClient client = fixture.connect()) {
			client.send(Map.of("method", "dev.peergate.test.Count", "parameters", Map.of("millis", 3), "more", true));
			client.send(Map.of("method", "dev.peergate.test.Echo", "parameters", Map.of("text", "next")));
			List<Map<String, Object>> replies = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				replies.add(client.readReply(Duration.ofSeconds(10)));
			}
			assertThat(replies).extracting(reply -> reply.get("parameters"))
				.containsExactly(Map.of("text", "item 1"), Map.of("text", "item 2"), Map.of("text", "item 3"),
						Map.of("text", "next"));
			assertThat(replies).extracting(reply -> reply.get("continues")).containsExactly(true, true, null, null);
		}
	}

	@Test
	void releasesEveryPidfdAndConnectionSlotWhenPeersDisconnect() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"))) {
			fixture.assertServesWellBehavedClient(); // warm up: loads classes, opens lazily created descriptors
			await().until(() -> fixture.listener.activeConnections() == 0);
			long descriptors = openDescriptors();
			for (int i = 0; i < 20; i++) {
				fixture.assertServesWellBehavedClient();
			}
			await().until(() -> fixture.listener.activeConnections() == 0);
			await().untilAsserted(() -> assertThat(openDescriptors()).isLessThanOrEqualTo(descriptors));
		}
	}

	private static long openDescriptors() throws java.io.IOException {
		try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.count();
		}
	}

	@Test
	void handsTheVerifiedPeerToHandlers() throws Exception {
		try (ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"));
				VarlinkTestClient client = fixture.connect()) {
			Map<String, Object> reply = client.call("dev.peergate.test.WhoAmI", Map.of());
			@SuppressWarnings("unchecked")
			Map<String, Object> who = (Map<String, Object>) reply.get("parameters");
			assertThat(((Number) who.get("uid")).longValue()).isEqualTo(LinuxAssumptions.currentUid());
			assertThat(who.get("executable")).isEqualTo(ProcessHandle.current().info().command().orElseThrow());
		}
	}

	@Test
	void recordsRefusalForPeerWhoseFactIsUnverified() throws Exception {
		PeerRequirement needsUnit = ListenerFixture.factIs("executable-path", "/usr/bin/true");
		PeerInspector noPidfd = new LinuxPeerInspector(dev.peergate.unix.jna.LinuxNative.get(), new ExecutableDigests(4),
				dev.peergate.core.Mechanism.PEERCRED, Path.of("/proc"));
		try (ListenerFixture fixture = new ListenerFixture(UnixListenerOptions.defaults(this.dir.resolve("s.sock")),
				needsUnit, Duration.ofSeconds(5), noPidfd); VarlinkTestClient client = fixture.connect()) {
			assertThat(client.call("dev.peergate.test.Echo", Map.of("text", "x")))
				.containsEntry("error", StandardErrors.PERMISSION_DENIED);
			Verdict verdict = fixture.verdicts.peek();
			assertThat(verdict.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
			assertThat(verdict.explanation()).contains("SO_PEERPIDFD");
		}
	}

	@Test
	void refusesPeerWhoseVerificationFailsOnTheIoThreadAndServesTheNext() throws Exception {
		AtomicBoolean failNext = new AtomicBoolean(true);
		PeerInspector real = new LinuxPeerInspector(new ExecutableDigests(4));
		PeerInspector failingOnce = new PeerInspector() {

			@Override
			public dev.peergate.core.Mechanism mechanism() {
				return real.mechanism();
			}

			@Override
			public Connector connector(io.netty.channel.unix.DomainSocketChannel channel) throws java.io.IOException {
				return real.connector(channel);
			}

			@Override
			public PeerCapture capture(io.netty.channel.unix.DomainSocketChannel channel) throws java.io.IOException {
				PeerCapture capture = real.capture(channel);
				if (!failNext.getAndSet(false)) {
					return capture;
				}
				capture.close();
				return new PeerCapture() {

					@Override
					public long pidHint() {
						return capture.pidHint();
					}

					@Override
					public long uid() {
						return capture.uid();
					}

					@Override
					public PeerCredentials verify() {
						throw new IllegalStateException("must not be asked again");
					}

					@Override
					public PeerCredentials verifyWithoutBlocking() {
						throw new IllegalStateException("/proc went away");
					}

					@Override
					public void close() {
					}

				};
			}

		};
		try (ListenerFixture fixture = new ListenerFixture(UnixListenerOptions.defaults(this.dir.resolve("s.sock")),
				PeerRequirement.anyPeer(), Duration.ofSeconds(5), failingOnce)) {
			try (VarlinkTestClient client = fixture.connect()) {
				assertThat(client.call("dev.peergate.test.Echo", Map.of("text", "x")))
					.containsEntry("error", StandardErrors.PERMISSION_DENIED);
			}
			assertThat(fixture.verdicts).singleElement().satisfies(verdict -> {
				assertThat(verdict.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
				assertThat(verdict.explanation()).contains("/proc went away");
			});
			fixture.assertServesWellBehavedClient();
		}
	}

	@Test
	void removesItsSocketFileOnStop() throws Exception {
		Path socket = this.dir.resolve("s.sock");
		ListenerFixture fixture = ListenerFixture.anyPeer(socket);
		assertThat(socket).exists();
		fixture.close();
		assertThat(Files.exists(socket)).isFalse();
		assertThat(fixture.listener.state()).isEqualTo(ListenerState.STOPPED);
	}

	@Test
	void drainsCallsInFlightOnStop() throws Exception {
		ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"));
		try (VarlinkTestClient client = fixture.connect()) {
			ListenerFixture.assertEchoes(client, "warm");
			client.send(Map.of("method", "dev.peergate.test.Sleep", "parameters", Map.of("millis", 300)));
			await().until(() -> fixture.listener.callsInFlight() == 1);
			fixture.listener.stop(Duration.ofSeconds(10));
			assertThat(client.readReply(Duration.ofSeconds(5))).containsEntry("parameters", Map.of("text", "slept 300"));
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
		finally {
			fixture.close();
		}
	}

}
