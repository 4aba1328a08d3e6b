package dev.peergate.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.core.Peer;
import dev.peergate.inprocess.TestHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the dispatcher does when handlers are slow or the executor is full. */
class DispatcherLimitsTests {

	private final TestHandlers handlers = new TestHandlers();

	private final CallContext context = new CallContext("test", "in-process",
			new Peer("test", "in-process", 1000, 1000, List.of(), Map.of(), -1));

	@AfterEach
	void release() {
		this.handlers.release.countDown();
	}

	@Test
	void repliesHandlerTimeoutWhenHandlerIsTooSlow() {
		try (Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(this.handlers)),
				HandlerExecutor.platform(2, 0), Duration.ofMillis(200), CallObserver.none())) {
			CompletableFuture<IpcReply> reply = new CompletableFuture<>();
			dispatcher.dispatch(this.context, IpcRequest.call("com.example.test.Slow", Map.of()), reply::complete);
			await().atMost(Duration.ofSeconds(10)).until(reply::isDone);
			assertThat(reply.join().error()).isEqualTo(StandardErrors.HANDLER_TIMEOUT);
		}
	}

	@Test
	void refusesCallsBeyondExecutorCapacityAsOverloaded() {
		try (Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(this.handlers)),
				HandlerExecutor.platform(1, 0), Duration.ZERO, CallObserver.none())) {
			List<IpcReply> replies = new CopyOnWriteArrayList<>();
			dispatcher.dispatch(this.context, IpcRequest.call("com.example.test.Slow", Map.of()), replies::add);
			dispatcher.dispatch(this.context, IpcRequest.call("com.example.test.Slow", Map.of()), replies::add);
			assertThat(replies).singleElement().extracting(IpcReply::error).isEqualTo(StandardErrors.OVERLOADED);
			this.handlers.release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 2);
			assertThat(replies.get(1).parameters()).containsEntry("text", "finally");
		}
	}

	@Test
	void reportsEveryCallToTheObserverWithItsOutcome() {
		List<String> outcomes = new CopyOnWriteArrayList<>();
		CallObserver observer = (context, method) -> (outcome, failure) -> outcomes.add(method + "=" + outcome);
		try (Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(this.handlers)),
				HandlerExecutor.platform(2, 2), Duration.ofSeconds(10), observer)) {
			dispatcher.dispatch(this.context, IpcRequest.call("com.example.test.WhoAmI", Map.of()), reply -> {
			});
			dispatcher.dispatch(this.context, IpcRequest.call("com.example.test.Missing", Map.of()), reply -> {
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 2);
			assertThat(outcomes).containsExactlyInAnyOrder("com.example.test.WhoAmI=success",
					"com.example.test.Missing=" + StandardErrors.METHOD_NOT_FOUND);
		}
	}

}
