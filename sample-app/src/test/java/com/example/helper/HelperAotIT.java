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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample, processed ahead of time by the build, run in AOT mode ({@code -Dspring.aot.enabled=true}):
 * its listener starts and serves, and {@code peergate.enabled=false} at startup keeps the listener from starting
 * although the auto-configuration was decided when the application was processed.
 */
@Timeout(120)
class HelperAotIT {

	@TempDir
	Path directory;

	@Test
	void servesCallsWhenRunAheadOfTimeProcessed() throws Exception {
		Path socket = this.directory.resolve("helper.sock");
		Path log = this.directory.resolve("helper.log");
		Process helper = start(log, "--peergate.listeners.helper.unix.path=" + socket);
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(socket) || !helper.isAlive());
			assertThat(helper.isAlive()).as("helper started: %s", read(log)).isTrue();
			assertThat(read(log)).contains("Starting AOT-processed HelperApplication");
			try (VarlinkClient client = VarlinkClient.builder(socket).connect()) {
				Map<String, Object> reply = client.call("com.example.helper.Status", Map.of());
				assertThat(reply).containsKey("callerUid").containsEntry("listener", "helper");
			}
		}
		finally {
			helper.destroy();
			helper.waitFor(30, TimeUnit.SECONDS);
			helper.destroyForcibly();
		}
	}

	@Test
	void doesNotStartTheListenerWhenPeergateIsDisabledAtStartup() throws Exception {
		Path socket = this.directory.resolve("helper.sock");
		Path log = this.directory.resolve("helper.log");
		Process helper = start(log, "--peergate.listeners.helper.unix.path=" + socket, "--peergate.enabled=false");
		try {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> read(log).contains("Started HelperApplication") || !helper.isAlive());
			assertThat(read(log)).contains("peergate.enabled is false");
			assertThat(socket).doesNotExist();
		}
		finally {
			helper.destroy();
			helper.waitFor(30, TimeUnit.SECONDS);
			helper.destroyForcibly();
		}
	}

	private Process start(Path log, String... arguments) throws IOException {
		Path jar;
		try (var jars = Files.list(Path.of("target"))) {
			jar = jars.filter(path -> path.getFileName().toString().matches("peergate-sample-app-.*\\.jar"))
				.filter(path -> !path.getFileName().toString().endsWith("-plain.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("the sample's jar is not built (run mvn verify)"));
		}
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dspring.aot.enabled=true", "-jar", jar.toString(), "--server.port=0"));
		command.addAll(List.of(arguments));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	private static String read(Path log) throws IOException {
		return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
	}

}
