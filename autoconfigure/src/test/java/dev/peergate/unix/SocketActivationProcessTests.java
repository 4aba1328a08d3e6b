package dev.peergate.unix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Socket activation for real: {@code systemd-socket-activate} binds the socket, starts a JVM on the first
 * connection with the listening socket as fd 3, and that JVM's listener adopts it.
 */
class SocketActivationProcessTests {

	private static final String ACTIVATE = "/usr/bin/systemd-socket-activate";

	@TempDir
	Path dir;

	@BeforeAll
	static void needsSystemdSocketActivate() {
		LinuxAssumptions.assumeLinuxTransport();
		LinuxAssumptions.assumeTool(ACTIVATE);
	}

	@Test
	void servesOnTheSocketSystemdPassed() throws Exception {
		Path socket = this.dir.resolve("activated.sock");
		String javaCommand = ProcessHandle.current().info().command().orElseThrow();
		List<String> command = List.of(ACTIVATE, "--listen=" + socket, "--fdname=test", javaCommand, "-Xmx128m",
				"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				ActivationScenario.class.getName(), socket.toString());
		Process service = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		try {
			CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
				try (BufferedReader reader = new BufferedReader(
						new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8))) {
					return reader.readLine();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			await().atMost(Duration.ofSeconds(20)).until(() -> socket.toFile().exists());
			// The first connection makes systemd-socket-activate start the JVM; it waits in the backlog meanwhile.
			try (VarlinkTestClient client = VarlinkTestClient.connect(socket)) {
				client.send(Map.of("method", "dev.peergate.test.Echo", "parameters",
						Map.of("text", "activated")));
				assertThat(client.readReply(Duration.ofSeconds(60)))
					.containsEntry("parameters", Map.of("text", "activated"));
			}
			assertThat(firstLine.get(30, TimeUnit.SECONDS)).isEqualTo("ACTIVATED=true");
		}
		finally {
			service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

}
