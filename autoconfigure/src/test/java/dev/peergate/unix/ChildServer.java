package dev.peergate.unix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link AttackTargetServer} in a child JVM with a small heap, started from the test classpath and always
 * destroyed on {@link #close()}.
 *
 * <pre>{@code
 * try (ChildServer server = ChildServer.start(dir, "max-connections=32")) {
 *     long baseline = server.memory().heap();
 *     // attack server.socket() ...
 *     assertThat(server.outOfMemoryReports()).isEmpty();
 * }
 * }</pre>
 */
final class ChildServer implements AutoCloseable {

	/** The child's heap and direct-memory limit: an attack that works shows within seconds. */
	static final int MAX_MEMORY_MIB = 64;

	/** The status the JVM exits with on an OOM it raises itself ({@code -XX:+ExitOnOutOfMemoryError}). */
	static final int OOM_EXIT_STATUS = 3;

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	/** {@code heap} runs two full collections; under attack the child may take its time. */
	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

	private static final Pattern STATUS = Pattern
		.compile("STATUS connections=(\\d+) inFlight=(\\d+) streamed=(\\d+) handlerThreads=(\\d+) limits=\\{(.*)\\} protocol=\\{(.*)\\}");

	private final Process process;

	private final Path socket;

	private final Path stderr;

	private final OutputStream commands;

	/** Every line the child printed, for failure messages and for OOM reports. */
	private final List<String> output = Collections.synchronizedList(new ArrayList<>());

	/** Answers to commands, READY, STOPPED; not OOM reports. */
	private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

	/** When the first sign of an OOM was printed ({@link System#nanoTime()}), or 0. */
	private volatile long firstOutOfMemoryNanos;

	private ChildServer(Process process, Path socket, Path stderr) {
		this.process = process;
		this.socket = socket;
		this.stderr = stderr;
		this.commands = process.getOutputStream();
		Thread reader = new Thread(this::readOutput, "child-server-stdout");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a child server on {@code dir/attack.sock} with {@code -Xmx64m -XX:MaxDirectMemorySize=64m} and waits
	 * until it listens; its stderr goes to {@code dir/child-stderr.log}.
	 * @param serverArgs listener and executor options, see {@link AttackTargetServer}
	 */
	static ChildServer start(Path dir, String... serverArgs) throws IOException, InterruptedException {
		Path socket = dir.resolve("attack.sock");
		Path stderr = dir.resolve("child-stderr.log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx" + MAX_MEMORY_MIB + "m", "-XX:MaxDirectMemorySize=" + MAX_MEMORY_MIB + "m",
				// an OOM the JVM raises ends the child with a status nobody can miss; see AttackTargetServer
				"-XX:+ExitOnOutOfMemoryError",
				// one GC thread and full collections on System.gc(): the heap command then measures live data,
				// and the child leaves the second core to the attackers and the bystander
				"-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), AttackTargetServer.class.getName(),
				socket.toString()));
		command.addAll(List.of(serverArgs));
		Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
		ChildServer server = new ChildServer(process, socket, stderr);
		try {
			String ready = server.answers.poll(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (ready == null || !ready.startsWith("READY ")) {
				throw new IllegalStateException("child server did not start (" + ready + "): " + server.describe());
			}
			return server;
		}
		catch (RuntimeException | InterruptedException ex) {
			server.close();
			throw ex;
		}
	}

	private void readOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.output.add(line);
				if (this.firstOutOfMemoryNanos == 0 && isOutOfMemoryReport(line)) {
					this.firstOutOfMemoryNanos = System.nanoTime();
				}
				if (!line.startsWith(AttackTargetServer.OOM + " ")) {
					this.answers.add(line);
				}
			}
		}
		catch (IOException ex) {
			// the child is gone; isAlive() and exitStatus() tell the test
		}
	}

	Path socket() {
		return this.socket;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** The exit status, or {@code null} while the child runs. */
	Integer exitStatus() {
		return this.process.isAlive() ? null : this.process.exitValue();
	}

	/**
	 * Every sign of an {@link OutOfMemoryError}: {@code OOM} lines, the JVM's {@code Terminating due to} line, an
	 * exit with {@link #OOM_EXIT_STATUS}, and how many stderr lines name the error.
	 */
	List<String> outOfMemoryReports() {
		List<String> reports = new ArrayList<>();
		for (String line : output()) {
			if (isOutOfMemoryReport(line) && !reports.contains(line)) {
				reports.add(line); // the same error on the same thread is one report
			}
		}
		long logged = stderrLines().stream().filter(ChildServer::namesOutOfMemory).count();
		if (logged > 0) {
			reports.add(logged + " stderr lines name OutOfMemoryError");
		}
		Integer status = exitStatus();
		if (status != null && status == OOM_EXIT_STATUS) {
			reports.add("exit status " + OOM_EXIT_STATUS);
		}
		return reports;
	}

	private static boolean isOutOfMemoryReport(String line) {
		return line.startsWith(AttackTargetServer.OOM + " ") || namesOutOfMemory(line);
	}

	private static boolean namesOutOfMemory(String line) {
		return line.contains("OutOfMemoryError") || line.contains("OutOfDirectMemoryError");
	}

	/** When the child printed the first sign of an OOM ({@link System#nanoTime()}), or 0 if it did not. */
	long firstOutOfMemoryNanos() {
		return this.firstOutOfMemoryNanos;
	}

	/** Live heap after two full collections, and the direct memory Netty's allocator holds. */
	Memory memory() {
		String answer = ask("heap", "HEAP ");
		String[] parts = answer.split(" ");
		return new Memory(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
	}

	/** Connections, calls in flight, stream replies produced and transport events, as the child counts them. */
	Status status() {
		String answer = ask("status", "STATUS ");
		Matcher matcher = STATUS.matcher(answer);
		if (!matcher.matches()) {
			throw new IllegalStateException("unexpected status line: " + answer);
		}
		return new Status(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
				Long.parseLong(matcher.group(3)), Integer.parseInt(matcher.group(4)), counts(matcher.group(5)),
				counts(matcher.group(6)));
	}

	private static Map<String, Long> counts(String text) {
		Map<String, Long> counts = new TreeMap<>();
		for (String entry : text.split(", ")) {
			if (!entry.isEmpty()) {
				String[] pair = entry.split("=", 2);
				counts.put(pair[0], Long.parseLong(pair[1]));
			}
		}
		return counts;
	}

	private synchronized String ask(String command, String answerPrefix) {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("child server is not running: " + describe());
		}
		this.answers.clear();
		try {
			this.commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
			this.commands.flush();
			long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
			while (true) {
				String answer = this.answers.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (answer == null) {
					throw new IllegalStateException("no answer to '" + command + "' within " + COMMAND_TIMEOUT + ": "
							+ describe());
				}
				if (answer.startsWith(answerPrefix)) {
					return answer;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("child server is not listening to commands: " + describe(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private List<String> stderrLines() {
		try {
			return Files.exists(this.stderr) ? Files.readAllLines(this.stderr, StandardCharsets.UTF_8) : List.of();
		}
		catch (IOException ex) {
			return List.of("(could not read " + this.stderr + ": " + ex + ")");
		}
	}

	/** Alive or exit status, and the last lines of stdout and stderr. */
	String describe() {
		List<String> err = stderrLines();
		return (this.process.isAlive() ? "running" : "exited with " + this.process.exitValue()) + "; stdout tail "
				+ tail(output(), 10) + "; stderr tail " + tail(err, 20);
	}

	private List<String> output() {
		synchronized (this.output) {
			return List.copyOf(this.output);
		}
	}

	private static List<String> tail(List<String> lines, int count) {
		return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
	}

	@Override
	public void close() {
		try {
			if (this.process.isAlive()) {
				this.commands.write("stop\n".getBytes(StandardCharsets.UTF_8));
				this.commands.flush();
				this.process.waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (IOException ex) {
			// it went away on its own
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			try {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * @param heap bytes of heap in use after two full collections
	 * @param direct bytes of direct memory in use by Netty's default allocator ({@code -1} if it does not say)
	 */
	record Memory(long heap, long direct) {

		@Override
		public String toString() {
			return "heap " + mib(this.heap) + ", direct " + mib(this.direct);
		}

		static String mib(long bytes) {
			return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
		}

	}

	/**
	 * @param connections open connections
	 * @param inFlight calls awaiting their final reply
	 * @param streamed stream replies {@code Flood} handed to the transport since the start
	 * @param handlerThreads live handler threads
	 * @param limits {@code limitExceeded} events by limit
	 * @param protocolErrors {@code protocolError} events by kind
	 */
	record Status(int connections, int inFlight, long streamed, int handlerThreads, Map<String, Long> limits,
			Map<String, Long> protocolErrors) {
	}

}
