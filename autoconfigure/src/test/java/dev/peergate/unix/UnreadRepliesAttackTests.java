package dev.peergate.unix;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that call and never read their replies (issue 10, attack 2) must not be able to fill the server's memory,
 * nor slow down anybody else. Each test runs the server in a child JVM limited to 64 MiB of heap and 64 MiB of
 * direct memory ({@link ChildServer}), attacks it for 15 s while a {@link Bystander} calls every 20 ms on a kept
 * and on a new connection, and requires:
 * <ul>
 * <li>no {@link OutOfMemoryError} and the server still running;</li>
 * <li>live heap after GC and Netty's direct memory each below {@value #LIVE_MEMORY_BOUND_MIB} MiB, half of what
 * the child may use: an idle server needs about 10 MiB of heap, so the bound leaves room for a per-connection
 * reply cap of a few hundred KiB times the attackers, and none for the tens of MiB per second the attack
 * produced;</li>
 * <li>every bystander call answered within its 5 s deadline, with a p99 at most
 * {@value Bystander#ATTACK_P99_FACTOR}× that of the 3 s before the attack (see {@link Bystander#allowedP99});</li>
 * <li>the attacker paused (the server stopped producing replies for it, or stopped reading it) or disconnected
 * (counted as limit {@code reply-buffer});</li>
 * <li>once the attackers leave, a new client is served and the live heap returns to within
 * {@value #RECOVERED_SLACK_MIB} MiB of its value before the attack.</li>
 * </ul>
 * Measured numbers are printed to the test's output (surefire's {@code -output.txt}).
 */
@Timeout(value = 55, unit = TimeUnit.SECONDS)
class UnreadRepliesAttackTests {

	/** Calls to a JVM that just started measure its JIT, not its quiet time. */
	private static final Duration WARM_UP = Duration.ofSeconds(3);

	private static final Duration QUIET = Duration.ofSeconds(3);

	private static final Duration ATTACK = Duration.ofSeconds(15);

	/** The last stretch of the attack, over which the attacker must have made no progress to count as paused. */
	private static final Duration PAUSE_PROBE = Duration.ofSeconds(2);

	private static final long LIVE_MEMORY_BOUND_MIB = ChildServer.MAX_MEMORY_MIB / 2;

	private static final long RECOVERED_SLACK_MIB = 8;

	/** Stream replies the server may still produce in {@link #PAUSE_PROBE} while counting as paused (~100 KB). */
	private static final long PAUSED_STREAM_REPLIES = 1_000;

	private static final int STREAMING_ATTACKERS = 8;

	/** Every call an attacker may have in flight (the default {@code max-in-flight}). */
	private static final int STREAMS_PER_ATTACKER = 16;

	private static final int PIPELINED_CALLS = 300_000;

	@TempDir
	Path dir;

	@BeforeAll
	static void linuxOnly() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	@Test
	void streamsToPeersThatNeverReadNeitherExhaustTheServerNorSlowDownOthers() throws Exception {
		withBystanderUnderAttack(
				(server) -> StreamingAttack.start(server, STREAMING_ATTACKERS, STREAMS_PER_ATTACKER));
	}

	@Test
	void pipelinedCallsWhoseRepliesNobodyReadsNeitherExhaustTheServerNorSlowDownOthers() throws Exception {
		withBystanderUnderAttack((server) -> PipeliningAttack.start(server.socket(), PIPELINED_CALLS, ATTACK));
	}

	/**
	 * Starts a child server and a bystander, lets the bystander warm up and measure quiet, attacks for
	 * {@link #ATTACK}, probes whether the attacker still makes progress over its last {@link #PAUSE_PROBE},
	 * measures memory, lets the attacker go and asserts on all of it ({@link Observation#assertAll}).
	 */
	private void withBystanderUnderAttack(AttackStarter starter) throws Exception {
		try (ChildServer server = ChildServer.start(this.dir)) {
			ChildServer.Memory baseline = server.memory();
			try (Bystander bystander = Bystander.measuring(server.socket())) {
				Thread.sleep(WARM_UP.toMillis());
				bystander.beginWindow("quiet");
				Thread.sleep(QUIET.toMillis());
				bystander.beginWindow("attack");
				Observation observation = new Observation(server, baseline);
				try (Attack attack = starter.start(server)) {
					Thread.sleep(ATTACK.minus(PAUSE_PROBE).toMillis());
					long before = attack.progress(observation);
					Thread.sleep(PAUSE_PROBE.toMillis());
					long after = attack.progress(observation);
					bystander.beginWindow("measuring"); // the heap command's collections pause the server
					ChildServer.Status status = observation.status();
					observation.underAttack = observation.memory();
					observation.attackerPaused = attack.paused(before, after);
					observation.attackerClosed = attack.disconnected()
							|| (status != null && status.limits().containsKey("reply-buffer"));
					observation.attackerProgress = attack.describe(before, after);
				}
				bystander.beginWindow("after");
				observation.assertAll(bystander);
			}
		}
	}

	@FunctionalInterface
	private interface AttackStarter {

		Attack start(ChildServer server) throws Exception;

	}

	/** Peers that call and do not read. */
	private interface Attack extends AutoCloseable {

		/** A count that grows while the server still works for the attacker ({@code -1} if unknown). */
		long progress(Observation observation);

		/** Whether the attacker made no progress between the two counts although it still wanted to. */
		boolean paused(long before, long after);

		/** Whether the attacker saw the server close the connection. */
		boolean disconnected();

		String describe(long before, long after);

	}

	/** What the test saw of the server during and after an attack, and the assertions on it. */
	private static final class Observation {

		private final ChildServer server;

		private final ChildServer.Memory baseline;

		private final List<String> unanswered = new ArrayList<>();

		ChildServer.Memory underAttack;

		boolean attackerPaused;

		boolean attackerClosed;

		String attackerProgress;

		private final long attackStartNanos = System.nanoTime();

		Observation(ChildServer server, ChildServer.Memory baseline) {
			this.server = server;
			this.baseline = baseline;
		}

		/** The child's status, or {@code null} (noted) if it cannot tell any more. */
		ChildServer.Status status() {
			return ask("status", this.server::status);
		}

		/** The child's memory, or {@code null} (noted) if it cannot tell any more. */
		ChildServer.Memory memory() {
			return ask("heap", this.server::memory);
		}

		private <T> T ask(String command, Supplier<T> answer) {
			try {
				return answer.get();
			}
			catch (RuntimeException ex) {
				this.unanswered.add(command + ": " + ex.getMessage());
				return null;
			}
		}

		void assertAll(Bystander bystander) throws InterruptedException {
			ChildServer.Memory recovered = awaitRecovered();
			boolean servedAfterwards = servesNewClient();
			Bystander.Stats quiet = bystander.stats("quiet");
			Bystander.Stats attack = bystander.stats("attack");
			Bystander.Stats after = bystander.stats("after");
			ChildServer.Status status = this.server.isAlive() ? status() : null;
			long oom = this.server.firstOutOfMemoryNanos();
			System.out.println("baseline " + this.baseline + "; under attack " + this.underAttack + "; afterwards "
					+ recovered + "; attacker: " + this.attackerProgress + ", paused " + this.attackerPaused
					+ ", closed " + this.attackerClosed + "; OOM " + this.server.outOfMemoryReports()
					+ ((oom != 0) ? String.format(" %.1f s into the attack", (oom - this.attackStartNanos) / 1e9) : "")
					+ "; status " + status + "\nbystander " + quiet + "\n  " + attack + "\n  " + after
					+ "\n  allowed attack p99 " + Bystander.allowedP99(quiet));
			for (String window : List.of("quiet", "attack", "after")) {
				System.out.println("  " + bystander.stats(window, Bystander.KEPT) + "\n  "
						+ bystander.stats(window, Bystander.FRESH));
			}
			long bound = LIVE_MEMORY_BOUND_MIB * 1024 * 1024;
			SoftAssertions softly = new SoftAssertions();
			softly.assertThat(this.server.outOfMemoryReports()).as("OutOfMemoryError in the server").isEmpty();
			softly.assertThat(this.server.isAlive()).as("server running; " + this.server.describe()).isTrue();
			softly.assertThat(this.unanswered).as("server commands unanswered").isEmpty();
			softly.assertThat(attack.failures()).as("bystander calls failed during the attack: " + attack).isZero();
			softly.assertThat(attack.p99())
				.as("bystander p99 during the attack: " + attack + " vs " + quiet)
				.isLessThanOrEqualTo(Bystander.allowedP99(quiet));
			if (this.underAttack != null) {
				softly.assertThat(this.underAttack.heap()).as("live heap under attack: " + this.underAttack)
					.isLessThan(bound);
				softly.assertThat(this.underAttack.direct()).as("direct memory under attack: " + this.underAttack)
					.isLessThan(bound);
			}
			softly.assertThat(this.attackerPaused || this.attackerClosed)
				.as("attacker paused or disconnected: " + this.attackerProgress)
				.isTrue();
			softly.assertThat(servedAfterwards).as("a new client is served after the attack").isTrue();
			softly.assertThat(after.failures()).as("bystander calls failed after the attack: " + after).isZero();
			if (recovered != null) {
				softly.assertThat(recovered.heap())
					.as("live heap after the attack, " + recovered + ", vs before, " + this.baseline)
					.isLessThanOrEqualTo(this.baseline.heap() + RECOVERED_SLACK_MIB * 1024 * 1024);
			}
			softly.assertAll();
		}

		/** The live heap once back near the baseline, or the last one measured within 10 s. */
		private ChildServer.Memory awaitRecovered() throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			ChildServer.Memory last = null;
			while (this.server.isAlive() && System.nanoTime() < deadline) {
				last = memory();
				if (last == null || last.heap() <= this.baseline.heap() + RECOVERED_SLACK_MIB * 1024 * 1024) {
					return last;
				}
				Thread.sleep(500);
			}
			return last;
		}

		private boolean servesNewClient() {
			try (VarlinkTestClient client = VarlinkTestClient.connect(this.server.socket(), Duration.ofSeconds(5))) {
				Map<String, Object> reply = client.call("dev.peergate.test.Echo", Map.of("text", "after"),
						Duration.ofSeconds(5));
				return Map.of("text", "after").equals(reply.get("parameters"));
			}
			catch (RuntimeException ex) {
				this.unanswered.add("echo after the attack: " + ex);
				return false;
			}
		}

	}

	/** Connections that each start as many endless streams as they may, then never read. */
	private static final class StreamingAttack implements Attack {

		private final List<VarlinkTestClient> connections = new ArrayList<>();

		private final ChildServer server;

		private StreamingAttack(ChildServer server) {
			this.server = server;
		}

		static StreamingAttack start(ChildServer server, int connections, int streams) {
			StreamingAttack attack = new StreamingAttack(server);
			try {
				for (int i = 0; i < connections; i++) {
					VarlinkTestClient connection = VarlinkTestClient.connect(server.socket(), Duration.ofSeconds(5));
					attack.connections.add(connection);
					for (int j = 0; j < streams; j++) {
						connection.send(Map.of("method", "dev.peergate.attack.Flood", "parameters", Map.of(), "more",
								true));
					}
				}
				return attack;
			}
			catch (RuntimeException ex) {
				attack.close();
				throw ex;
			}
		}

		/** Stream replies the server produced so far. */
		@Override
		public long progress(Observation observation) {
			ChildServer.Status status = observation.status();
			return (status != null) ? status.streamed() : -1;
		}

		@Override
		public boolean paused(long before, long after) {
			return before >= 0 && after >= 0 && after - before <= PAUSED_STREAM_REPLIES;
		}

		@Override
		public boolean disconnected() {
			return false; // it never reads, so it cannot tell; the server counts limit reply-buffer
		}

		@Override
		public String describe(long before, long after) {
			return (before < 0 || after < 0) ? "unknown (the server did not say)"
					: (after - before) + " stream replies produced in the last " + PAUSE_PROBE.toSeconds() + " s ("
							+ after + " in all)";
		}

		@Override
		public void close() {
			this.connections.forEach(VarlinkTestClient::close);
		}

	}

	/**
	 * One connection pipelining small calls for a page of reply each, never reading. A writer thread writes as much
	 * as the socket takes and retries while it takes nothing, so a server that stops reading (the defence) leaves it
	 * stalled rather than the test hung; it gives up at the deadline.
	 */
	private static final class PipeliningAttack implements Attack {

		private static final byte[] CALL = "{\"method\":\"dev.peergate.attack.Page\",\"parameters\":{}}\0"
			.getBytes(StandardCharsets.UTF_8);

		private final SocketChannel channel;

		private final Thread writer;

		private final int calls;

		private final AtomicLong bytesWritten = new AtomicLong();

		private final AtomicReference<IOException> writeFailure = new AtomicReference<>();

		private volatile boolean running = true;

		private PipeliningAttack(SocketChannel channel, int calls, Duration duration) {
			this.channel = channel;
			this.calls = calls;
			this.writer = new Thread(() -> write(calls, System.nanoTime() + duration.toNanos()), "pipelining-attacker");
			this.writer.setDaemon(true);
			this.writer.start();
		}

		static PipeliningAttack start(Path socket, int calls, Duration duration) throws IOException {
			SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
			channel.connect(UnixDomainSocketAddress.of(socket));
			channel.configureBlocking(false);
			return new PipeliningAttack(channel, calls, duration);
		}

		private void write(int calls, long deadline) {
			int perBatch = 1_000;
			ByteBuffer batch = ByteBuffer.allocate(CALL.length * perBatch);
			for (int i = 0; i < perBatch; i++) {
				batch.put(CALL);
			}
			long total = (long) calls * CALL.length;
			try {
				while (this.running && this.bytesWritten.get() < total && System.nanoTime() < deadline) {
					if (!batch.hasRemaining()) {
						batch.clear();
					}
					batch.limit((int) Math.min(batch.capacity(),
							batch.position() + (total - this.bytesWritten.get())));
					int written = this.channel.write(batch);
					this.bytesWritten.addAndGet(written);
					if (written == 0) {
						Thread.sleep(1); // the server is not reading: the socket buffer is full
					}
				}
			}
			catch (IOException ex) {
				this.writeFailure.set(ex); // the server closed the connection
			}
			catch (InterruptedException ex) {
				// closed by the test
			}
		}

		/** Calls written so far. */
		@Override
		public long progress(Observation observation) {
			return this.bytesWritten.get() / CALL.length;
		}

		/** Stopping to read is the defence, so the attacker's writes block: paused, not finished. */
		@Override
		public boolean paused(long before, long after) {
			return after == before && after < this.calls;
		}

		@Override
		public boolean disconnected() {
			return this.writeFailure.get() != null;
		}

		@Override
		public String describe(long before, long after) {
			IOException failure = this.writeFailure.get();
			return (after - before) + " calls written in the last " + PAUSE_PROBE.toSeconds() + " s (" + after + " of "
					+ this.calls + " in all" + ((failure != null) ? ", then " + failure : "") + ")";
		}

		@Override
		public void close() throws IOException, InterruptedException {
			this.running = false;
			this.writer.interrupt();
			this.writer.join(5_000);
			this.channel.close();
		}

	}

}
