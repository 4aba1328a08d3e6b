package com.example.helper;

import java.io.ByteArrayInputStream;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.peergate.client.VarlinkClient;
import dev.peergate.client.VarlinkReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample helper starts, answers over its socket, and reports over real HTTP. It runs with the sample's macOS
 * configuration (profile {@code mac}: an XPC service name and a signature requirement, which the launchd plist test
 * reads) plus the Linux requirement those tests need, so the configuration is valid on both systems: the socket
 * checks the uid, an XPC listener the team (autoconfigure's {@code SampleMacConfigurationTests} starts that one on
 * the libxpc simulator).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("mac")
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
		// same-user, which the mac profile turns off (XPC peers are no uids), as the socket's requirement
		registry.add("peergate.listeners.helper.requirement.linux.uid",
				() -> new com.sun.security.auth.module.UnixSystem().getUid());
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
						Map.of("samples", 3, "intervalMillis", HelperService.MIN_INTERVAL_MILLIS),
						HelperService.LoadSample.class)) {
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
	void commandLineClientCallsThroughTheTypedInterface() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThat(HelperCli.run(new String[] { "--socket", SOCKET.toString(), "watch-load", "2" },
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err))
			.isZero();
		assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(2)
			.allSatisfy((line) -> assertThat(line).contains("\"loadAverage\""))
			.last()
			.satisfies((line) -> assertThat(line).startsWith("{\"sequence\":2"));
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		assertThat(HelperCli.run(new String[] { "--socket", SOCKET.toString(), "disk-usage", "/no/such/path" },
				System.out, new PrintStream(err, true, StandardCharsets.UTF_8)))
			.isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error com.example.helper.NoSuchPath");
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

	@Test
	void actuatorServesTheLaunchdPlistOfTheRunningHelperOverHttp() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/launchd"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/xml"));
		Document plist = parse(response.body());
		assertThat(value(plist, "Label").getTextContent()).isEqualTo("com.example.helper");
		ProcessHandle.Info info = ProcessHandle.current().info();
		List<String> running = new ArrayList<>();
		running.add(info.command().orElseThrow());
		running.addAll(Arrays.asList(info.arguments().orElseThrow()));
		assertThat(strings(value(plist, "ProgramArguments"))).isEqualTo(running);
		assertThat(machServices(plist)).containsExactly("com.example.helper");
	}

	@Test
	void commandLinePrintsTheLaunchdPlistOfTheConfiguration() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = LaunchdPlistCommand.run(
				new String[] { "--peergate.listeners.helper.xpc.service-name=com.example.helperd",
						"--peergate.launchd.kind=daemon", "--peergate.launchd.user-name=_helper" },
				List.of("/usr/bin/java", "-jar", "/opt/helper/helper.jar",
						"--peergate.listeners.helper.xpc.service-name=com.example.helperd"),
				"/opt/helper", new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
		Document plist = parse(out.toString(StandardCharsets.UTF_8));
		assertThat(value(plist, "Label").getTextContent()).isEqualTo("com.example.helperd");
		assertThat(strings(value(plist, "ProgramArguments"))).containsExactly("/usr/bin/java", "-jar",
				"/opt/helper/helper.jar", "--peergate.listeners.helper.xpc.service-name=com.example.helperd");
		assertThat(machServices(plist)).containsExactly("com.example.helperd");
		assertThat(value(plist, "UserName").getTextContent()).isEqualTo("_helper");
		assertThat(value(plist, "WorkingDirectory").getTextContent()).isEqualTo("/opt/helper");
		assertThat(err.toString(StandardCharsets.UTF_8))
			.contains("/Library/LaunchDaemons/com.example.helperd.plist");
	}

	@Test
	void commandLineExplainsAConfigurationWithoutXpcListener() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = LaunchdPlistCommand.run(new String[0], List.of("/usr/bin/java", "-jar", "/opt/helper.jar"),
				"/opt", new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		assertThat(status).isEqualTo(1);
		assertThat(out.size()).isZero();
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("no listener is an XPC Mach service")
			.contains("xpc.service-name");
	}

	@Test
	void launchdRunsTheCommandWithoutTheWordLaunchdPlist() {
		assertThat(LaunchdPlistCommand.serviceCommand(
				List.of("/usr/bin/java", "-jar", "/opt/helper.jar", "launchd-plist", "--spring.profiles.active=mac"),
				new String[] { "launchd-plist", "--spring.profiles.active=mac" }))
			.containsExactly("/usr/bin/java", "-jar", "/opt/helper.jar", "--spring.profiles.active=mac");
		org.assertj.core.api.Assertions.assertThatIllegalStateException()
			.isThrownBy(() -> LaunchdPlistCommand.serviceCommand(List.of("/opt/Helper.app/Contents/MacOS/Helper"),
					new String[] { "launchd-plist" }))
			.withMessageContaining("peergate.launchd.program-arguments");
	}

	private static Document parse(String xml) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
		return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
	}

	/** The value element following {@code <key>name</key>} in the top-level dictionary. */
	private static Element value(Document plist, String name) {
		List<Element> children = elements(elements(plist.getDocumentElement()).get(0));
		for (int i = 0; i + 1 < children.size(); i++) {
			if (children.get(i).getTagName().equals("key") && children.get(i).getTextContent().equals(name)) {
				return children.get(i + 1);
			}
		}
		throw new AssertionError("no key " + name + " in the plist");
	}

	private static List<String> strings(Element array) {
		assertThat(array.getTagName()).isEqualTo("array");
		return elements(array).stream().map(Element::getTextContent).toList();
	}

	/** The keys of the MachServices dictionary, each of which must map to true. */
	private static List<String> machServices(Document plist) {
		List<Element> entries = elements(value(plist, "MachServices"));
		List<String> services = new ArrayList<>();
		for (int i = 0; i < entries.size(); i += 2) {
			assertThat(entries.get(i + 1).getTagName()).isEqualTo("true");
			services.add(entries.get(i).getTextContent());
		}
		return services;
	}

	private static List<Element> elements(Element parent) {
		List<Element> elements = new ArrayList<>();
		for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
			if (child instanceof Element element) {
				elements.add(element);
			}
		}
		return elements;
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
