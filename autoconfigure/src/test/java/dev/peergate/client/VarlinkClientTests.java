package dev.peergate.client;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.peergate.handler.IpcError;
import dev.peergate.varlink.GoPrograms;
import dev.peergate.varlink.certification.Certification.ClientId;
import dev.peergate.varlink.certification.Certification.Test02;
import dev.peergate.varlink.certification.Certification;
import dev.peergate.varlink.certification.GoCertificationServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class VarlinkClientTests {

	private static final String I = Certification.INTERFACE + ".";

	private static final String SYSTEM_PYTHON = "/usr/bin/python3";

	@TempDir
	Path directory;

	@Test
	void aClosedClientHoldsNoThreadOfItsOwn() throws Exception {
		try (GoCertificationServer server = goServer()) {
			VarlinkClient client = connect(server.socket());
			client.call("org.varlink.service.GetInfo", null);
			Set<Thread> loops = clientThreads();
			assertThat(loops).isNotEmpty();
			client.close();
			// on return, not eventually: whoever counts threads or descriptors next must not find them
			assertThat(loops).noneMatch(Thread::isAlive);
		}
	}

	private static Set<Thread> clientThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("peergate-varlink-client"))
			.collect(java.util.stream.Collectors.toSet());
	}

	@Test
	void errorReplyIsThrownAsIpcErrorWithItsName() throws Exception {
		try (GoCertificationServer server = goServer(); VarlinkClient client = connect(server.socket())) {
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> client.call(I + "Test01", new ClientId("nobody"), Map.class))
				.satisfies(error -> assertThat(error.name()).isEqualTo("org.varlink.certification.ClientIdError"));
		}
	}

	@Test
	void errorReplyCarriesItsParameters() throws Exception {
		try (GoCertificationServer server = goServer(); VarlinkClient client = connect(server.socket())) {
			String id = client.call(I + "Start", null, ClientId.class).client_id();
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> client.call(I + "Test02", new Test02(id, false), Map.class))
				.satisfies(error -> {
					assertThat(error.name()).isEqualTo("org.varlink.certification.CertificationError");
					assertThat(error.parameters()).containsOnlyKeys("wants", "got");
				});
			assertThatExceptionOfType(IpcError.class).isThrownBy(() -> client.call(I + "Nothing", null))
				.satisfies(error -> {
					assertThat(error.name()).isEqualTo("org.varlink.service.MethodNotFound");
					assertThat(error.parameters()).containsEntry("method", "Nothing");
				});
		}
	}

	@Test
	void callReturnsReplyParametersAsAMap() throws Exception {
		try (GoCertificationServer server = goServer(); VarlinkClient client = connect(server.socket())) {
			Map<String, Object> info = client.call("org.varlink.service.GetInfo", null);
			assertThat(info).containsEntry("vendor", "Varlink").containsEntry("product", "Certification");
			assertThat(info.get("interfaces")).asList().contains("org.varlink.service", Certification.INTERFACE);
		}
	}

	@Test
	void callsFromSeveralThreadsEachGetTheirOwnReply() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try (GoCertificationServer server = goServer(); VarlinkClient client = connect(server.socket())) {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				boolean expected = (i % 2) == 0;
				results.add(threads.submit(() -> {
					if (expected) {
						String id = client.call(I + "Start", null, ClientId.class).client_id();
						return id.length() == 36;
					}
					return "Certification".equals(client.call("org.varlink.service.GetInfo", null).get("product"));
				}));
			}
			for (Future<Boolean> result : results) {
				assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void reportsTheServersCredentials() throws Exception {
		try (GoCertificationServer server = goServer(); VarlinkClient client = connect(server.socket())) {
			assertThat(client.server().uid()).isEqualTo(currentUid());
			assertThat(client.server().pidHint()).isPositive();
		}
	}

	@Test
	@org.junit.jupiter.api.Timeout(60)
	void refusesServerRunningAsAnotherUidWithoutSendingAnything() throws Exception {
		requireRootAndSetpriv();
		Path shared = sharedDirectory();
		Path socket = shared.resolve("nobody.sock");
		// A real server process under uid 65534 that reports how many bytes it received before the client left.
		Process listener = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SYSTEM_PYTHON,
				"-c", """
						import socket, sys
						s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
						s.bind(sys.argv[1]); s.listen(1)
						print("listening", flush=True)
						c, _ = s.accept()
						n = 0
						while True:
						    b = c.recv(4096)
						    if not b: break
						    n += len(b)
						print("received", n, flush=True)
						""", socket.toString())
			.redirectErrorStream(true)
			.start();
		try {
			assertThat(new String(listener.getInputStream().readNBytes(10), StandardCharsets.UTF_8))
				.isEqualTo("listening\n");
			assertThatExceptionOfType(ServerVerificationException.class)
				.isThrownBy(() -> VarlinkClient.builder(socket).expectServerUid(0).connect())
				.withMessageContaining("uid 65534")
				.withMessageContaining("uid 0 was expected")
				.satisfies(ex -> assertThat(ex.server().uid()).isEqualTo(65534));
			String report = new String(listener.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(report).isEqualTo("received 0\n");
		}
		finally {
			listener.destroyForcibly();
		}
	}

	@Test
	void acceptsServerRunningAsTheExpectedUid() throws Exception {
		requireRootAndSetpriv();
		Path socket = sharedDirectory().resolve("cert.sock");
		try (GoCertificationServer server = GoCertificationServer.start(socket,
				List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
				VarlinkClient client = VarlinkClient.builder(socket).expectServerUid(65534).connect()) {
			assertThat(client.server().uid()).isEqualTo(65534);
			assertThat(client.call(I + "Start", null, ClientId.class).client_id()).isNotBlank();
		}
	}

	@Test
	void callWithoutReplyTimesOut() throws Exception {
		Path socket = this.directory.resolve("silent.sock");
		try (ServerSocketChannel silent = listen(socket);
				VarlinkClient client = VarlinkClient.builder(socket).callTimeout(Duration.ofMillis(200)).connect()) {
			assertThatExceptionOfType(VarlinkTimeoutException.class)
				.isThrownBy(() -> client.call("com.example.Silent", null))
				.withMessageContaining("com.example.Silent");
		}
	}

	@Test
	void lateReplyToATimedOutCallIsNotMistakenForTheNextReply() throws Exception {
		Path socket = this.directory.resolve("late.sock");
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try (ServerSocketChannel server = listen(socket);
				VarlinkClient client = VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(2)).connect();
				SocketChannel peer = server.accept()) {
			assertThatExceptionOfType(VarlinkTimeoutException.class).isThrownBy(() -> client.call("com.example.A", null));
			Future<Map<String, Object>> second = thread.submit(() -> client.call("com.example.B", null));
			readFrames(peer, 2);
			// The late reply to A comes first; the caller of B must get B's reply.
			peer.write(ByteBuffer.wrap("{\"parameters\":{\"for\":\"A\"}}\0{\"parameters\":{\"for\":\"B\"}}\0"
				.getBytes(StandardCharsets.UTF_8)));
			assertThat(second.get(30, TimeUnit.SECONDS)).containsEntry("for", "B");
		}
		finally {
			thread.shutdownNow();
		}
	}

	@Test
	void serverClosingTheConnectionFailsThePendingCall() throws Exception {
		Path socket = this.directory.resolve("closing.sock");
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try (ServerSocketChannel server = listen(socket); VarlinkClient client = connect(socket)) {
			Future<Map<String, Object>> call = thread.submit(() -> client.call("com.example.A", null));
			try (SocketChannel peer = server.accept()) {
				readFrames(peer, 1);
			}
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(30, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(VarlinkClientException.class)
				.withMessageContaining("closed");
			await().atMost(Duration.ofSeconds(30)).until(() -> !client.isOpen());
			assertThatExceptionOfType(VarlinkClientException.class).isThrownBy(() -> client.call("com.example.B", null))
				.withMessageContaining("Cannot call com.example.B");
		}
		finally {
			thread.shutdownNow();
		}
	}

	@Test
	void continuesToACallWithoutMoreIsAProtocolError() throws Exception {
		Path socket = this.directory.resolve("continues.sock");
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try (ServerSocketChannel server = listen(socket); VarlinkClient client = connect(socket);
				SocketChannel peer = server.accept()) {
			Future<Map<String, Object>> call = thread.submit(() -> client.call("com.example.A", null));
			// Answer only once the call is pending; an earlier reply is "nobody asked for", a different error.
			readFrames(peer, 1);
			peer.write(ByteBuffer.wrap("{\"parameters\":{},\"continues\":true}\0".getBytes(StandardCharsets.UTF_8)));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(30, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(VarlinkClientException.class)
				.withMessageContaining("continues");
		}
		finally {
			thread.shutdownNow();
		}
	}

	@Test
	void replyWithoutAPendingCallClosesTheClient() throws Exception {
		Path socket = this.directory.resolve("unsolicited.sock");
		try (ServerSocketChannel server = listen(socket); VarlinkClient client = connect(socket);
				SocketChannel peer = server.accept()) {
			peer.write(ByteBuffer.wrap("{\"parameters\":{}}\0".getBytes(StandardCharsets.UTF_8)));
			await().atMost(Duration.ofSeconds(30)).until(() -> !client.isOpen());
			assertThatExceptionOfType(VarlinkClientException.class).isThrownBy(() -> client.call("com.example.A", null))
				.withMessageContaining("nobody asked for");
		}
	}

	@Test
	void replyThatIsNotJsonIsAProtocolError() throws Exception {
		Path socket = this.directory.resolve("garbage.sock");
		try (ServerSocketChannel server = listen(socket); VarlinkClient client = connect(socket);
				SocketChannel peer = server.accept()) {
			peer.write(ByteBuffer.wrap("not json\0".getBytes(StandardCharsets.UTF_8)));
			assertThatExceptionOfType(VarlinkClientException.class).isThrownBy(() -> client.call("com.example.A", null))
				.withMessageContaining("invalid message");
		}
	}

	@Test
	void connectingToAMissingSocketFailsNamingIt() {
		Path socket = this.directory.resolve("missing.sock");
		assertThatExceptionOfType(VarlinkClientException.class)
			.isThrownBy(() -> VarlinkClient.builder(socket).connect())
			.withMessageContaining(socket.toString());
	}

	private static void readFrames(SocketChannel peer, int frames) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(4096);
		int seen = 0;
		while (seen < frames) {
			buffer.clear();
			if (peer.read(buffer) < 0) {
				throw new IOException("client closed");
			}
			for (int i = 0; i < buffer.position(); i++) {
				if (buffer.get(i) == 0) {
					seen++;
				}
			}
		}
	}

	private GoCertificationServer goServer() throws IOException {
		return GoCertificationServer.start(this.directory.resolve("cert.sock"), List.of());
	}

	private static VarlinkClient connect(Path socket) {
		return VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(30)).connect();
	}

	private static ServerSocketChannel listen(Path socket) throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(socket));
		return server;
	}

	private Path sharedDirectory() throws IOException {
		// The other uid must reach and write the directory; the test's temporary directory is root's own.
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwx--x--x"));
		Path shared = Files.createDirectory(this.directory.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		return shared;
	}

	private static void requireRootAndSetpriv() throws Exception {
		assumeTrue(currentUid() == 0, "needs root to run a server under another uid");
		assumeTrue(GoPrograms.run(List.of("sh", "-c", "command -v setpriv"), "").exitCode() == 0, "needs setpriv");
		// The system interpreter, not a per-user one that the other uid could not read.
		assumeTrue(Files.isExecutable(Path.of(SYSTEM_PYTHON)), "needs " + SYSTEM_PYTHON);
	}

	private static long currentUid() throws IOException {
		return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
	}

}
