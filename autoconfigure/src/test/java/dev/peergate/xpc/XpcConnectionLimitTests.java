package dev.peergate.xpc;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Reason;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code limits.max-connections-per-uid} on XPC, as on Unix sockets: a uid's peer connection beyond its share is
 * cancelled before it starts, counted and reported, while another uid is served. Simulator only: it needs peers of
 * two users in one test, which only injected identities give ({@code max-connections} itself is specified on both
 * backends by {@link XpcListenerLimitTests}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XpcConnectionLimitTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	@Test
	void aUidBeyondItsShareOfConnectionsIsRefusedWhileAnotherUidIsServed() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(XpcListenerOptions.of("helper", fixture.service, TEAM).withMaxConnectionsPerUid(2));
			try (XpcClient first = fixture.client(SimPeer.teamCli().withPid(7501));
					XpcClient second = fixture.client(SimPeer.teamCli().withPid(7502))) {
				assertThat(first.call("com.example.helper.Echo", Map.of("text", "1"))).containsEntry("text", "1");
				assertThat(second.call("com.example.helper.Echo", Map.of("text", "2"))).containsEntry("text", "2");
				try (XpcClient third = fixture.client(SimPeer.teamCli().withPid(7503))) {
					assertThatThrownBy(() -> third.call("com.example.helper.Echo", Map.of("text", "3")))
						.isInstanceOf(dev.peergate.xpc.jna.XpcClientConnection.XpcErrorEventException.class);
				}
				SimPeer otherUser = new SimPeer(502, 20, 7504, "com.example.cli", "ABCDE12345",
						"0123456789abcdef0123456789abcdef01234567", "ABCDE12345", "", false, true, 6);
				try (XpcClient other = fixture.client(otherUser)) {
					assertThat(other.call("com.example.helper.Echo", Map.of("text", "4"))).containsEntry("text", "4");
				}
				assertThat(fixture.limits).containsExactly("helper/max-connections-per-uid");
				await().until(() -> fixture.verdicts.stream().anyMatch((verdict) -> verdict.reason() == Reason.LIMIT_EXCEEDED));
				assertThat(fixture.verdicts).filteredOn((verdict) -> verdict.reason() == Reason.LIMIT_EXCEEDED)
					.singleElement()
					.satisfies((verdict) -> assertThat(verdict.explanation())
						.isEqualTo("uid 501 has 2 connections open (max-connections-per-uid)"));
			}
			// the uid's slots are given back when its connections end
			await().until(() -> fixture.listener.activeConnections() == 0);
			try (XpcClient again = fixture.client(SimPeer.teamCli().withPid(7505))) {
				assertThat(again.call("com.example.helper.Echo", Map.of("text", "5"))).containsEntry("text", "5");
			}
			fixture.listener.stop(java.time.Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

}
