package dev.peergate.unix;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The system bus and polkitd the polkit tests talk to, started for the test when none answers and stopped after it.
 * <p>
 * A socket file is no proof of a bus: a machine whose {@code dbus-daemon} died (or a container snapshot taken while
 * one ran) keeps {@code /run/dbus/system_bus_socket} and the pid file, and a fresh {@code dbus-daemon --system}
 * refuses to start over them. So the bus counts as running only when its socket accepts a connection; otherwise
 * the stale files are removed and a daemon of our own is started in the foreground, as a child we can stop.
 */
final class SystemBus {

	static final Path SOCKET = Path.of("/run/dbus/system_bus_socket");

	private static final Path PID_FILE = Path.of("/run/dbus/pid");

	private static final long STARTUP_SECONDS = 20;

	private final Process bus;

	private final Process polkitd;

	private final Path polkitdLog;

	private SystemBus(Process bus, Process polkitd, Path polkitdLog) {
		this.bus = bus;
		this.polkitd = polkitd;
		this.polkitdLog = polkitdLog;
	}

	/**
	 * Makes sure a system bus answers and (re)starts polkitd on it, so that it reads the test's policy and rules.
	 */
	static SystemBus withPolkitd() throws Exception {
		Process bus = answers() ? null : startBus();
		run("/usr/bin/pkill", "-x", "polkitd");
		Path log = Files.createTempFile("polkitd", ".log");
		Process polkitd = new ProcessBuilder("/usr/lib/polkit-1/polkitd", "--no-debug").redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		SystemBus started = new SystemBus(bus, polkitd, log);
		started.awaitPolkitd();
		return started;
	}

	/** Stops ({@code SIGSTOP}) or continues ({@code SIGCONT}) polkitd: a polkit that takes its time. */
	void freezePolkitd(boolean frozen) throws Exception {
		run("/bin/kill", frozen ? "-STOP" : "-CONT", Long.toString(this.polkitd.pid()));
	}

	void stop() throws Exception {
		stop(this.polkitd);
		if (this.bus != null) {
			stop(this.bus);
			// dbus-daemon leaves its socket behind; a later run must not take it for a bus
			Files.deleteIfExists(SOCKET);
			Files.deleteIfExists(PID_FILE);
		}
		Files.deleteIfExists(this.polkitdLog);
	}

	private static boolean answers() {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(SOCKET));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Process startBus() throws Exception {
		Files.deleteIfExists(SOCKET);
		Files.deleteIfExists(PID_FILE);
		Files.createDirectories(SOCKET.getParent());
		Path log = Files.createTempFile("dbus-daemon", ".log");
		Process bus = new ProcessBuilder("/usr/bin/dbus-daemon", "--system", "--nofork", "--nopidfile")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
		while (System.nanoTime() < deadline && bus.isAlive()) {
			if (answers()) {
				Files.deleteIfExists(log);
				return bus;
			}
			Thread.sleep(50);
		}
		bus.destroyForcibly();
		throw new IllegalStateException("the system bus did not come up: " + Files.readString(log));
	}

	private void awaitPolkitd() throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
		while (System.nanoTime() < deadline && this.polkitd.isAlive()) {
			// root is authorized for every action, so an answer of "yes" means polkitd is serving
			Process check = new ProcessBuilder(List.of("/usr/bin/pkcheck", "--action-id",
					"org.freedesktop.policykit.exec", "--process", Long.toString(ProcessHandle.current().pid())))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (check.waitFor(10, TimeUnit.SECONDS) && check.exitValue() == 0) {
				return;
			}
			Thread.sleep(100);
		}
		boolean alive = this.polkitd.isAlive();
		String log = Files.readString(this.polkitdLog, StandardCharsets.UTF_8);
		stop();
		throw new IllegalStateException("polkitd did not come up (" + (alive ? "running" : "exited") + "): " + log);
	}

	private static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(5, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
	}

	private static void run(String... command) throws Exception {
		new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start()
			.waitFor(20, TimeUnit.SECONDS);
	}

}
