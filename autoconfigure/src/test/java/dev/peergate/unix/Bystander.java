package dev.peergate.unix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A well-behaved client calling Echo in a loop while a test attacks the listener; every call must be answered.
 * <p>
 * {@link #Bystander(ListenerFixture)} calls on one kept connection every 50 ms (its calls keep the connection from
 * idling out). {@link #measuring(Path)} behaves like the client of the issue it reproduces: every 20 ms on a kept
 * connection and, on a second thread, on a new connection per call, recording each call's latency in named
 * windows ({@link #beginWindow(String)}), so that a test can compare the attack with the quiet time before it:
 *
 * <pre>{@code
 * try (Bystander bystander = Bystander.measuring(socket)) {  // window "warm-up"
 *     Thread.sleep(2000);
 *     bystander.beginWindow("quiet");
 *     Thread.sleep(3000);
 *     bystander.beginWindow("attack");
 *     // attack ...
 *     bystander.beginWindow("after");
 *     Bystander.Stats quiet = bystander.stats("quiet"), attack = bystander.stats("attack");
 *     assertThat(attack.failures()).isZero();
 *     assertThat(attack.p99()).isLessThanOrEqualTo(Bystander.allowedP99(quiet));
 * }
 * }</pre>
 *
 * Latency is measured from when a call was due, not from when it was sent: a call that waits 3 s delays the 150
 * calls due behind it, and they count as late rather than as never made (coordinated omission would otherwise
 * hide exactly the stalls an attack causes). A call not answered within the call timeout is a failure, and a kept
 * connection is replaced after any failure.
 */
final class Bystander implements AutoCloseable {

	/**
	 * The p99 an attack may always reach, however quiet the quiet window was. Without an attack, a child server on a
	 * shared two-core machine (load average 5 to 7 from other builds) measured a p99 anywhere from 7 to 78 ms per
	 * 3 s window and up to 93 ms per 15 s window: what varies is the machine, not the server; a fresh-clone CI run
	 * on the same two cores once measured 145 ms during an attack the server had withstood (no failed call). Five
	 * times 50 ms leaves that noise room and still fails what an attack does to bystanders: the unfixed listener
	 * answered its bystander with a p99 above 1 s, and failed most calls outright.
	 */
	static final Duration P99_FLOOR = Duration.ofMillis(50);

	/** How much slower the p99 may get during an attack than in quiet. */
	static final int ATTACK_P99_FACTOR = 5;

	/**
	 * The window calls are recorded in until the test begins another: the first calls to a fresh JVM run while its
	 * classes load and its JIT compiles, and are no measure of its quiet time.
	 */
	static final String WARM_UP = "warm-up";

	/** Calls on the one connection a bystander keeps. */
	static final String KEPT = "kept connection";

	/** Calls on a new connection each. */
	static final String FRESH = "new connection";

	private static final String ECHO = "dev.peergate.test.Echo";

	private final Path socket;

	private final Duration interval;

	private final Duration callTimeout;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicInteger answered = new AtomicInteger();

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	private final Map<String, Window> windows = new LinkedHashMap<>();

	private volatile Window window;

	private volatile boolean running = true;

	/** Set by {@link #close()}: what its interrupts break is not the server's failure. */
	private volatile boolean closing;

	/** The first kept connection, opened (and asserted to be served) before any thread starts. */
	private VarlinkTestClient firstKept;

	/** Calls Echo every 50 ms on one kept connection to the fixture's listener. */
	Bystander(ListenerFixture fixture) {
		this(fixture.socket, Duration.ofMillis(50), Duration.ofSeconds(10), false);
	}

	private Bystander(Path socket, Duration interval, Duration callTimeout, boolean freshConnections) {
		this.socket = socket;
		this.interval = interval;
		this.callTimeout = callTimeout;
		this.window = new Window(WARM_UP);
		this.windows.put(WARM_UP, this.window);
		this.firstKept = VarlinkTestClient.connect(socket, callTimeout);
		ListenerFixture.assertEchoes(this.firstKept, "hello");
		start("bystander", this::runKept);
		if (freshConnections) {
			start("bystander-fresh", this::runFresh);
		}
	}

	/**
	 * Calls Echo every 20 ms on a kept connection and every 20 ms on a new connection per call, each call allowed
	 * 5 s (a child server with a small heap may pause), recording latencies in the window {@value #WARM_UP} until the test begins another.
	 */
	static Bystander measuring(Path socket) {
		return new Bystander(socket, Duration.ofMillis(20), Duration.ofSeconds(5), true);
	}

	/** The p99 the attack window may reach: {@value #ATTACK_P99_FACTOR}× the quiet p99, at least of the floor. */
	static Duration allowedP99(Stats quiet) {
		Duration base = (quiet.p99().compareTo(P99_FLOOR) > 0) ? quiet.p99() : P99_FLOOR;
		return base.multipliedBy(ATTACK_P99_FACTOR);
	}

	private void start(String name, Runnable loop) {
		Thread thread = new Thread(loop, name);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	/** Records the calls due from now on under {@code name}. */
	void beginWindow(String name) {
		Window next = new Window(name);
		synchronized (this.windows) {
			this.windows.put(name, next);
		}
		this.window = next;
	}

	/** What the calls due in the named window saw so far, on both kinds of connection. */
	Stats stats(String name) {
		return stats(name, null);
	}

	/** What the calls due in the named window saw so far on {@link #KEPT} or {@link #FRESH} connections. */
	Stats stats(String name, String kind) {
		Window recorded;
		synchronized (this.windows) {
			recorded = this.windows.get(name);
		}
		if (recorded == null) {
			throw new IllegalArgumentException("no window " + name + ", only " + this.windows.keySet());
		}
		return recorded.stats(kind);
	}

	private void runKept() {
		VarlinkTestClient client = this.firstKept;
		this.firstKept = null;
		long due = System.nanoTime();
		for (int i = 0; this.running; i++) {
			Window current = this.window;
			try {
				if (client == null) {
					client = VarlinkTestClient.connect(this.socket, this.callTimeout);
				}
				echo(client, "kept " + i, due);
				current.answered(KEPT, System.nanoTime() - due);
			}
			catch (Throwable ex) {
				recordFailure(current, KEPT, ex);
				if (client != null) {
					client.close(); // a late reply would answer the next call
					client = null;
				}
			}
			due = waitUntilDue(due);
		}
		if (client != null) {
			client.close();
		}
	}

	private void runFresh() {
		long due = System.nanoTime();
		for (int i = 0; this.running; i++) {
			Window current = this.window;
			try (VarlinkTestClient client = VarlinkTestClient.connect(this.socket, this.callTimeout)) {
				echo(client, "fresh " + i, due);
				current.answered(FRESH, System.nanoTime() - due);
			}
			catch (Throwable ex) {
				recordFailure(current, FRESH, ex);
			}
			due = waitUntilDue(due);
		}
	}

	private void echo(VarlinkTestClient client, String text, long due) {
		Duration left = this.callTimeout.minusNanos(System.nanoTime() - due);
		Map<String, Object> reply = client.call(ECHO, Map.of("text", text),
				left.isNegative() ? Duration.ofMillis(1) : left);
		if (!Map.of("text", text).equals(reply.get("parameters"))) {
			throw new IllegalStateException("unexpected reply " + reply);
		}
		this.answered.incrementAndGet();
	}

	private void recordFailure(Window current, String kind, Throwable ex) {
		if (!this.closing) {
			current.failed(kind, ex);
			this.failure.compareAndSet(null, ex);
		}
	}

	/** The next due time; sleeps until then unless calls are late already. */
	private long waitUntilDue(long previousDue) {
		long due = previousDue + this.interval.toNanos();
		long wait = due - System.nanoTime();
		if (wait > 0) {
			try {
				Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
			}
			catch (InterruptedException ex) {
				this.running = false;
			}
		}
		return due;
	}

	/** Stops the loop and asserts that every call was answered and that some were made meanwhile. */
	void assertServedThroughout() throws InterruptedException {
		int before = this.answered.get();
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (this.answered.get() == before && this.failure.get() == null && System.nanoTime() < deadline) {
			Thread.sleep(10); // at least one more answered call after the attack
		}
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(this.callTimeout.toMillis() + 5_000);
		}
		assertThat(this.failure.get()).as("bystander failure").isNull();
		assertThat(this.answered.get()).isGreaterThan(before);
	}

	@Override
	public void close() {
		this.closing = true;
		this.running = false;
		for (Thread thread : this.threads) {
			thread.interrupt();
		}
		for (Thread thread : this.threads) {
			try {
				thread.join(this.callTimeout.toMillis() + 5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		VarlinkTestClient unused = this.firstKept;
		if (unused != null) {
			unused.close();
		}
	}

	/**
	 * @param window the window's name
	 * @param answered calls answered correctly
	 * @param failures calls that failed or were not answered within the call timeout
	 * @param firstFailure the first failure's connection kind and cause, or {@code null}
	 * @param p50 median latency of the answered calls
	 * @param p99 99th percentile latency of the answered calls (nearest rank)
	 * @param max longest answered call
	 */
	record Stats(String window, int answered, int failures, String firstFailure, Duration p50, Duration p99,
			Duration max) {

		@Override
		public String toString() {
			return this.window + ": " + this.answered + " answered, " + this.failures + " failed"
					+ ((this.firstFailure != null) ? " (first: " + this.firstFailure + ")" : "") + ", p50 "
					+ millis(this.p50) + ", p99 " + millis(this.p99) + ", max " + millis(this.max);
		}

		private static String millis(Duration duration) {
			return String.format("%.2f ms", duration.toNanos() / 1e6);
		}

	}

	/** The calls due during one named stretch of the test, by connection kind. */
	private static final class Window {

		private final String name;

		private final long startNanos = System.nanoTime();

		private final Map<String, long[]> latencies = new LinkedHashMap<>();

		private final Map<String, Integer> answered = new LinkedHashMap<>();

		private final Map<String, Integer> failures = new LinkedHashMap<>();

		private String firstFailure;

		Window(String name) {
			this.name = name;
		}

		synchronized void answered(String kind, long nanos) {
			int count = this.answered.getOrDefault(kind, 0);
			long[] recorded = this.latencies.computeIfAbsent(kind, (key) -> new long[1024]);
			if (count == recorded.length) {
				recorded = Arrays.copyOf(recorded, recorded.length * 2);
				this.latencies.put(kind, recorded);
			}
			recorded[count] = nanos;
			this.answered.put(kind, count + 1);
		}

		synchronized void failed(String kind, Throwable cause) {
			this.failures.merge(kind, 1, Integer::sum);
			if (this.firstFailure == null) {
				this.firstFailure = String.format("%s after %.1f s: %s", kind,
						(System.nanoTime() - this.startNanos) / 1e9, cause);
			}
		}

		/** Over both kinds of connection, or one ({@code null} for both). */
		synchronized Stats stats(String kind) {
			long[] sorted = new long[0];
			int answeredCalls = 0;
			int failedCalls = 0;
			for (String recordedKind : List.of(KEPT, FRESH)) {
				if (kind == null || kind.equals(recordedKind)) {
					int count = this.answered.getOrDefault(recordedKind, 0);
					long[] recorded = this.latencies.getOrDefault(recordedKind, new long[0]);
					int offset = sorted.length;
					sorted = Arrays.copyOf(sorted, offset + count);
					System.arraycopy(recorded, 0, sorted, offset, count);
					answeredCalls += count;
					failedCalls += this.failures.getOrDefault(recordedKind, 0);
				}
			}
			Arrays.sort(sorted);
			return new Stats((kind != null) ? this.name + " (" + kind + ")" : this.name, answeredCalls, failedCalls,
					this.firstFailure, percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0));
		}

		private static Duration percentile(long[] sorted, double fraction) {
			if (sorted.length == 0) {
				return Duration.ZERO;
			}
			int rank = (int) Math.ceil(fraction * sorted.length);
			return Duration.ofNanos(sorted[Math.max(0, rank - 1)]);
		}

	}

}
