package dev.peergate.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** Refusals reach the log: one escaped line per listener, uid and reason in each interval. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoggingVerdictSinkTests {

	private final AtomicLong now = new AtomicLong();

	private final LoggingVerdictSink sink = new LoggingVerdictSink(
			new LogLimiter(Duration.ofMinutes(1), LogLimiter.DEFAULT_MAX_KEYS, this.now::get));

	@Test
	void logsARefusalWithListenerPeerReasonAndExplanation() {
		try (LogCapture log = LogCapture.of(LoggingVerdictSink.class)) {
			this.sink.accept(verdict(Outcome.REJECTED, 1001, 4242, "/usr/bin/cli", "uid: expected 1000, peer has 1001"));
			assertThat(log.records()).singleElement().satisfies((record) -> {
				assertThat(record.getLevel()).isEqualTo(Level.INFO);
				assertThat(record.getMessage()).isEqualTo("Peergate listener 'helper' refused uid=1001 gid=1001 "
						+ "executable-path=/usr/bin/cli pid~4242 [requirement-not-satisfied, pidfd]: "
						+ "uid: expected 1000, peer has 1001");
			});
		}
	}

	@Test
	void logsAVerificationErrorAsAWarning() {
		try (LogCapture log = LogCapture.of(LoggingVerdictSink.class)) {
			this.sink.accept(verdict(Outcome.ERROR, 1001, 1, "/usr/bin/cli", "verification failed: EIO"));
			assertThat(log.records()).singleElement()
				.satisfies((record) -> assertThat(record.getLevel()).isEqualTo(Level.WARNING))
				.extracting(LogRecord::getMessage)
				.asString()
				.startsWith("Peergate listener 'helper' could not verify uid=1001");
		}
	}

	@Test
	void logsNothingForAnAcceptedPeer() {
		try (LogCapture log = LogCapture.of(LoggingVerdictSink.class)) {
			this.sink.accept(verdict(Outcome.ACCEPTED, 1000, 1, "/usr/bin/cli", "satisfied"));
			assertThat(log.records()).isEmpty();
		}
	}

	@Test
	void escapesPeerControlledExecutablePathAndExplanation() {
		String forged = "\n2026-12-07T10:00:00.000Z ERROR 1 --- [main] forged: pwned";
		try (LogCapture log = LogCapture.of(LoggingVerdictSink.class)) {
			this.sink.accept(verdict(Outcome.REJECTED, 1001, 1, "/tmp/x" + forged,
					"executable-path: expected /usr/bin/cli, peer has /tmp/x" + forged));
			assertThat(log.text().lines()).hasSize(1).noneMatch((line) -> line.startsWith("2026-12-07"));
			assertThat(log.text()).contains("executable-path=/tmp/x\\n2026-12-07T10:00:00.000Z");
		}
	}

	@Test
	void logsOneLinePerUidAndReasonInAnIntervalWhateverThePids() {
		try (LogCapture log = LogCapture.of(LoggingVerdictSink.class)) {
			for (int pid = 1; pid <= 1000; pid++) {
				this.sink.accept(verdict(Outcome.REJECTED, 1001, pid, "/usr/bin/cli", "no"));
			}
			this.sink.accept(verdict(Outcome.REJECTED, 1002, 1, "/usr/bin/cli", "no"));
			assertThat(log.records()).hasSize(2);
			this.now.addAndGet(Duration.ofSeconds(60).toNanos());
			this.sink.accept(verdict(Outcome.REJECTED, 1001, 7, "/usr/bin/cli", "no"));
			assertThat(log.records()).hasSize(3)
				.last()
				.extracting(LogRecord::getMessage)
				.asString()
				.endsWith("no (999 similar suppressed in the last 60 s)");
		}
	}

	private static Verdict verdict(Outcome outcome, long uid, long pid, String executable, String explanation) {
		Reason reason = switch (outcome) {
			case ACCEPTED -> Reason.SATISFIED;
			case REJECTED, WOULD_REJECT -> Reason.REQUIREMENT_NOT_SATISFIED;
			case ERROR -> Reason.VERIFICATION_FAILED;
		};
		Peer peer = new Peer("helper", "unix", uid, uid, List.of(), Map.of("executable-path", executable), pid);
		return new Verdict(outcome, Mechanism.PIDFD, reason, explanation, peer, "helper", Instant.EPOCH);
	}

}
