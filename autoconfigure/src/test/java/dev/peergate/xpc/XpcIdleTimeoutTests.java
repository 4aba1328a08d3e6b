package dev.peergate.xpc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.XpcClient;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * XPC peer connections have an idle timeout, as Unix connections do: one without a message and without a call in
 * flight for {@code idle-timeout} is cancelled and counted; one with a call in flight, or one that keeps calling,
 * is not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XpcIdleTimeoutTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	@Test
	void cancelsAConnectionIdleForTheTimeoutAndKeepsOnesThatCallOrWait() throws Exception {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			XpcListener listener = fixture.listen(XpcListenerOptions.of("helper", fixture.service, TEAM)
				.withIdleTimeout(Duration.ofMillis(400)));
			try (XpcClient idle = fixture.client(SimPeer.teamCli().withPid(31001));
					XpcClient waiting = fixture.client(SimPeer.teamCli().withPid(31002))) {
				assertThat(idle.call("com.example.helper.Echo", Map.of("text", "once"))).containsEntry("text", "once");
				CompletableFuture<Map<String, Object>> slow = waiting.callAsync("com.example.helper.Slow",
						Map.of("text", "held"), false);
				assertThat(fixture.helper.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
				await().atMost(Duration.ofSeconds(10)).until(() -> fixture.limits.contains("helper/idle-timeout"));
				try (XpcClient busy = fixture.client(SimPeer.teamCli().withPid(31003))) {
					long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
					while (System.nanoTime() < deadline) { // calls every 100 ms: never idle for 400 ms
						assertThat(busy.call("com.example.helper.Echo", Map.of("text", "busy"))).containsEntry("text",
								"busy");
						Thread.sleep(100);
					}
					// only the idle connection was cancelled: the waiting and the busy one are open
					assertThat(fixture.limits).containsExactly("helper/idle-timeout");
					assertThat(listener.activeConnections()).isEqualTo(2);
				}
				fixture.helper.release.countDown();
				assertThat(slow.get(10, TimeUnit.SECONDS)).containsEntry("text", "held");
			}
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void refusesANegativeTimeout() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> XpcListenerOptions.of("helper", "com.example.helper", TEAM)
				.withIdleTimeout(Duration.ofSeconds(-1)));
	}

}
