package dev.peergate.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.peergate.core.LogCapture;
import dev.peergate.core.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Methods declared {@code @IpcMethod(blocking = false)} run where the call was delivered. */
@Timeout(30)
class DispatcherNonBlockingTests {

	private final InlineHandlers handlers = new InlineHandlers();

	private final CallContext context = new CallContext("test", "in-process",
			new Peer("test", "in-process", 1000, 1000, List.of(), Map.of(), -1));

	private final Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(this.handlers)),
			HandlerExecutor.platform(2, 2), Duration.ofMillis(50), CallObserver.none());

	private final List<IpcReply> replies = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.dispatcher.close();
	}

	@Test
	void describesMethodsAsBlockingUnlessDeclaredOtherwise() {
		MethodRegistry registry = this.dispatcher.registry();
		assertThat(registry.lookup("test", "com.example.inline.Where").blocking()).isFalse();
		assertThat(registry.lookup("test", "com.example.inline.WhereBlocking").blocking()).isTrue();
	}

	@Test
	void runsNonBlockingHandlerOnTheCallingThreadBeforeDispatchReturns() {
		this.dispatcher.dispatch(this.context, IpcRequest.call("com.example.inline.Where", Map.of()), this.replies::add);
		assertThat(this.replies).singleElement()
			.extracting(IpcReply::parameters)
			.isEqualTo(Map.of("thread", Thread.currentThread().getName()));
	}

	@Test
	void runsBlockingHandlerOnAHandlerThread() {
		// not the shared dispatcher: its 50 ms timeout is for the stalling handler, and a new handler thread's first
		// call may take that long on a busy machine
		try (Dispatcher patient = new Dispatcher(MethodRegistry.of(List.of(this.handlers)),
				HandlerExecutor.platform(2, 2), Duration.ofSeconds(10), CallObserver.none())) {
			patient.dispatch(this.context, IpcRequest.call("com.example.inline.WhereBlocking", Map.of()),
					this.replies::add);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.replies.size() == 1);
			assertThat(this.replies.get(0).error()).isNull();
			assertThat((String) this.replies.get(0).parameters().get("thread")).startsWith("peergate-handler-");
		}
	}

	@Test
	void answersHandlerFailedWhenNonBlockingHandlerThrows() {
		this.dispatcher.dispatch(this.context, IpcRequest.call("com.example.inline.Crash", Map.of()), this.replies::add);
		assertThat(this.replies).singleElement().extracting(IpcReply::error).isEqualTo(StandardErrors.HANDLER_FAILED);
	}

	@Test
	void streamsRepliesOfNonBlockingHandlerInOrder() {
		this.dispatcher.dispatch(this.context,
				new IpcRequest("com.example.inline.Count", Map.of("to", 3), false, true, false), this.replies::add);
		assertThat(this.replies).extracting(reply -> reply.parameters().get("value")).containsExactly(1, 2, 3);
		assertThat(this.replies).extracting(IpcReply::continues).containsExactly(true, true, false);
	}

	@Test
	void neitherTimesOutNorInterruptsTheThreadOfANonBlockingHandler() {
		// the handler timeout is 50 ms; the thread belongs to the transport and must come back uninterrupted
		this.dispatcher.dispatch(this.context, IpcRequest.call("com.example.inline.Stall", Map.of("millis", 300)),
				this.replies::add);
		assertThat(this.replies).singleElement().extracting(IpcReply::parameters).isEqualTo(Map.of("interrupted", false));
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void namesSlowNonBlockingHandlerInTheLogOncePerMethod() {
		List<LogRecord> warnings;
		try (LogCapture log = LogCapture.of(Dispatcher.class)) {
			long millis = 2 * Dispatcher.SLOW_NON_BLOCKING.toMillis();
			for (int i = 0; i < 2; i++) {
				this.dispatcher.dispatch(this.context,
						IpcRequest.call("com.example.inline.Stall", Map.of("millis", millis)), this.replies::add);
			}
			warnings = log.records()
				.stream()
				.filter((record) -> record.getLevel().intValue() >= Level.WARNING.intValue())
				.toList();
		}
		assertThat(warnings).singleElement()
			.extracting(LogRecord::getMessage)
			.asString()
			.contains("com.example.inline.Stall", "blocking = false");
	}

	@Test
	void namesASlowNonBlockingHandlerAtItsFirstSlowCall() {
		try (LogCapture log = LogCapture.of(Dispatcher.class)) {
			long millis = 2 * Dispatcher.SLOW_NON_BLOCKING.toMillis();
			this.dispatcher.dispatch(this.context, IpcRequest.call("com.example.inline.Stall", Map.of("millis", millis)),
					this.replies::add);
			assertThat(log.records()).singleElement()
				.extracting(LogRecord::getMessage)
				.asString()
				.startsWith("Non-blocking handler com.example.inline.Stall ran for ");
		}
	}

	@Test
	void doesNotNameANonBlockingHandlerThatReturnsQuickly() {
		// a first call may be slow (classes loaded, a pause of the JVM): some call of a quick handler goes unnamed
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try (Dispatcher fresh = new Dispatcher(this.dispatcher.registry(), HandlerExecutor.platform(1, 0),
					Duration.ofMillis(50), CallObserver.none()); LogCapture log = LogCapture.of(Dispatcher.class)) {
				fresh.dispatch(this.context, IpcRequest.call("com.example.inline.Where", Map.of()), this.replies::add);
				return log.records().isEmpty();
			}
		});
	}

	@IpcInterface("com.example.inline")
	static final class InlineHandlers {

		@IpcMethod(blocking = false)
		Where where() {
			return new Where(Thread.currentThread().getName());
		}

		@IpcMethod
		Where whereBlocking() {
			return where();
		}

		@IpcMethod(blocking = false)
		Where crash() {
			throw new IllegalStateException("handler bug");
		}

		@IpcMethod(blocking = false)
		Value count(To to, IpcStream<Value> values) {
			for (int i = 1; i < to.to(); i++) {
				values.send(new Value(i));
			}
			return new Value(to.to());
		}

		@IpcMethod(blocking = false)
		Stalled stall(Millis millis) {
			long end = System.nanoTime() + Duration.ofMillis(millis.millis()).toNanos();
			while (System.nanoTime() - end < 0) {
				Thread.onSpinWait(); // busy, as a mis-declared handler would be; sleeping would notice an interrupt
			}
			return new Stalled(Thread.currentThread().isInterrupted());
		}

	}

	record Where(String thread) {
	}

	record To(int to) {
	}

	record Value(int value) {
	}

	record Millis(long millis) {
	}

	record Stalled(boolean interrupted) {
	}

}
