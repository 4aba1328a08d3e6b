package dev.peergate.unix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.handler.HandlerLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks by another user ({@code nobody}, a real process under {@code setpriv}) on the connection slots and the
 * handler threads, each while a well-behaved client of ours calls every 20 ms on a kept connection and on a new
 * connection per call ({@link Bystander#measuring}): every one of its calls must be answered, with a p99 within
 * {@value Bystander#ATTACK_P99_FACTOR}× that of the quiet time before the attack.
 */
@Timeout(60)
class HostileConnectionsTests {

	@TempDir
	Path dir;

	@Test
	void refusedUserReconnectingInALoopDoesNotLockOutAllowedUsers() throws Exception {
		LinuxAssumptions.assumeRoot();
		Path socket = this.dir.resolve("s.sock");
		socketReachableByOthers();
		try (ListenerFixture fixture = new ListenerFixture(UnixListenerOptions.defaults(socket).withMode("0666"),
				ListenerFixture.uidIs(0), Duration.ofSeconds(10));
				Bystander bystander = warmedUpThenQuiet(socket, "reconnect", 32)) {
			HostilePeer reconnecting = HostilePeer.start(socket, "reconnect", 32, Duration.ofSeconds(6));
			HostilePeer holding = HostilePeer.start(socket, "hold", 300, Duration.ofSeconds(6));
			Map<String, Integer> reconnected = reconnecting.await();
			Map<String, Integer> held = holding.await();
			assertServedWithinItsQuietP99(bystander);
			assertThat(reconnected.get("connects")).as("the attack ran").isGreaterThan(100);
			assertThat(held.get("closedByServer")).as("held connections were closed").isGreaterThan(0);
			assertThat(fixture.events).contains("limit:max-connections-per-uid");
			assertThat(fixture.verdicts).anySatisfy(verdict -> {
				assertThat(verdict.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
				assertThat(verdict.peer().uid()).isEqualTo(HostilePeer.NOBODY);
				assertThat(verdict.explanation()).contains("max-connections-per-uid");
			});
		}
	}

	@Test
	void tricklingPeersAreClosedAtTheFrameTimeoutAndDoNotHoldSlots() throws Exception {
		LinuxAssumptions.assumeRoot();
		Path socket = this.dir.resolve("s.sock");
		socketReachableByOthers();
		UnixListenerOptions options = UnixListenerOptions.defaults(socket)
			.withMode("0666")
			.withFrameTimeout(Duration.ofSeconds(1));
		try (ListenerFixture fixture = new ListenerFixture(options, PeerRequirement.anyPeer(), Duration.ofSeconds(10));
				Bystander bystander = warmedUpThenQuiet(socket, "trickle", 64)) {
			// as many trickling connections as one user may open (max-connections-per-uid), each sending a byte
			// every 200 ms and never finishing its message; the 300-connection storm of a refused user is the
			// first test's
			Map<String, Integer> trickled = HostilePeer.start(socket, "trickle", 64, Duration.ofSeconds(5)).await();
			assertServedWithinItsQuietP99(bystander);
			// closed at the frame timeout of 1 s and opened again: about four times each in 5 s
			assertThat(trickled.get("closedByServer")).as("trickling connections closed").isGreaterThanOrEqualTo(128);
			assertThat(fixture.events).contains("limit:frame-timeout").doesNotContain("limit:idle-timeout");
		}
	}

	@Test
	void anAllowedUserCannotHoldEveryHandlerThreadWithOnewayStreams() throws Exception {
		LinuxAssumptions.assumeRoot();
		Path socket = this.dir.resolve("s.sock");
		socketReachableByOthers();
		// 16 handler threads; one user may hold 4 of them, a oneway call at most the 10 s timeout
		HandlerLimits limits = new HandlerLimits(Duration.ofSeconds(10), Duration.ofMinutes(1), 4);
		try (ListenerFixture fixture = new ListenerFixture(UnixListenerOptions.defaults(socket).withMode("0666"),
				PeerRequirement.anyPeer(), limits, null);
				Bystander bystander = warmedUpThenQuiet(socket, "oneway", 1)) {
			// 4 connections x 16 oneway streams that would each run for over an hour, refilled as they end: 64 calls
			// for 16 threads, for longer than the bystander waits for a reply (10 s)
			HostilePeer.start(socket, "oneway", 4, Duration.ofSeconds(12)).await();
			assertServedWithinItsQuietP99(bystander);
		}
	}

	/** The attackers are another user: the test directory and the socket must be reachable for them. */
	private void socketReachableByOthers() throws Exception {
		java.nio.file.Files.setPosixFilePermissions(this.dir,
				java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	/**
	 * A bystander calling every 20 ms on a kept and on a new connection, measured in quiet for 2 s before the attack.
	 * First the server warms up under a 3 s run of the same attack: a helper that runs for days has compiled its
	 * refusal paths, and the JIT compiler of a cold JVM would otherwise take one of the two cores for seconds.
	 */
	private static Bystander warmedUpThenQuiet(Path socket, String mode, int connections) throws Exception {
		Bystander bystander = Bystander.measuring(socket);
		HostilePeer.start(socket, mode, connections, Duration.ofSeconds(3)).await();
		Thread.sleep(2000); // what the warm-up left behind ends: grace periods, timeouts
		bystander.beginWindow("quiet");
		Thread.sleep(2000);
		bystander.beginWindow("attack");
		return bystander;
	}

	/** Every call during the attack answered, the p99 within its bound of the quiet one. */
	private static void assertServedWithinItsQuietP99(Bystander bystander) {
		bystander.beginWindow("after");
		Bystander.Stats quiet = bystander.stats("quiet");
		Bystander.Stats attack = bystander.stats("attack");
		System.out.println("bystander " + quiet + "; " + attack);
		assertThat(attack.failures()).as("bystander calls that failed, first: %s", attack.firstFailure()).isZero();
		assertThat(attack.answered()).isGreaterThan(100);
		assertThat(attack.p99()).as("p99 during the attack (quiet %s)", quiet.p99())
			.isLessThanOrEqualTo(Bystander.allowedP99(quiet));
	}

}
