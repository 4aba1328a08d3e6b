package dev.peergate.unix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.handler.HandlerLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the connection slots by another user ({@code nobody}, a real process under {@code setpriv}), each
 * while a well-behaved client of ours calls on a kept connection and on a new connection per call: every one of
 * its calls must be answered.
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
				ListenerFixture.uidIs(0), Duration.ofSeconds(10)); Bystander kept = new Bystander(fixture);
				FreshConnections fresh = new FreshConnections(fixture)) {
			HostilePeer reconnecting = HostilePeer.start(socket, "reconnect", 32, Duration.ofSeconds(6));
			HostilePeer holding = HostilePeer.start(socket, "hold", 300, Duration.ofSeconds(6));
			Map<String, Integer> reconnected = reconnecting.await();
			Map<String, Integer> held = holding.await();
			kept.assertServedThroughout();
			fresh.assertServedThroughout();
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
				Bystander kept = new Bystander(fixture); FreshConnections fresh = new FreshConnections(fixture)) {
			// more connections than the listener has slots, each trickling a byte every 200 ms: the user gets its
			// share of them (max-connections-per-uid), each for the frame timeout
			Map<String, Integer> trickled = HostilePeer.start(socket, "trickle", 300, Duration.ofSeconds(5)).await();
			kept.assertServedThroughout();
			fresh.assertServedThroughout();
			assertThat(trickled.get("closedByServer")).as("trickling connections closed").isGreaterThanOrEqualTo(64);
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
				PeerRequirement.anyPeer(), limits, null); Bystander kept = new Bystander(fixture);
				FreshConnections fresh = new FreshConnections(fixture)) {
			// 4 connections x 16 oneway streams that would each run for over an hour, refilled as they end: 64 calls
			// for 16 threads, for longer than the bystander waits for a reply (10 s)
			HostilePeer.start(socket, "oneway", 4, Duration.ofSeconds(12)).await();
			kept.assertServedThroughout();
			fresh.assertServedThroughout();
		}
	}

	/** The attackers are another user: the test directory and the socket must be reachable for them. */
	private void socketReachableByOthers() throws Exception {
		java.nio.file.Files.setPosixFilePermissions(this.dir,
				java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	/** Calls Echo on a new connection every 20 ms; every call must be answered. */
	static final class FreshConnections implements AutoCloseable {

		private final ListenerFixture fixture;

		private final Thread thread;

		private final AtomicInteger answered = new AtomicInteger();

		private final List<String> failures = new ArrayList<>();

		private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

		private volatile boolean running = true;

		FreshConnections(ListenerFixture fixture) {
			this.fixture = fixture;
			this.thread = new Thread(this::run, "bystander-fresh");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void run() {
			for (int i = 0; this.running; i++) {
				try (VarlinkTestClient client = this.fixture.connect()) {
					ListenerFixture.assertEchoes(client, "fresh " + i);
					this.answered.incrementAndGet();
				}
				catch (Throwable ex) {
					synchronized (this.failures) {
						this.failures.add(ex.toString());
					}
					this.firstFailure.compareAndSet(null, ex);
				}
				try {
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		void assertServedThroughout() throws InterruptedException {
			this.running = false;
			this.thread.join(15_000);
			synchronized (this.failures) {
				assertThat(this.failures).as("calls on new connections that failed, first: %s", this.firstFailure.get())
					.isEmpty();
			}
			assertThat(this.answered.get()).isGreaterThan(10);
		}

		@Override
		public void close() {
			this.running = false;
			this.thread.interrupt();
		}

	}

}
