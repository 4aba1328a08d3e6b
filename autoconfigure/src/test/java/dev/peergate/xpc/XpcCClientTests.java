package dev.peergate.xpc;

import java.util.concurrent.TimeUnit;

import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.xpc.jna.XpcCClient;
import dev.peergate.xpc.jna.XpcCClient.Mode;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client in C that knows nothing of Peergate but the wire contract ({@code {method, parameters, more, id}} in,
 * {@code {parameters}} / {@code {error, parameters}} out, stream items {@code {parameters, continues: true, id}}),
 * using only libxpc's public API ({@code xpc_connection_create_mach_service}, dictionaries,
 * {@code xpc_connection_send_message_with_reply_sync}), calls the Java listener through the simulator.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XpcCClientTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	/** The C client's lines for one call, made as the peer, to a listener requiring the team. */
	private static String call(XpcFixture fixture, SimPeer peer, String method, String key, Object value,
			Mode mode) {
		fixture.listen(TEAM, Enforcement.OBSERVED);
		fixture.sim.nextPeer(peer);
		return XpcCClient.current().call(fixture.service, method, key, value, mode);
	}

	private static void stopWithoutLeaks(XpcFixture fixture) {
		fixture.listener.stop(java.time.Duration.ofSeconds(5));
		fixture.assertNoLeaks();
	}

	@Test
	void acceptedPeerGetsTheReply() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			String lines = call(fixture, SimPeer.teamCli().withPid(7301), "com.example.helper.Echo",
					"text", "from C", Mode.CALL);
			assertThat(lines).startsWith("reply {parameters: {")
				.contains("text: \"from C\"")
				.contains("caller: \"com.example.cli\"");
			assertThat(fixture.verdicts).singleElement()
				.satisfies((verdict) -> assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED));
			stopWithoutLeaks(fixture);
		}
	}

	@Test
	void refusedPeerGetsPermissionDenied() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			String lines = call(fixture, SimPeer.stranger().withPid(7302), "com.example.helper.Echo",
					"text", "from C", Mode.CALL);
			// the connection is cancelled after the reply: an interruption event may come before or after it
			assertThat(lines.lines().filter((line) -> line.startsWith("reply "))).singleElement()
				.satisfies((reply) -> assertThat(reply).contains("error: \"org.varlink.service.PermissionDenied\"")
					.contains("parameters: {}"));
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
				assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
				assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
			});
			stopWithoutLeaks(fixture);
		}
	}

	@Test
	void unknownMethodGetsATypedErrorNamingIt() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			String lines = call(fixture, SimPeer.teamCli().withPid(7303), "com.example.helper.NoSuchMethod",
					"text", "x", Mode.CALL);
			assertThat(lines).startsWith("reply {error: \"org.varlink.service.MethodNotFound\", parameters: {")
				.contains("\"com.example.helper.NoSuchMethod\"");
			stopWithoutLeaks(fixture);
		}
	}

	@Test
	void streamedReplyArrivesItemByItemThenTheFinalReply() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			String lines = call(fixture, SimPeer.teamCli().withPid(7304), "com.example.helper.Countdown",
					"from", 3L, Mode.STREAM);
			assertThat(lines.lines()).containsExactly("message {parameters: {n: 3}, id: 1, continues: true}",
					"message {parameters: {n: 2}, id: 1, continues: true}",
					"message {parameters: {n: 1}, id: 1, continues: true}", "reply {parameters: {n: 0}, id: 1}");
			stopWithoutLeaks(fixture);
		}
	}

	@Test
	void onewayCallRunsItsHandlerAndGetsNoReply() throws InterruptedException {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			// Produce streams: called oneway it runs to the end and sends nothing; called again without 'more' it is
			// refused at once, which is the reply the client waits for
			String lines = call(fixture, SimPeer.teamCli().withPid(7305), "com.example.helper.Produce", "from", 3L,
					Mode.ONEWAY_THEN_CALL);
			assertThat(fixture.helper.produceEnded.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(fixture.helper.produced).hasValue(3);
			assertThat(lines.lines()).singleElement()
				.satisfies((reply) -> assertThat(reply).startsWith("reply {error: "));
			stopWithoutLeaks(fixture);
		}
	}

}
