package dev.peergate.unix;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;
import dev.peergate.unix.peer.PeerInspector;
import io.netty.channel.unix.DomainSocketChannel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Which connections a Unix listener takes, over real sockets (the attacks by another user: HostileConnectionsTests). */
@Timeout(30)
class UnixListenerAdmissionTests {

	@TempDir
	Path dir;

	@BeforeAll
	static void linuxOnly() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	@Test
	void aRefusedConnectionGivesItsSlotBackAtItsVerdict() throws Exception {
		UnixListenerOptions options = UnixListenerOptions.defaults(this.dir.resolve("s.sock")).withMaxConnections(2);
		PeerRequirement nobodyElse = ListenerFixture.uidIs(LinuxAssumptions.currentUid() + 1);
		List<VarlinkTestClient> refused = new ArrayList<>();
		try (ListenerFixture fixture = new ListenerFixture(options, nobodyElse, Duration.ofSeconds(5))) {
			for (int i = 1; i <= 4; i++) { // twice max-connections, each held open through its grace
				refused.add(fixture.connect());
				int verdicts = i;
				await().until(() -> fixture.verdicts.size() == verdicts);
			}
			assertThat(fixture.verdicts).allSatisfy(
					verdict -> assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED));
			assertThat(fixture.events).doesNotContain("limit:max-connections");
		}
		finally {
			refused.forEach(VarlinkTestClient::close);
		}
	}

	@Test
	void refusesConnectionsBeyondMaxVerifyingAndServesTheOthersOnceTheirVerdictsCome() throws Exception {
		CountDownLatch verifications = new CountDownLatch(1);
		UnixListenerOptions options = UnixListenerOptions.defaults(this.dir.resolve("s.sock")).withMaxVerifying(2);
		try (ListenerFixture fixture = new ListenerFixture(options, PeerRequirement.anyPeer(), Duration.ofSeconds(5),
				heldUntil(verifications)); VarlinkTestClient first = fixture.connect();
				VarlinkTestClient second = fixture.connect()) {
			Thread.sleep(200); // both are now awaiting their verdicts
			try (VarlinkTestClient third = fixture.connect()) {
				assertThat(third.awaitClosed(Duration.ofSeconds(5))).isTrue();
			}
			assertThat(fixture.events).containsExactly("limit:max-verifying");
			verifications.countDown();
			// the refusal is reported on a verification thread, after the two it waited behind
			await().until(() -> fixture.verdicts.stream()
				.anyMatch(verdict -> verdict.reason() == Reason.LIMIT_EXCEEDED
						&& verdict.explanation().contains("max-verifying")));
			ListenerFixture.assertEchoes(first, "verified at last");
			ListenerFixture.assertEchoes(second, "me too");
			fixture.assertServesWellBehavedClient();
		}
	}

	/** The real inspector, whose verifications wait for the latch (on the verification threads). */
	private static PeerInspector heldUntil(CountDownLatch latch) {
		PeerInspector real = new LinuxPeerInspector(new ExecutableDigests(4));
		return new PeerInspector() {

			@Override
			public Mechanism mechanism() {
				return real.mechanism();
			}

			@Override
			public Connector connector(DomainSocketChannel channel) throws IOException {
				return real.connector(channel);
			}

			@Override
			public PeerCapture capture(DomainSocketChannel channel) throws IOException {
				PeerCapture capture = real.capture(channel);
				return new PeerCapture() {

					@Override
					public long pidHint() {
						return capture.pidHint();
					}

					@Override
					public long uid() {
						return capture.uid();
					}

					@Override
					public PeerCredentials verify() {
						try {
							latch.await(20, TimeUnit.SECONDS);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
						return capture.verify();
					}

					@Override
					public @Nullable PeerCredentials verifyWithoutBlocking() {
						return null; // always to the verification threads, where the latch holds it
					}

					@Override
					public void close() {
						capture.close();
					}

				};
			}

		};
	}

}
