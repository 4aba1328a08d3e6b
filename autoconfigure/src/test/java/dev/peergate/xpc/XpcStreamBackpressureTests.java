package dev.peergate.xpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import dev.peergate.client.XpcClient;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcClientConnection.XpcErrorEventException;
import dev.peergate.xpc.jna.XpcEvent;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Stream backpressure on XPC: a client whose queue stops receiving (its item handler blocks, so libxpc dequeues
 * nothing more from its Mach port) makes the simulator hold further messages in the listener's send queue, and
 * the listener's send barriers tell the handler when to wait.
 */
@Timeout(60)
class XpcStreamBackpressureTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	/** One item being delivered plus a full Mach port. */
	private static final int HELD_BY_THE_PEER = 1 + 5;

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final CountDownLatch receiving = new CountDownLatch(1);

	private final List<Object> items = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopCallers() {
		this.receiving.countDown();
		this.callers.shutdownNow();
	}

	@Test
	void aBlockingHandlersStreamPausesWhileThePeerDoesNotReceiveAndDeliversEverythingInOrderWhenItDoes()
			throws Exception {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient stalled = fixture.client(SimPeer.teamCli())) {
				Future<Map<String, Object>> last = stream(stalled, "com.example.helper.Produce", 500);
				int paused = awaitPaused(fixture);
				assertThat(paused).as("items the handler sent to a peer that receives nothing")
					.isBetween(XpcCallReplies.MAX_UNSENT_STREAM_MESSAGES,
							XpcCallReplies.MAX_UNSENT_STREAM_MESSAGES + HELD_BY_THE_PEER);
				try (XpcClient other = fixture.client(SimPeer.teamCli())) {
					assertThat(other.call("com.example.helper.Echo", Map.of("text", "meanwhile")))
						.containsEntry("text", "meanwhile");
				}
				this.receiving.countDown();
				assertThat(last.get(20, TimeUnit.SECONDS)).containsEntry("n", 0L);
				assertThat(this.items).containsExactlyElementsOf(LongStream.rangeClosed(1, 500).boxed().toList());
			}
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void aStreamToAPeerThatNeverReceivesEndsWithTheCallsTimeoutAndLeaksNothing() throws Exception {
		try (XpcFixture fixture = new XpcFixture("15.0", Duration.ofMillis(500))) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient stalled = fixture.client(SimPeer.teamCli())) {
				Future<Map<String, Object>> last = stream(stalled, "com.example.helper.Produce", 10_000);
				assertThat(fixture.helper.produceEnded.await(10, TimeUnit.SECONDS)).isTrue();
				assertThat(fixture.helper.produceInterrupted).isTrue();
				assertThat(fixture.helper.produced.get())
					.isLessThanOrEqualTo(XpcCallReplies.MAX_UNSENT_STREAM_MESSAGES + HELD_BY_THE_PEER + 1);
				this.receiving.countDown();
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> last.get(20, TimeUnit.SECONDS))
					.satisfies((ex) -> assertThat(((IpcError) ex.getCause()).name())
						.isEqualTo(StandardErrors.HANDLER_TIMEOUT));
			}
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void aNonBlockingHandlersStreamPastTheHardCapEndsThePeerConnectionAndLeaksNothing() throws Exception {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient stalled = fixture.client(SimPeer.teamCli())) {
				Future<Map<String, Object>> last = stream(stalled, "com.example.helper.Flood", 5_000);
				await().atMost(Duration.ofSeconds(10)).until(() -> fixture.limits.contains("helper/reply-buffer"));
				assertThat(fixture.limits).containsOnlyOnce("helper/reply-buffer");
				this.receiving.countDown();
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> last.get(20, TimeUnit.SECONDS))
					.satisfies((ex) -> assertThat(((XpcErrorEventException) ex.getCause()).event())
						.isEqualTo(XpcEvent.CONNECTION_INTERRUPTED));
				assertThat(this.items).hasSizeLessThanOrEqualTo(XpcCallReplies.MAX_UNSENT_STREAM_MESSAGES_HARD + 1)
					.isEqualTo(LongStream.rangeClosed(1, this.items.size()).boxed().toList());
			}
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	/** Streams on another thread; the client's queue stops at the first item until {@link #receiving} opens. */
	private Future<Map<String, Object>> stream(XpcClient client, String method, int count) {
		return this.callers.submit(() -> client.stream(method, Map.of("from", count), (item) -> {
			this.items.add(item.get("n"));
			try {
				this.receiving.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
	}

	/** Waits until the handler stopped sending, and checks that it stays stopped for a second. */
	private static int awaitPaused(XpcFixture fixture) throws InterruptedException {
		await().atMost(Duration.ofSeconds(10)).until(() -> fixture.helper.produced.get() > 0);
		int settled;
		do {
			settled = fixture.helper.produced.get();
			Thread.sleep(500); // long enough that a producer the machine starved for a moment is not taken as paused
		}
		while (settled != fixture.helper.produced.get());
		Thread.sleep(1000);
		assertThat(fixture.helper.produced.get()).as("items sent while the peer kept not receiving").isEqualTo(settled);
		return settled;
	}

}
