package dev.peergate.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.LogRecord;

import dev.peergate.core.LogCapture;
import dev.peergate.core.LogLimiter;
import dev.peergate.core.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A failing handler leaves one escaped, rate-limited line in the log, whatever the peer sends and however often. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DispatcherLoggingTests {

	private static final String FORGED = "\n2026-12-07T10:00:00.000Z ERROR 1 --- [main] forged: pwned";

	private final AtomicLong now = new AtomicLong();

	private final CallContext context = new CallContext("test", "unix", new Peer("test", "unix", 1000, 1000, List.of(),
			Map.of("executable-path", "/tmp/evil\n2026-12-07T10:00:00.000Z ERROR forged by path"), 4242));

	private final Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(new FailingHandlers())),
			HandlerExecutor.platform(2, 16), HandlerLimits.timeoutOnly(Duration.ofSeconds(10)),
			CallObserver.none(), new LogLimiter(Duration.ofMinutes(1), LogLimiter.DEFAULT_MAX_KEYS, this.now::get));

	private final List<IpcReply> replies = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.dispatcher.close();
	}

	@Test
	void escapesLineBreaksInHandlerFailureMessage() {
		try (LogCapture log = LogCapture.of(Dispatcher.class)) {
			fail("com.example.failing.Fail", "bad" + FORGED);
			assertThat(log.text().lines()).noneMatch((line) -> line.startsWith("2026-12-07"));
			assertThat(failures(log)).singleElement()
				.extracting(LogRecord::getMessage)
				.asString()
				.isEqualTo("Handler com.example.failing.Fail failed for peer uid=1000 gid=1000 "
						+ "executable-path=/tmp/evil\\n2026-12-07T10:00:00.000Z ERROR forged by path pid~4242: "
						+ "java.lang.IllegalStateException: bad\\n2026-12-07T10:00:00.000Z ERROR 1 --- [main] forged: "
						+ "pwned");
		}
	}

	@Test
	void logsTheStackTraceOfTheOriginalExceptionWithItsMessageEscaped() {
		try (LogCapture log = LogCapture.of(Dispatcher.class)) {
			fail("com.example.failing.Fail", "bad" + FORGED);
			assertThat(log.stackTraces()).isOne();
			assertThat(log.text()).contains("java.lang.IllegalStateException: bad\\n2026-12-07",
					"at dev.peergate.handler.DispatcherLoggingTests$FailingHandlers.fail(");
		}
	}

	@Test
	void logsAThousandFailuresInARowAsOneStackTraceAndABoundedNumberOfLines() {
		try (LogCapture log = LogCapture.of(Dispatcher.class)) {
			for (int i = 0; i < 1000; i++) {
				fail("com.example.failing.Fail", "attempt " + i + FORGED);
			}
			assertThat(this.replies).hasSize(1000).allMatch((reply) -> StandardErrors.HANDLER_FAILED.equals(reply.error()));
			assertThat(failures(log)).hasSize(1);
			assertThat(log.stackTraces()).isOne();
			int frames = failures(log).get(0).getThrown().getStackTrace().length;
			// the line, the exception's own line and its frames; slow-handler lines aside, nothing else
			assertThat(log.text().lines()).noneMatch((line) -> line.startsWith("2026-12-07"))
				.hasSizeLessThanOrEqualTo(frames + 2 + log.records().size() - failures(log).size());
		}
	}

	@Test
	void countsSuppressedFailuresInTheNextLineAfterTheInterval() {
		try (LogCapture log = LogCapture.of(Dispatcher.class)) {
			for (int i = 0; i < 38; i++) {
				fail("com.example.failing.Fail", "x");
			}
			this.now.addAndGet(Duration.ofSeconds(61).toNanos());
			fail("com.example.failing.Fail", "x");
			assertThat(failures(log)).hasSize(2);
			assertThat(failures(log).get(1).getMessage()).endsWith("x (37 similar suppressed in the last 61 s)");
			assertThat(log.stackTraces()).isEqualTo(2); // a new interval shows the stack trace again
		}
	}

	@Test
	void logsTheStackTraceOncePerMethodAndEachExceptionClassOnItsOwnLine() {
		try (LogCapture log = LogCapture.of(Dispatcher.class)) {
			fail("com.example.failing.Fail", "first");
			fail("com.example.failing.FailOtherwise", "second");
			fail("com.example.failing.Fail", "third");
			fail("com.example.failing.Fail", "unsupported: fourth");
			assertThat(failures(log)).extracting(LogRecord::getMessage)
				.satisfiesExactly((line) -> assertThat(line).contains("Fail failed", "IllegalStateException: first"),
						(line) -> assertThat(line).contains("FailOtherwise failed"),
						(line) -> assertThat(line).contains("Fail failed", "UnsupportedOperationException: unsupported: fourth")
							.endsWith("(stack trace logged earlier)"));
			assertThat(log.stackTraces()).isEqualTo(2);
		}
	}

	@Test
	void logsFailuresOfBlockingHandlersAlike() {
		try (LogCapture log = LogCapture.of(Dispatcher.class)) {
			this.dispatcher.dispatch(this.context,
					IpcRequest.call("com.example.failing.FailBlocking", Map.of("text", "bad" + FORGED)),
					this.replies::add);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.replies.size() == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> failures(log).size() == 1);
			assertThat(log.text().lines()).noneMatch((line) -> line.startsWith("2026-12-07"));
		}
	}

	/** The failure lines (the first call of a non-blocking method may also be slow, which is logged too). */
	private static List<LogRecord> failures(LogCapture log) {
		return log.records().stream().filter((record) -> record.getMessage().startsWith("Handler ")).toList();
	}

	private void fail(String method, String text) {
		this.dispatcher.dispatch(this.context, IpcRequest.call(method, Map.of("text", text)), this.replies::add);
	}

	@IpcInterface("com.example.failing")
	static final class FailingHandlers {

		@IpcMethod(blocking = false)
		Text fail(Text text) {
			if (text.text().startsWith("unsupported")) {
				throw new UnsupportedOperationException(text.text());
			}
			throw new IllegalStateException(text.text());
		}

		@IpcMethod(blocking = false)
		Text failOtherwise(Text text) {
			throw new IllegalStateException(text.text());
		}

		@IpcMethod
		Text failBlocking(Text text) {
			throw new IllegalStateException(text.text());
		}

	}

	record Text(String text) {
	}

}
