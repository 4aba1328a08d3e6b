package dev.peergate.unix;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;

import dev.peergate.core.LogCapture;
import dev.peergate.core.LoggingVerdictSink;
import dev.peergate.core.PeerRequirement;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer whose calls make a handler fail with a message it chose cannot write into the application's log: no
 * forged line, a bounded number of lines, one stack trace, while another client is served throughout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnixListenerLogFloodTests {

	private static final String FORGED = "\n2026-12-07T10:00:00.000Z ERROR 1 --- [main] forged: pwned";

	@TempDir
	Path dir;

	@BeforeAll
	static void linuxOnly() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	@Test
	void peerForgingLogLinesThroughHandlerFailuresLeavesOneBoundedEntry() throws Exception {
		try (LogCapture log = LogCapture.of(Dispatcher.class, UnixListener.class, LoggingVerdictSink.class);
				ListenerFixture fixture = ListenerFixture.anyPeer(this.dir.resolve("s.sock"));
				Bystander bystander = new Bystander(fixture);
				VarlinkTestClient attacker = fixture.connect()) {
			for (int i = 0; i < 500; i++) {
				Map<String, Object> reply = attacker.call("dev.peergate.test.Fail", Map.of("text", "call " + i + FORGED));
				assertThat(reply).containsEntry("error", StandardErrors.HANDLER_FAILED);
				assertThat(reply.toString()).doesNotContain("forged");
			}
			bystander.assertServedThroughout();
			List<LogRecord> records = log.records();
			assertThat(log.text().lines()).noneMatch((line) -> line.startsWith("2026-12-07"));
			assertThat(records).hasSizeLessThan(20);
			assertThat(log.stackTraces()).isOne();
			int frames = records.stream()
				.filter((record) -> record.getThrown() != null)
				.findFirst()
				.orElseThrow()
				.getThrown()
				.getStackTrace().length;
			assertThat(log.text().lines()).hasSizeLessThanOrEqualTo(records.size() + 1 + frames);
		}
	}

}
