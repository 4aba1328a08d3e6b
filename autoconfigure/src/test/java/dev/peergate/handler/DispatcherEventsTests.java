package dev.peergate.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.LogLimiter;
import dev.peergate.core.Peer;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.TransportEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Dispatcher reports the limits and protocol errors it finds, for every transport, tagged with the listener. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DispatcherEventsTests {

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final TransportEvents recorder = new TransportEvents() {

		@Override
		public void protocolError(String listener, String kind) {
			DispatcherEventsTests.this.events.add(listener + "/protocol/" + kind);
		}

		@Override
		public void limitExceeded(String listener, String limit) {
			DispatcherEventsTests.this.events.add(listener + "/limit/" + limit);
		}

	};

	private final Holding handlers = new Holding();

	private Dispatcher dispatcher;

	@AfterEach
	void release() {
		this.handlers.release.countDown();
		if (this.dispatcher != null) {
			this.dispatcher.close();
		}
	}

	@Test
	void reportsAnUnknownInterfaceOrMethodAsAProtocolError() {
		Dispatcher dispatcher = dispatcher(HandlerExecutor.platform(2, 8), 16);
		assertThat(call(dispatcher, 1000, "com.example.nope.Ping", Map.of())).isEqualTo(StandardErrors.INTERFACE_NOT_FOUND);
		assertThat(call(dispatcher, 1000, "com.example.holding.Nope", Map.of())).isEqualTo(StandardErrors.METHOD_NOT_FOUND);
		assertThat(this.events).containsExactly("helper/protocol/unknown-method", "helper/protocol/unknown-method");
	}

	@Test
	void reportsParametersTheBindingRefusesButNotAnInvalidParameterTheHandlerAnswers() {
		Dispatcher dispatcher = dispatcher(HandlerExecutor.platform(2, 8), 16);
		assertThat(call(dispatcher, 1000, "com.example.holding.Check", Map.of("value", "not a number")))
			.isEqualTo(StandardErrors.INVALID_PARAMETER);
		assertThat(this.events).containsExactly("helper/protocol/invalid-parameter");
		assertThat(call(dispatcher, 1000, "com.example.holding.Check", Map.of("value", -1)))
			.isEqualTo(StandardErrors.INVALID_PARAMETER);
		assertThat(this.events).containsExactly("helper/protocol/invalid-parameter");
	}

	@Test
	void reportsAUserWhoseShareOfHandlerThreadsIsFull() {
		Dispatcher dispatcher = dispatcher(HandlerExecutor.platform(4, 8), 1);
		CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> call(dispatcher, 1000, "com.example.holding.Hold", Map.of()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.holding.getCount() == 0);
		assertThat(call(dispatcher, 1000, "com.example.holding.Check", Map.of("value", 1))).isEqualTo(StandardErrors.OVERLOADED);
		assertThat(this.events).containsExactly("helper/limit/max-concurrent-per-uid");
		assertThat(call(dispatcher, 1001, "com.example.holding.Check", Map.of("value", 1))).isNull();
		this.handlers.release.countDown();
		assertThat(held.join()).isNull();
	}

	@Test
	void reportsAFullHandlerExecutor() {
		Dispatcher dispatcher = dispatcher(HandlerExecutor.platform(1, 0), 16);
		CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> call(dispatcher, 1000, "com.example.holding.Hold", Map.of()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.holding.getCount() == 0);
		assertThat(call(dispatcher, 1001, "com.example.holding.Check", Map.of("value", 1))).isEqualTo(StandardErrors.OVERLOADED);
		assertThat(this.events).containsExactly("helper/limit/handler-executor");
		this.handlers.release.countDown();
		assertThat(held.join()).isNull();
	}

	private Dispatcher dispatcher(HandlerExecutor executor, int perUid) {
		this.dispatcher = new Dispatcher(MethodRegistry.of(List.of(this.handlers)), executor,
				new HandlerLimits(Duration.ofSeconds(20), Duration.ofMinutes(1), perUid), CallObserver.none(),
				new LogLimiter(Duration.ofMinutes(1)), this.recorder);
		return this.dispatcher;
	}

	/** The error the call was answered with, or {@code null} for a normal reply. */
	private static String call(Dispatcher dispatcher, long uid, String method, Map<String, Object> parameters) {
		CompletableFuture<IpcReply> reply = new CompletableFuture<>();
		Peer peer = Peer.of("helper", PeerCredentials.builder("unix").uid(uid).gid(uid).build());
		dispatcher.dispatch(new CallContext("helper", "unix", peer), IpcRequest.call(method, Map.copyOf(parameters)),
				(r) -> {
					if (!r.continues()) {
						reply.complete(r);
					}
				});
		return reply.orTimeout(20, TimeUnit.SECONDS).join().error();
	}

	@IpcInterface("com.example.holding")
	static class Holding {

		final CountDownLatch holding = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@IpcMethod
		public Value hold() throws InterruptedException {
			this.holding.countDown();
			this.release.await(20, TimeUnit.SECONDS);
			return new Value(0);
		}

		@IpcMethod
		public Value check(Value value) {
			if (value.value() < 0) {
				throw new IpcError(StandardErrors.INVALID_PARAMETER, Map.of("parameter", "value"));
			}
			return value;
		}

	}

	/** A number. */
	public record Value(int value) {
	}

}
