package dev.peergate.xpc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.xpc.jna.XpcClientConnection.XpcErrorEventException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * XPC listeners take the limits of Unix ones, on the real libxpc on macOS and on the simulator elsewhere:
 * {@code max-connections} and {@code idle-timeout}. (The per-uid share needs peers of two users, which only the
 * simulator can present: {@link XpcConnectionLimitTests}.)
 */
@XpcSpecification
class XpcListenerLimitTests {

	@Test
	void refusesAPeerBeyondMaxConnectionsAndServesOneAgainOnceASlotIsFree(XpcBackendFixture fixture) {
		XpcListener listener = fixture.listen((options) -> options.withMaxConnections(1));
		try (XpcClient first = fixture.client()) {
			assertThat(first.call("com.example.helper.Echo", Map.of("text", "first"))).containsEntry("text", "first");
			try (XpcClient second = fixture.client()) {
				// cancelled before it started: no reply of any kind
				assertThatExceptionOfType(XpcErrorEventException.class)
					.isThrownBy(() -> second.call("com.example.helper.Echo", Map.of("text", "second")));
			}
			assertThat(fixture.limits).containsExactly("helper/max-connections");
			await().until(() -> fixture.verdicts.size() == 2);
			assertThat(fixture.verdicts.get(1)).satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
				assertThat(verdict.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
				assertThat(verdict.explanation()).isEqualTo("listener has 1 connections open (max-connections)");
			});
		}
		await().until(() -> listener.activeConnections() == 0);
		try (XpcClient third = fixture.client()) {
			assertThat(third.call("com.example.helper.Echo", Map.of("text", "third"))).containsEntry("text", "third");
		}
		fixture.stopWithoutLeaks();
	}

	@Test
	void cancelsAConnectionIdleForTheTimeoutAndKeepsOnesThatCallOrWait(XpcBackendFixture fixture) throws Exception {
		XpcListener listener = fixture.listen((options) -> options.withIdleTimeout(Duration.ofSeconds(1)));
		try (XpcClient idle = fixture.client(); XpcClient waiting = fixture.client()) {
			assertThat(idle.call("com.example.helper.Echo", Map.of("text", "once"))).containsEntry("text", "once");
			CompletableFuture<Map<String, Object>> slow = waiting.callAsync("com.example.helper.Slow",
					Map.of("text", "held"), false);
			assertThat(fixture.helper.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> fixture.limits.contains("helper/idle-timeout"));
			try (XpcClient busy = fixture.client()) {
				long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
				// calls every 100 ms: never idle for 1 s, even with a stall of most of a second on a busy machine
				while (System.nanoTime() < deadline) {
					assertThat(busy.call("com.example.helper.Echo", Map.of("text", "busy"))).containsEntry("text", "busy");
					Thread.sleep(100);
				}
				// only the idle connection was cancelled: the waiting and the busy one are open
				assertThat(fixture.limits).containsExactly("helper/idle-timeout");
				assertThat(listener.activeConnections()).isEqualTo(2);
			}
			fixture.helper.release.countDown();
			assertThat(slow.get(10, TimeUnit.SECONDS)).containsEntry("text", "held");
		}
		fixture.stopWithoutLeaks();
	}

	@Test
	void refusesANegativeIdleTimeout() {
		assertThatIllegalArgumentException().isThrownBy(() -> XpcListenerOptions
			.anonymous("helper", XpcRequirement.codeSigning("anchor apple")).withIdleTimeout(Duration.ofSeconds(-1)));
	}

}
