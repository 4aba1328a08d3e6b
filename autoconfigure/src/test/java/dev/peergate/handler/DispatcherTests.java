package dev.peergate.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.LogCapture;
import dev.peergate.core.LogLimiter;
import dev.peergate.core.Peer;
import dev.peergate.inprocess.TestHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How a call ends: its replies, the sink told once it is over, and what the handler sees of it. */
@Timeout(30)
class DispatcherTests {

	private final TestHandlers handlers = new TestHandlers();

	private final Shapes shapes = new Shapes();

	@AfterEach
	void release() {
		this.handlers.release.countDown();
	}

	private static CallContext callerWithUid(long uid) {
		return new CallContext("test", "in-process", new Peer("test", "in-process", uid, uid, List.of(), Map.of(), -1));
	}

	private Dispatcher dispatcher(HandlerExecutor executor, HandlerLimits limits) {
		return new Dispatcher(MethodRegistry.of(List.of(this.handlers, this.shapes)), executor, limits,
				CallObserver.none(), new LogLimiter(Duration.ofMinutes(1)));
	}

	private Dispatcher dispatcher() {
		return dispatcher(HandlerExecutor.platform(2, 2), HandlerLimits.timeoutOnly(Duration.ofSeconds(10)));
	}

	@Test
	void letsAnAuthorityAskTheUserOnlyWhenTheCallSetsAllowInteractiveAuthenticationToTrue() {
		List<Boolean> seen = new CopyOnWriteArrayList<>();
		CallInterceptor recording = (context, method, invocation) -> {
			seen.add(context.authorization().interactionAllowed());
			return invocation.proceed();
		};
		try (Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(this.handlers)),
				HandlerExecutor.platform(2, 2), HandlerLimits.timeoutOnly(Duration.ofSeconds(10)), CallObserver.none(),
				new LogLimiter(Duration.ofMinutes(1)), dev.peergate.core.TransportEvents.none(),
				CallAuthorizer.allowAll(), List.of(recording))) {
			for (Map<String, Object> parameters : List.<Map<String, Object>>of(Map.of(),
					Map.of("allowInteractiveAuthentication", true), Map.of("allowInteractiveAuthentication", "yes"),
					Map.of("allowInteractiveAuthentication", false))) {
				CompletableFuture<IpcReply> reply = new CompletableFuture<>();
				dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.WhoAmI", parameters),
						reply::complete);
				assertThat(reply.join().error()).isNull();
			}
		}
		assertThat(seen).containsExactly(false, true, false, false);
	}

	@Test
	void exposesTheExecutorItRunsHandlersOn() {
		HandlerExecutor executor = HandlerExecutor.platform(1, 0);
		try (Dispatcher dispatcher = dispatcher(executor, HandlerLimits.timeoutOnly(Duration.ZERO))) {
			assertThat(dispatcher.executor()).isSameAs(executor);
		}
	}

	@Test
	void tellsTheSinkOnceThatACallEndedAfterItsReply() {
		try (Dispatcher dispatcher = dispatcher()) {
			RecordingSink sink = new RecordingSink();
			dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.WhoAmI", Map.of()), sink);
			await().atMost(Duration.ofSeconds(10)).until(() -> sink.completed.get() == 1);
			assertThat(sink.replies).singleElement().satisfies((reply) -> {
				assertThat(reply.error()).isNull();
				assertThat(reply.parameters()).containsEntry("uid", 1000L);
			});
			assertThat(sink.completedAfterReplies).containsExactly(1);
		}
	}

	@Test
	void tellsTheSinkThatAOnewayCallEndedWithoutReplying() throws InterruptedException {
		try (Dispatcher dispatcher = dispatcher()) {
			RecordingSink sink = new RecordingSink();
			dispatcher.dispatch(callerWithUid(1000),
					new IpcRequest("com.example.test.NotifyMe", Map.of(), true, false, false), sink);
			assertThat(this.handlers.notified.await(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> sink.completed.get() == 1);
			assertThat(sink.replies).isEmpty();
		}
	}

	@Test
	void answersAVoidMethodWithAnEmptyReply() {
		try (Dispatcher dispatcher = dispatcher()) {
			CompletableFuture<IpcReply> reply = new CompletableFuture<>();
			dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.NotifyMe", Map.of()),
					reply::complete);
			assertThat(reply.join()).isEqualTo(IpcReply.of(Map.of()));
		}
	}

	@Test
	void showsAStreamingHandlerWhetherItsPeerIsStillThere() {
		try (Dispatcher dispatcher = dispatcher()) {
			IpcRequest request = new IpcRequest("com.example.shapes.Open", Map.of(), false, true, false);
			RecordingSink open = new RecordingSink();
			dispatcher.dispatch(callerWithUid(1000), request, open);
			RecordingSink gone = new RecordingSink();
			gone.open = false;
			dispatcher.dispatch(callerWithUid(1000), request, gone);
			assertThat(open.replies).singleElement().satisfies((reply) -> assertThat(reply.parameters()).containsEntry("open", true));
			assertThat(gone.replies).singleElement().satisfies((reply) -> assertThat(reply.parameters()).containsEntry("open", false));
		}
	}

	@Test
	void answersHandlerFailedWhenTheReplyOfANonBlockingHandlerCannotBeWritten() {
		try (Dispatcher dispatcher = dispatcher(); LogCapture log = LogCapture.of(Dispatcher.class)) {
			RecordingSink sink = new RecordingSink();
			dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.shapes.Unwritable", Map.of()), sink);
			assertThat(sink.replies).singleElement().satisfies((reply) -> {
				assertThat(reply.error()).isEqualTo(StandardErrors.HANDLER_FAILED);
				assertThat(reply.parameters()).isEqualTo(Map.of("method", "com.example.shapes.Unwritable"));
			});
			assertThat(sink.completed).hasValue(1);
			assertThat(log.records()).anySatisfy((record) -> assertThat(record.getMessage())
				.startsWith("Could not invoke com.example.shapes.Unwritable for peer uid=1000 gid=1000: "));
		}
	}

	@Test
	void answersHandlerFailedWhenTheReplyOfABlockingHandlerCannotBeWritten() {
		try (Dispatcher dispatcher = dispatcher()) {
			RecordingSink sink = new RecordingSink();
			dispatcher.dispatch(callerWithUid(1000),
					IpcRequest.call("com.example.shapes.UnwritableBlocking", Map.of()), sink);
			await().atMost(Duration.ofSeconds(10)).until(() -> sink.completed.get() == 1);
			assertThat(sink.replies).singleElement().satisfies((reply) -> {
				assertThat(reply.error()).isEqualTo(StandardErrors.HANDLER_FAILED);
				assertThat(reply.parameters()).isEqualTo(Map.of("method", "com.example.shapes.UnwritableBlocking"));
			});
		}
	}

	@Test
	void refusesCallsAsOverloadedOnceClosed() {
		Dispatcher dispatcher = dispatcher();
		dispatcher.close();
		List<IpcReply> replies = new CopyOnWriteArrayList<>();
		dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.WhoAmI", Map.of()), replies::add);
		assertThat(replies).singleElement().isEqualTo(IpcReply.error(new IpcError(StandardErrors.OVERLOADED)));
	}

	@Test
	void givesAUsersShareBackWhenTheExecutorRefusedItsCall() {
		try (Dispatcher dispatcher = dispatcher(HandlerExecutor.platform(1, 0),
				new HandlerLimits(Duration.ofSeconds(20), Duration.ZERO, 1))) {
			CompletableFuture<IpcReply> slow = new CompletableFuture<>();
			dispatcher.dispatch(callerWithUid(2000), IpcRequest.call("com.example.test.Slow", Map.of()),
					slow::complete);
			List<IpcReply> refused = new CopyOnWriteArrayList<>();
			dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.WhoAmI", Map.of()),
					refused::add);
			// the executor's refusal, not the user's share
			assertThat(refused).singleElement().isEqualTo(IpcReply.error(new IpcError(StandardErrors.OVERLOADED)));
			this.handlers.release.countDown();
			assertThat(slow.join().error()).isNull();
			// the single handler thread may take a moment to be free again; the share must be free at once
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				CompletableFuture<IpcReply> again = new CompletableFuture<>();
				dispatcher.dispatch(callerWithUid(1000), IpcRequest.call("com.example.test.WhoAmI", Map.of()),
						again::complete);
				IpcReply reply = again.get(5, TimeUnit.SECONDS);
				assertThat(reply.parameters()).doesNotContainEntry("limit", "max-concurrent-per-uid");
				return reply.error() == null;
			});
		}
	}

	/** Records what the dispatcher tells it. */
	static final class RecordingSink implements ReplySink {

		final List<IpcReply> replies = new CopyOnWriteArrayList<>();

		final AtomicInteger completed = new AtomicInteger();

		/** How many replies had arrived each time the call was said to be over. */
		final List<Integer> completedAfterReplies = new CopyOnWriteArrayList<>();

		volatile boolean open = true;

		@Override
		public void reply(IpcReply reply) {
			this.replies.add(reply);
		}

		@Override
		public void completed() {
			this.completedAfterReplies.add(this.replies.size());
			this.completed.incrementAndGet();
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

	}

	@IpcInterface("com.example.shapes")
	static final class Shapes {

		@IpcMethod(blocking = false)
		Open open(IpcStream<Open> stream) {
			return new Open(stream.isOpen());
		}

		@IpcMethod(blocking = false)
		Holder unwritable() {
			return new Holder("lazy");
		}

		@IpcMethod
		Holder unwritableBlocking() {
			return new Holder("lazy");
		}

	}

	record Open(boolean open) {
	}

	/** A reply that cannot be written: reading its component fails. */
	record Holder(String value) {

		@Override
		public String value() {
			throw new IllegalStateException("not loaded");
		}

	}

}
