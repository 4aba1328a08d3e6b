package com.example.helper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.peergate.client.VarlinkClient;
import dev.peergate.client.VarlinkReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The sample helper starts, answers over its socket, and reports over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HelperApplicationTests {

	private static final Path DIRECTORY = createDirectory();

	private static final Path SOCKET = DIRECTORY.resolve("helper.sock");

	@LocalServerPort
	private int port;

	@Value("${peergate.listeners.helper.unix.path}")
	private String socketPath;

	@DynamicPropertySource
	static void socket(DynamicPropertyRegistry registry) {
		registry.add("peergate.listeners.helper.unix.path", SOCKET::toString);
	}

	private static Path createDirectory() {
		try {
			// Readable by everyone, so that a peer under another uid can reach the socket and be refused.
			Path directory = Files.createTempDirectory("peergate-sample-");
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
			return directory;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@AfterAll
	static void removeDirectory() throws IOException {
		Files.deleteIfExists(SOCKET);
		Files.deleteIfExists(DIRECTORY);
	}

	@Test
	void answersStatusToTheSameUser() {
		try (VarlinkClient client = VarlinkClient.builder(SOCKET).connect()) {
			HelperService.Status status = client.call("com.example.helper.Status", null, HelperService.Status.class);
			assertThat(status.callerUid()).isEqualTo(new com.sun.security.auth.module.UnixSystem().getUid());
			assertThat(status.listener()).isEqualTo("helper");
		}
	}

	@Test
	void streamsLoadSamples() {
		try (VarlinkClient client = VarlinkClient.builder(SOCKET).connect();
				VarlinkReplies<HelperService.LoadSample> samples = client.more("com.example.helper.WatchLoad",
						Map.of("samples", 3, "intervalMillis", 0), HelperService.LoadSample.class)) {
			assertThat(samples.stream().map(HelperService.LoadSample::sequence).toList()).containsExactly(1, 2, 3);
		}
	}

	@Test
	void commandLineClientPrintsTheReply() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int status = HelperCli.run(new String[] { "--socket", SOCKET.toString(), "DiskUsage", "{\"path\":\"/\"}" },
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
		assertThat(status).isZero();
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"usedPercent\"");
	}

	@Test
	void commandLineClientReportsTypedErrors() {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = HelperCli.run(
				new String[] { "--socket", SOCKET.toString(), "DiskUsage", "{\"path\":\"/no/such/path\"}" },
				System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
		assertThat(status).isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("com.example.helper.NoSuchPath");
	}

	@Test
	void refusesAnotherUserAndShowsWhyInTheEndpoint() throws Exception {
		assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
				"needs root to start a peer under another uid");
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3 for the foreign peer");
		String client = "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); "
				+ "s.sendall(b'{\"method\":\"com.example.helper.Status\"}\\0'); print(s.recv(4096).decode().rstrip('\\0'))";
		Process process = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
				"/usr/bin/python3", "-c", client, SOCKET.toString())
			.redirectErrorStream(true)
			.start();
		String reply = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		assertThat(reply).contains("org.varlink.service.PermissionDenied");
		String endpoint = get("/actuator/peergate/helper");
		assertThat(endpoint).contains("\"rejected\":").contains("peer has 65534");
	}

	@Test
	void actuatorShowsTheListenerOverHttp() throws Exception {
		String body = get("/actuator/peergate");
		assertThat(body).contains("\"helper\"").contains("\"transport\":\"unix\"").contains(this.socketPath);
	}

	@Test
	void healthIsUpWithTheListener() throws Exception {
		String body = get("/actuator/health");
		assertThat(body).contains("\"status\":\"UP\"").contains("\"peergate\"");
	}

	@Test
	void infoShowsPlatformCapabilities() throws Exception {
		assertThat(get("/actuator/info")).contains("\"peergate\"").contains("\"transports\"");
	}

	@Test
	void metricsListTheVerificationObservation() throws Exception {
		try (VarlinkClient client = VarlinkClient.builder(SOCKET).connect()) {
			client.call("com.example.helper.Status", null);
		}
		assertThat(get("/actuator/metrics")).contains("peergate.peer.verification")
			.contains("peergate.request")
			.contains("peergate.connections.active");
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(List.of(200)).contains(response.statusCode());
		return response.body();
	}

}
