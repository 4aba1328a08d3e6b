package dev.peergate.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.core.LogLimiter;
import dev.peergate.core.Peer;
import dev.peergate.inprocess.TestHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** The limits that keep one peer's calls from holding handler threads: deadlines nothing extends, per-user shares. */
@Timeout(30)
class DispatcherDeadlinesTests {

	private final TestHandlers handlers = new TestHandlers();

	@AfterEach
	void release() {
		this.handlers.release.countDown();
	}

	private static CallContext callerWithUid(long uid) {
		return new CallContext("test", "in-process", new Peer("test", "in-process", uid, uid, List.of(), Map.of(), -1));
	}

	private Dispatcher dispatcher(HandlerLimits limits) {
		return dispatcher(limits, HandlerExecutor.platform(4, 4), this.handlers);
	}

	private static Dispatcher dispatcher(HandlerLimits limits, HandlerExecutor executor, Object... beans) {
		return new Dispatcher(MethodRegistry.of(List.of(beans)), executor, limits, CallObserver.none(),
				new LogLimiter(Duration.ofMinutes(1)));
	}

	private static IpcRequest ticker(int ticks, boolean oneway, boolean more) {
		return new IpcRequest("com.example.test.Ticker", Map.of("from", ticks), oneway, more, false);
	}

