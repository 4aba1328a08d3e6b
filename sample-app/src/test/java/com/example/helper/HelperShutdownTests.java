package com.example.helper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.VarlinkClient;
import dev.peergate.client.VarlinkClientException;
import dev.peergate.client.VarlinkReplies;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The helper as its service manager stops it: a real process, SIGTERM while a call is in flight. The call gets a
 * final error reply, and the listener's summary reaches the log although the JVM is shutting down.
 */
@Timeout(90)
class HelperShutdownTests {

	@TempDir
	Path directory;

	@Test
	void sigtermAnswersTheCallInFlightAndLogsTheDrainSummary() throws Exception {
		Path socket = this.directory.resolve("helper.sock");
		Path log = this.directory.resolve("helper.log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), HelperApplication.class.getName(), "--server.port=0",
				"--peergate.listeners.helper.unix.path=" + socket, "--peergate.shutdown.drain-timeout=1s"));
		Process helper = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(socket) || !helper.isAlive());
			assertThat(helper.isAlive()).as("helper started: %s", read(log)).isTrue();
			try (VarlinkClient client = VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(30)).connect();
					VarlinkReplies<Map> samples = client.more("com.example.helper.WatchLoad",
							Map.of("samples", 100, "intervalMillis", 10_000), Map.class)) {
				assertThat(samples.next()).containsEntry("sequence", 1); // the handler now sleeps for 10 s
				helper.destroy(); // SIGTERM
				Throwable ended = catchThrowable(samples::next);
				assertThat(ended).isInstanceOf(IpcError.class);
				assertThat(((IpcError) ended).name()).isEqualTo(StandardErrors.SHUTTING_DOWN);
			}
			catch (VarlinkClientException ex) {
				throw new AssertionError("the call in flight got no reply: " + read(log), ex);
			}
			assertThat(helper.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(read(log)).contains("Peergate listener 'helper' stopped: closed 1 connection")
				.contains("0 of 1 calls in flight finished, 1 cut short");
		}
		finally {
			helper.destroyForcibly();
		}
	}

	private static String read(Path log) throws IOException {
		return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
	}

}
