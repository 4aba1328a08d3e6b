package dev.peergate.unix;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile or broken input: each case ends in a varlink error or a close plus a transport event, while a
 * well-behaved client connected throughout keeps being served.
 */
class UnixListenerRobustnessTests {

	@TempDir
	Path dir;

	private ListenerFixture fixture;

	private Bystander bystander;

	@BeforeAll
	static void linuxOnly() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	@BeforeEach
	void start() throws Exception {
		UnixListenerOptions options = UnixListenerOptions.defaults(this.dir.resolve("s.sock"))
			.withMaxDepth(16)
			.withMaxConnections(8)
			.withIdleTimeout(Duration.ofMillis(1000));
		this.fixture = new ListenerFixture(options, dev.peergate.core.PeerRequirement.anyPeer(), Duration.ofSeconds(5));
		this.bystander = new Bystander(this.fixture);
	}

	@AfterEach
	void stop() {
		if (this.bystander != null) {
			this.bystander.close();
		}
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	private void assertBystanderServed() throws InterruptedException {
		this.bystander.assertServedThroughout();
		this.fixture.assertServesWellBehavedClient();
	}

	private void assertProtocolErrorThenClose(VarlinkTestClient client, String kind) {
		Map<String, Object> reply = client.readReply(Duration.ofSeconds(5));
		assertThat(reply).containsEntry("error", StandardErrors.PROTOCOL_ERROR);
		assertThat(reply.get("parameters")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("kind", kind);
		assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		assertThat(this.fixture.events).contains("protocol:" + kind);
	}

	@Test
	void answersMalformedJsonWithProtocolErrorAndCloses() throws Exception {
		try (VarlinkTestClient client = this.fixture.connect()) {
			client.sendText("{\"method\": \"dev.peergate.test.Echo\", ");
			assertProtocolErrorThenClose(client, "malformed");
		}
		assertBystanderServed();
	}

	@Test
	void answersMessageWithoutMethodWithProtocolError() throws Exception {
		try (VarlinkTestClient client = this.fixture.connect()) {
			client.sendText("{\"parameters\": {}}");
			assertProtocolErrorThenClose(client, "malformed");
		}
		assertBystanderServed();
	}

	@Test
	void answersInvalidUtf8WithProtocolErrorAndCloses() throws Exception {
		try (VarlinkTestClient client = this.fixture.connect()) {
			byte[] head = "{\"method\":\"dev.peergate.test.Echo\",\"parameters\":{\"text\":\""
				.getBytes(StandardCharsets.UTF_8);
			byte[] tail = "\"}}".getBytes(StandardCharsets.UTF_8);
			byte[] message = new byte[head.length + 2 + tail.length + 1];
			System.arraycopy(head, 0, message, 0, head.length);
			message[head.length] = (byte) 0xC3; // a lead byte followed by ...
			message[head.length + 1] = (byte) 0x28; // ... a non-continuation byte
			System.arraycopy(tail, 0, message, head.length + 2, tail.length);
			client.sendRaw(message);
			assertProtocolErrorThenClose(client, "malformed");
		}
		assertBystanderServed();
	}

	@Test
	void answersTooDeepMessageWithProtocolErrorAndCloses() throws Exception {
		try (VarlinkTestClient client = this.fixture.connect()) {
			String deep = "[".repeat(40) + "]".repeat(40);
			client.sendText("{\"method\":\"dev.peergate.test.Echo\",\"parameters\":{\"text\":" + deep + "}}");
			assertProtocolErrorThenClose(client, "too-deep");
		}
		assertBystanderServed();
	}

	@Test
	void answersUnknownInterfaceAndMethodWithVarlinkErrorsAndStaysOpen() throws Exception {
		try (VarlinkTestClient client = this.fixture.connect()) {
			assertThat(client.call("com.example.nothing.Here", Map.of()))
				.containsEntry("error", StandardErrors.INTERFACE_NOT_FOUND);
			assertThat(client.call("dev.peergate.test.Missing", Map.of()))
				.containsEntry("error", StandardErrors.METHOD_NOT_FOUND);
			ListenerFixture.assertEchoes(client, "still open");
		}
		assertThat(this.fixture.events).contains("protocol:unknown-method");
		assertBystanderServed();
	}

	@Test
	void answersWrongParameterTypesWithInvalidParameterNamingItAndStaysOpen() throws Exception {
		try (VarlinkTestClient client = this.fixture.connect()) {
			Map<String, Object> reply = client.call("dev.peergate.test.Echo", Map.of("text", List.of(1, 2)));
			assertThat(reply).containsEntry("error", StandardErrors.INVALID_PARAMETER);
			assertThat(reply.get("parameters")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("parameter", "text");
			assertThat(client.call("dev.peergate.test.Sleep", Map.of("millis", "ten")))
				.containsEntry("error", StandardErrors.INVALID_PARAMETER);
			ListenerFixture.assertEchoes(client, "still open");
		}
		assertThat(this.fixture.events).contains("protocol:invalid-parameter");
		assertBystanderServed();
	}

	@Test
	void closesConnectionThatNeverSendsTheTerminatingNul() throws Exception {
		try (VarlinkTestClient client = this.fixture.connect()) {
			client.sendRaw("{\"method\":\"dev.peergate.test.Echo\",\"parameters\":{\"text\":\"x\"}}"
				.getBytes(StandardCharsets.UTF_8));
			assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
		}
		assertThat(this.fixture.events).contains("limit:idle-timeout");
		assertBystanderServed();
	}

	@Test
	void closesConnectionThatStallsHalfwayThroughAMessage() throws Exception {
		try (VarlinkTestClient client = this.fixture.connect()) {
			client.sendRaw("{\"method\":\"dev.peer".getBytes(StandardCharsets.UTF_8));
			Thread.sleep(200); // a second fragment, then silence
			client.sendRaw("gate.test.Ec".getBytes(StandardCharsets.UTF_8));
			assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
		}
		assertThat(this.fixture.events).contains("limit:idle-timeout");
		assertBystanderServed();
	}

	@Test
	void survivesAFloodOfConnections() throws Exception {
		List<VarlinkTestClient> flood = new ArrayList<>();
		try {
			for (int i = 0; i < 40; i++) {
				flood.add(this.fixture.connect());
			}
			assertThat(flood.stream().filter(client -> client.awaitClosed(Duration.ofSeconds(5))).count())
				.isEqualTo(40);
			long refused = this.fixture.events.stream().filter("limit:max-connections"::equals).count();
			long idledOut = this.fixture.events.stream().filter("limit:idle-timeout"::equals).count();
			assertThat(refused).as("connections beyond max-connections refused at accept").isPositive();
			assertThat(refused + idledOut).as("every flood connection is either refused or idles out").isEqualTo(40);
		}
		finally {
			flood.forEach(VarlinkTestClient::close);
		}
		assertBystanderServed();
	}

}