	@Test
	void endsAOnewayCallAtTheTimeoutThoughItKeepsSending() {
		// a tick every 20 ms would restart a 300 ms per-reply timeout forever; a oneway call gets it once
		try (Dispatcher dispatcher = dispatcher(new HandlerLimits(Duration.ofMillis(300), Duration.ZERO, 16))) {
			CompletableFuture<Void> completed = new CompletableFuture<>();
			dispatcher.dispatch(callerWithUid(1000), ticker(100_000, true, false), new ReplySink() {

				@Override
				public void reply(IpcReply reply) {
					throw new AssertionError("a oneway call got a reply: " + reply);
				}

				@Override
				public void completed() {
					completed.complete(null);
				}

			});
			await().atMost(Duration.ofSeconds(10)).until(completed::isDone);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.tickersInterrupted.get() == 1);
		}
	}

	@Test
	void endsAStreamAtItsMaximumDurationThoughEachReplyCameInTime() {
		try (Dispatcher dispatcher = dispatcher(new HandlerLimits(Duration.ofSeconds(5), Duration.ofMillis(300), 16))) {
			List<IpcReply> replies = new CopyOnWriteArrayList<>();
			dispatcher.dispatch(callerWithUid(1000), ticker(100_000, false, true), replies::add);
			await().atMost(Duration.ofSeconds(10)).until(() -> !replies.isEmpty() && !replies.get(replies.size() - 1).continues());
			IpcReply last = replies.get(replies.size() - 1);
			assertThat(last.error()).isEqualTo(StandardErrors.HANDLER_TIMEOUT);
			assertThat(last.parameters()).containsEntry("limit", "max-stream-duration").containsEntry("timeoutMillis", 300L);
			assertThat(replies).hasSizeGreaterThan(2); // it streamed before the limit ended it
			await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.tickersInterrupted.get() == 1);
		}
	}

	@Test
	void keepsAStreamWithinItsDurationRunningPastThePerReplyTimeout() {
		// a tick every 20 ms, 30 of them: the stream (~600 ms) outlives the per-reply timeout, each reply well within it
		// (a wide margin: on two cores shared by parallel test forks a thread may wait its turn for a while)
		try (Dispatcher dispatcher = dispatcher(new HandlerLimits(Duration.ofMillis(450), Duration.ofSeconds(10), 16))) {
			List<IpcReply> replies = new CopyOnWriteArrayList<>();
			dispatcher.dispatch(callerWithUid(1000), ticker(30, false, true), replies::add);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !replies.isEmpty() && !replies.get(replies.size() - 1).continues());
			IpcReply last = replies.get(replies.size() - 1);
			assertThat(last.error()).as("the final reply after %d replies: %s", replies.size(), last).isNull();
			assertThat(replies).hasSize(31);
			assertThat(last.parameters()).containsEntry("value", 0);
		}
	}

	@Test
	void refusesAUsersCallsBeyondItsShareAndServesOtherUsers() {
		try (Dispatcher dispatcher = dispatcher(new HandlerLimits(Duration.ofSeconds(20), Duration.ZERO, 2))) {
			List<IpcReply> first = new CopyOnWriteArrayList<>();
			for (int i = 0; i < 3; i++) {
				dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.Slow", Map.of()), first::add);
			}
			assertThat(first).singleElement().satisfies(reply -> {
				assertThat(reply.error()).isEqualTo(StandardErrors.OVERLOADED);
				assertThat(reply.parameters()).containsEntry("limit", "max-concurrent-per-uid").containsEntry("value", 2);
			});
			CompletableFuture<IpcReply> other = new CompletableFuture<>();
			dispatcher.dispatch(callerWithUid(1001), IpcRequest.call("com.example.test.WhoAmI", Map.of()),
					other::complete);
			assertThat(other.join().parameters()).containsEntry("uid", 1001L);
			this.handlers.release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 3);
			// the share is given back when the handlers return, before their replies are sent
			CompletableFuture<IpcReply> again = new CompletableFuture<>();
			dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.WhoAmI", Map.of()),
					again::complete);
			assertThat(again.join().error()).isNull();
		}
	}

	@Test
	void aUserWhoCallsAgainAsSoonAsItIsAnsweredStaysWithinItsShare() {
		assertThat(callAgainOnEachReply(IpcRequest.call("com.example.test.WhoAmI", Map.of())))
			.allSatisfy((reply) -> assertThat(reply.error()).as("%s", reply).isNull());
	}

	@Test
	void aUserWhoseCallsFailAndWhoCallsAgainOnEachErrorStaysWithinItsShare() {
		assertThat(callAgainOnEachReply(IpcRequest.call("com.example.test.Crash", Map.of())))
			.allSatisfy((reply) -> assertThat(reply.error()).isEqualTo(StandardErrors.HANDLER_FAILED));
		assertThat(callAgainOnEachReply(IpcRequest.call("com.example.test.Greet", Map.of("name", 42, "times", 1))))
			.allSatisfy((reply) -> assertThat(reply.error()).isEqualTo(StandardErrors.INVALID_PARAMETER));
	}

	/**
	 * A share of one, and each reply dispatches the next call before the reply returns: the share must be free by
	 * the time the reply is sent, or every call after the first is refused. The 200 replies.
	 */
	private List<IpcReply> callAgainOnEachReply(IpcRequest request) {
		try (Dispatcher dispatcher = dispatcher(new HandlerLimits(Duration.ofSeconds(20), Duration.ZERO, 1))) {
			List<IpcReply> replies = new CopyOnWriteArrayList<>();
			ReplySink[] callAgain = new ReplySink[1];
			callAgain[0] = (reply) -> {
				replies.add(reply);
				if (replies.size() < 200) {
					dispatcher.dispatch(callerWithUid(1000), request, callAgain[0]);
				}
			};
			dispatcher.dispatch(callerWithUid(1000), request, callAgain[0]);
			await().atMost(Duration.ofSeconds(20)).until(() -> replies.size() == 200);
			return replies;
		}
	}

	@Test
	void aCallThatTimedOutWhileQueuedGivesItsShareBackWhenItsTurnComes() {
		// one handler thread: a handler that ignores its timeout holds it until released, the second call waits in
		// the queue and times out there; the worker that takes it later finds it answered and must still give the
		// share back
		Stubborn stubborn = new Stubborn();
		try (Dispatcher dispatcher = dispatcher(new HandlerLimits(Duration.ofMillis(300), Duration.ZERO, 2),
				HandlerExecutor.platform(1, 4), this.handlers, stubborn)) {
			CompletableFuture<IpcReply> holding = new CompletableFuture<>();
			dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.stubborn.Hold", Map.of()),
					holding::complete);
			CompletableFuture<IpcReply> queued = new CompletableFuture<>();
			dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.WhoAmI", Map.of()),
					queued::complete);
			assertThat(queued.join().error()).isEqualTo(StandardErrors.HANDLER_TIMEOUT);
			assertThat(holding.join().error()).isEqualTo(StandardErrors.HANDLER_TIMEOUT);
			stubborn.release.countDown(); // now the queued call's turn comes
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				// two calls that each hold a share until their timeout: both shares are free again, so neither is
				// refused for the user's share
				CompletableFuture<IpcReply> first = new CompletableFuture<>();
				CompletableFuture<IpcReply> second = new CompletableFuture<>();
				dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.Slow", Map.of()),
						first::complete);
				dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.Slow", Map.of()),
						second::complete);
				assertThat(List.of(first.join(), second.join()))
					.allSatisfy((reply) -> assertThat(reply.error()).as("%s", reply).isEqualTo(StandardErrors.HANDLER_TIMEOUT));
			});
		}
	}

	@Test
	void aHandlerThatOutlivesItsTimeoutKeepsItsUsersShareUntilItReturns() {
		Stubborn stubborn = new Stubborn();
		try (Dispatcher dispatcher = dispatcher(new HandlerLimits(Duration.ofMillis(100), Duration.ZERO, 1),
				HandlerExecutor.platform(4, 4), this.handlers, stubborn)) {
			CompletableFuture<IpcReply> held = new CompletableFuture<>();
			dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.stubborn.Hold", Map.of()),
					held::complete);
			assertThat(held.join().error()).isEqualTo(StandardErrors.HANDLER_TIMEOUT);
			// answered, but its thread still runs the handler: the user's one share is still taken
			CompletableFuture<IpcReply> refused = new CompletableFuture<>();
			dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.WhoAmI", Map.of()),
					refused::complete);
			assertThat(refused.join().parameters()).containsEntry("limit", "max-concurrent-per-uid");
			stubborn.release.countDown();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				CompletableFuture<IpcReply> again = new CompletableFuture<>();
				dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.WhoAmI", Map.of()),
						again::complete);
				assertThat(again.join().error()).isNull();
			});
		}
	}

	/** A handler that ignores the interrupt of its timeout and runs until released. */
	@IpcInterface("com.example.stubborn")
	public static class Stubborn {

		final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

		@IpcMethod
		public Map<String, Object> hold() {
			while (true) {
				try {
					this.release.await();
					return Map.of();
				}
				catch (InterruptedException ex) {
					// ignored: this handler runs past its timeout
				}
			}
		}

	}

	@Test
	void refusesLimitsOutOfRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> new HandlerLimits(Duration.ofSeconds(-1), Duration.ZERO, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new HandlerLimits(Duration.ZERO, Duration.ofSeconds(-1), 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new HandlerLimits(Duration.ZERO, Duration.ZERO, 0));
	}

}
