package com.example.helper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.VarlinkClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The helper started on demand and gone when idle, as under a {@code .socket} unit: a supervisor (the system
 * Python, playing systemd) binds the socket once and keeps it; for each activation it runs the real
 * {@code systemd-socket-activate}, which waits for a connection on the passed socket and then execs the helper.
 * With {@code peergate.exit-on-idle} the helper serves the first connection, exits 0 once idle, and the next
 * connection, waiting in the kept socket's backlog meanwhile, starts it again and is served.
 */
@Timeout(180)
class HelperExitOnIdleTests {

	private static final String ACTIVATE = "/usr/bin/systemd-socket-activate";

	private static final String SUPERVISOR = """
			import os, socket, sys
			path, runs, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
			s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			s.bind(path)
			s.listen(16)
			print("listening", flush=True)
			for run in range(runs):
			    pid = os.fork()
			    if pid == 0:
			        os.dup2(s.fileno(), 3)
			        os.set_inheritable(3, True)  # dup2 onto itself (the socket may be fd 3) keeps close-on-exec
			        os.environ["LISTEN_FDS"] = "1"
			        os.environ["LISTEN_PID"] = str(os.getpid())
			        os.execv(command[0], command)
			    _, status = os.waitpid(pid, 0)
			    print("exited", os.waitstatus_to_exitcode(status), flush=True)
			""";

	@TempDir
	Path directory;

	@Test
	void exitsWhenIdleAndTheNextConnectionStartsItAgain() throws Exception {
		assumeThat(Path.of(ACTIVATE)).as("systemd-socket-activate is installed (./test installs it)").exists();
		Path socket = this.directory.resolve("helper.sock");
		Path log = this.directory.resolve("helper.log");
		List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", SUPERVISOR, socket.toString(), "2",
				ACTIVATE, "--fdname=helper", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				HelperApplication.class.getName(), "--server.port=0", "--peergate.listeners.helper.unix.path=" + socket,
				"--peergate.exit-on-idle=2s", "--peergate.shutdown.drain-timeout=1s",
				"--logging.file.name=" + log));
		Process supervisor = new ProcessBuilder(command).redirectErrorStream(true).start();
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(supervisor.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					lines.add(line);
				}
			}
			catch (IOException ex) {
				lines.add("reader failed: " + ex);
			}
		});
		reader.setDaemon(true);
		reader.start();
		try {
			assertThat(next(lines, "listening")).isEqualTo("listening");
			for (int activation = 1; activation <= 2; activation++) {
				try (VarlinkClient client = VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(60)).connect()) {
					// waits in the backlog until systemd-socket-activate has started the helper
					assertThat(client.call("com.example.helper.Status", Map.of(), Map.class))
						.as("activation %d served", activation)
						.containsKey("uptimeSeconds");
				}
				assertThat(next(lines, "exited")).as("activation %d exits once idle: %s", activation, read(log))
					.isEqualTo("exited 0");
			}
			assertThat(read(log)).contains("No Peergate connection for PT2S: shutting down");
			assertThat(supervisor.waitFor(10, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			supervisor.destroyForcibly();
		}
	}

	/** The next line of the supervisor's that starts with {@code prefix}, within a minute. */
	private static String next(BlockingQueue<String> lines, String prefix) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		List<String> skipped = new ArrayList<>();
		while (System.nanoTime() < deadline) {
			String line = lines.poll(1, TimeUnit.SECONDS);
			if (line != null && line.startsWith(prefix)) {
				return line;
			}
			if (line != null) {
				skipped.add(line);
			}
		}
		throw new AssertionError("no line starting with " + prefix + " within a minute; output: " + skipped);
	}

	private static String read(Path log) throws IOException {
		return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
	}

}
