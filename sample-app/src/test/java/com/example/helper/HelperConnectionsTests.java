package com.example.helper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.peergate.actuate.ConnectionDisconnectedAuditListener;
import dev.peergate.client.VarlinkClient;
import dev.peergate.client.VarlinkReplies;
import dev.peergate.event.ConnectionDisconnectedEvent;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * An operator's view of the helper's live connections over real HTTP, and the disconnect of one: its call in flight
 * is answered {@code dev.peergate.Disconnected} before it closes, while another peer keeps being served; the
 * disconnect is an application event and an audit event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(HelperConnectionsTests.Auditing.class)
@Timeout(60)
class HelperConnectionsTests {

	@TempDir
	static Path directory;

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private InMemoryAuditEventRepository auditEvents;

	@Autowired
	private Disconnects disconnects;

	@DynamicPropertySource
	static void socket(DynamicPropertyRegistry registry) {
		registry.add("peergate.listeners.helper.unix.path", () -> socket().toString());
	}

	private static Path socket() {
		return directory.resolve("helper.sock");
	}

	@Test
	void listsBothPeersAndDisconnectsOneWhileTheOtherKeepsBeingServed() throws Exception {
		ExecutorService caller = Executors.newSingleThreadExecutor();
		try (VarlinkClient kept = client(); VarlinkClient cut = client();
				VarlinkReplies<Map> watch = cut.more("com.example.helper.WatchLoad",
						Map.of("samples", 100, "intervalMillis", 10_000), Map.class)) {
			status(kept);
			assertThat(watch.next()).containsEntry("sequence", 1); // its handler now sleeps for 10 s: in flight
			List<JsonNode> listed = connections();
			assertThat(listed).hasSize(2);
			long ownUid = new com.sun.security.auth.module.UnixSystem().getUid();
			for (JsonNode connection : listed) {
				assertThat(connection.get("peer").asString()).startsWith("uid=" + ownUid);
				assertThat(connection.get("facts").get("uid").asLong()).isEqualTo(ownUid);
				assertThat(connection.get("facts").get("executable-path").asString())
					.isEqualTo(ProcessHandle.current().info().command().orElseThrow());
				assertThat(connection.get("since").asString()).isNotBlank();
				assertThat(connection.get("bytesRead").asLong()).isPositive();
				assertThat(connection.get("bytesWritten").asLong()).isPositive();
			}
			JsonNode held = find(listed, 1);
			assertThat(find(listed, 0).get("callsServed").asLong()).isEqualTo(1);

			AtomicBoolean calling = new AtomicBoolean(true);
			CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
				int calls = 0;
				while (calling.get()) {
					status(kept);
					calls++;
				}
				return calls;
			}, caller);
			HttpResponse<String> deleted = send("DELETE", "/actuator/peergate/helper/connections/" + id(held));
			assertThat(deleted.statusCode()).isEqualTo(200);
			assertThat(json.readTree(deleted.body()).get("callsInFlight").asInt()).isEqualTo(1);
			Throwable ended = catchThrowable(watch::next);
			assertThat(ended).isInstanceOf(IpcError.class);
			assertThat(((IpcError) ended).name()).isEqualTo(StandardErrors.DISCONNECTED);
			await().atMost(Duration.ofSeconds(10)).until(() -> connections().size() == 1);
			calling.set(false);
			assertThat(served.get(20, TimeUnit.SECONDS)).as("calls served during the disconnect").isPositive();
			status(kept);
			assertThat(id(connections().get(0))).isNotEqualTo(id(held));

			assertThat(this.disconnects.events).singleElement().satisfies((event) -> {
				assertThat(event.listener()).isEqualTo("helper");
				assertThat(event.connection().id()).isEqualTo(id(held));
				assertThat(event.connection().callsInFlight()).isEqualTo(1);
			});
			List<AuditEvent> audit = this.auditEvents.find(null, null,
					ConnectionDisconnectedAuditListener.CONNECTION_DISCONNECTED);
			assertThat(audit).singleElement().satisfies((event) -> {
				assertThat(event.getPrincipal()).isEqualTo(held.get("peer").asString());
				assertThat(event.getData()).containsEntry("listener", "helper")
					.containsEntry("connection", id(held))
					.containsEntry("operator", "unknown");
			});
		}
		finally {
			caller.shutdownNow();
		}
	}

	@Test
	void answers404ForAConnectionOrListenerThatIsNotThere() throws Exception {
		assertThat(send("DELETE", "/actuator/peergate/helper/connections/999999").statusCode()).isEqualTo(404);
		assertThat(send("DELETE", "/actuator/peergate/nope/connections/1").statusCode()).isEqualTo(404);
		assertThat(send("GET", "/actuator/peergate/nope/connections").statusCode()).isEqualTo(404);
		assertThat(send("GET", "/actuator/peergate/helper/elsewhere").statusCode()).isEqualTo(404);
	}

	private static VarlinkClient client() {
		return VarlinkClient.builder(socket()).callTimeout(Duration.ofSeconds(20)).connect();
	}

	private static void status(VarlinkClient client) {
		assertThat(client.call("com.example.helper.Status", null, HelperService.Status.class).listener())
			.isEqualTo("helper");
	}

	private List<JsonNode> connections() throws Exception {
		HttpResponse<String> response = send("GET", "/actuator/peergate/helper/connections");
		assertThat(response.statusCode()).isEqualTo(200);
		List<JsonNode> connections = new ArrayList<>();
		json.readTree(response.body()).get("connections").forEach(connections::add);
		return connections;
	}

	private static JsonNode find(List<JsonNode> connections, int callsInFlight) {
		return connections.stream()
			.filter((connection) -> connection.get("callsInFlight").asInt() == callsInFlight)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no connection with " + callsInFlight + " calls in flight"));
	}

	private static String id(JsonNode connection) {
		return connection.get("id").asString();
	}

	private HttpResponse<String> send(String method, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Auditing {

		@Bean
		InMemoryAuditEventRepository auditEvents() {
			return new InMemoryAuditEventRepository();
		}

		@Bean
		Disconnects disconnects() {
			return new Disconnects();
		}

	}

	static class Disconnects implements ApplicationListener<ConnectionDisconnectedEvent> {

		final List<ConnectionDisconnectedEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ConnectionDisconnectedEvent event) {
			this.events.add(event);
		}

	}

}
