package com.example.helper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.VarlinkClient;
import dev.peergate.client.VarlinkReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The helper as a {@code Type=notify} service: a real process whose {@code NOTIFY_SOCKET} names a datagram socket
 * the test bound, as systemd does. It says {@code READY=1} only once its listener serves, keeps {@code STATUS=}
 * current, pets the watchdog at half {@code WATCHDOG_USEC} while healthy, stops petting when every handler thread
 * is stuck, leaves a watchdog {@code WATCHDOG_PID} gives to another process alone, and says {@code STOPPING=1} at
 * SIGTERM.
 */
@Timeout(120)
class HelperSystemdNotifyTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@TempDir
	Path directory;

	@Test
	void notifiesReadinessStatusWatchdogAndStoppingOnAPathSocket() throws Exception {
		Path socket = this.directory.resolve("helper.sock");
		try (NotifyReceiver systemd = NotifyReceiver.bind(this.directory.resolve("notify").toString())) {
			Process helper = start(socket, this.directory.resolve("notify").toString(), "1000000");
			try {
				String ready = systemd.next("READY=1", WAIT);
				assertThat(ready).isEqualTo("READY=1|STATUS=1/1 listeners serving, 0 connections, 0 refusals");
				try (VarlinkClient client = VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(10)).connect()) {
					assertThat(client.call("com.example.helper.Status", Map.of(), Map.class)).isNotEmpty();
					assertThat(systemd.next("STATUS=", Duration.ofSeconds(10)))
						.isEqualTo("STATUS=1/1 listeners serving, 1 connection, 0 refusals");
				}
				systemd.next("WATCHDOG=1", Duration.ofSeconds(5));
				systemd.next("WATCHDOG=1", Duration.ofSeconds(5));
				helper.destroy(); // SIGTERM
				assertThat(systemd.next("STOPPING=1", Duration.ofSeconds(30))).startsWith("STOPPING=1|STATUS=stopping: ");
				assertThat(helper.waitFor(30, TimeUnit.SECONDS)).isTrue();
				assertThat(systemd.next(Duration.ofMillis(1500))).as("nothing after STOPPING=1").isNull();
				List<String> received = systemd.received();
				assertThat(received.get(0)).startsWith("READY=1");
				assertThat(received.get(received.size() - 1)).startsWith("STOPPING=1");
			}
			finally {
				helper.destroyForcibly();
			}
		}
	}

	@Test
	void stopsPettingTheWatchdogWhenEveryHandlerThreadIsStuck() throws Exception {
		Path socket = this.directory.resolve("helper.sock");
		String address = "@peergate-notify-test-" + UUID.randomUUID();
		try (NotifyReceiver systemd = NotifyReceiver.bind(address)) {
			Process helper = start(socket, address, "1000000", "--peergate.handlers.max-concurrent=2",
					"--peergate.handlers.queue-capacity=0", "--peergate.handlers.virtual-threads=false");
			try {
				systemd.next("READY=1", WAIT);
				try (VarlinkClient first = VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(60)).connect();
						VarlinkClient second = VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(60)).connect()) {
					systemd.next("WATCHDOG=1", Duration.ofSeconds(5));
					try (VarlinkReplies<Map> stuck1 = first.more("com.example.helper.WatchLoad",
							Map.of("samples", 100, "intervalMillis", 10_000), Map.class);
							VarlinkReplies<Map> stuck2 = second.more("com.example.helper.WatchLoad",
									Map.of("samples", 100, "intervalMillis", 10_000), Map.class)) {
						stuck1.next();
						stuck2.next(); // both handler threads now sleep for 10 s at a time
						assertThat(systemd.next("STATUS=UNHEALTHY", Duration.ofSeconds(5)))
							.contains("handler executor").contains("watchdog withheld");
						List<String> meanwhile = new ArrayList<>();
						long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
						while (System.nanoTime() < until) {
							String line = systemd.next(Duration.ofMillis(200));
							if (line != null) {
								meanwhile.add(line);
							}
						}
						assertThat(meanwhile).as("three watchdog periods with every handler thread stuck")
							.noneMatch(line -> line.contains("WATCHDOG=1"));
					}
				}
			}
			finally {
				helper.destroyForcibly();
			}
		}
	}

	@Test
	void leavesAWatchdogMeantForAnotherProcessAlone() throws Exception {
		Path socket = this.directory.resolve("helper.sock");
		try (NotifyReceiver systemd = NotifyReceiver.bind(this.directory.resolve("notify").toString())) {
			ProcessBuilder builder = command(socket, this.directory.resolve("notify").toString(), "1000000");
			builder.environment().put("WATCHDOG_PID", "1"); // the watchdog of a parent that started us
			Process helper = builder.start();
			try {
				systemd.next("READY=1", WAIT);
				assertThat(systemd.next(Duration.ofSeconds(2))).as("no WATCHDOG=1 in four half-periods").isNull();
			}
			finally {
				helper.destroyForcibly();
			}
		}
	}

	private Process start(Path socket, String notifySocket, String watchdogUsec, String... arguments)
			throws IOException {
		return command(socket, notifySocket, watchdogUsec, arguments).start();
	}

	private ProcessBuilder command(Path socket, String notifySocket, String watchdogUsec, String... arguments) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), HelperApplication.class.getName(), "--server.port=0",
				"--peergate.listeners.helper.unix.path=" + socket, "--peergate.shutdown.drain-timeout=1s"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("helper.log").toFile());
		builder.environment().put("NOTIFY_SOCKET", notifySocket);
		builder.environment().put("WATCHDOG_USEC", watchdogUsec);
		return builder;
	}

}
