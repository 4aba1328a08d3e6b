package dev.peergate.unix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that send the largest messages allowed, as fast as they are answered (issue 10, attack 7): parsing them
 * must not hold up the small calls of everybody else. The server runs in a child JVM ({@link ChildServer}); a
 * {@link Bystander} calls every 20 ms on a kept and on a new connection and must be answered within
 * {@value Bystander#ATTACK_P99_FACTOR}× its quiet p99.
 */
@Timeout(value = 55, unit = TimeUnit.SECONDS)
class LargeFramesAttackTests {

	private static final int ATTACKERS = 4;

	@TempDir
	Path dir;

	@BeforeAll
	static void linuxOnly() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	@Test
	void messagesOfAMegabyteDoNotHoldUpOtherPeersCalls() throws Exception {
		try (ChildServer server = ChildServer.start(this.dir)) {
			try (Bystander bystander = Bystander.measuring(server.socket())) {
				Thread.sleep(3000);
				bystander.beginWindow("quiet");
				Thread.sleep(3000);
				bystander.beginWindow("attack");
				AtomicInteger sent = new AtomicInteger();
				AtomicReference<Throwable> attackerFailure = new AtomicReference<>();
				List<Thread> attackers = new ArrayList<>();
				long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				// just under 1 MiB: a valid message to a method that does not exist, parsed whole before it is found
				byte[] call = ("{\"method\":\"dev.peergate.test.Nothing\",\"parameters\":{\"padding\":\""
						+ "x".repeat(1024 * 1024 - 100) + "\"}}\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
				// encoded once: the attackers share the machine with the bystander, and only the server's work counts
				for (int i = 0; i < ATTACKERS; i++) {
					Thread attacker = new Thread(() -> {
						try (VarlinkTestClient client = VarlinkTestClient.connect(server.socket())) {
							while (System.nanoTime() < end) {
								client.sendRaw(call);
								assertThat(client.readReply(Duration.ofSeconds(10))).containsKey("error");
								sent.incrementAndGet();
							}
						}
						catch (Throwable ex) {
							attackerFailure.compareAndSet(null, ex);
						}
					}, "attacker-" + i);
					attacker.start();
					attackers.add(attacker);
				}
				for (Thread attacker : attackers) {
					attacker.join(30_000);
				}
				bystander.beginWindow("after");
				Bystander.Stats quiet = bystander.stats("quiet");
				Bystander.Stats attack = bystander.stats("attack");
				System.out.println("large frames: " + sent.get() + " sent; bystander quiet " + quiet + ", attack " + attack);
				assertThat(attackerFailure.get()).as("the attackers were answered").isNull();
				assertThat(sent.get()).as("messages of a megabyte parsed").isGreaterThan(20);
				assertThat(attack.failures()).as("bystander failures: %s", attack.firstFailure()).isZero();
				assertThat(attack.p99()).as("p99 under attack (quiet %s)", quiet.p99())
					.isLessThanOrEqualTo(Bystander.allowedP99(quiet));
			}
		}
	}

}
