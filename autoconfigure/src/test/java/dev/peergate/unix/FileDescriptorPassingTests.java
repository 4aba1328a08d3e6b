package dev.peergate.unix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.peergate.client.IpcCallers;
import dev.peergate.client.VarlinkClient;
import dev.peergate.core.PeerRequirement;
import dev.peergate.handler.HandlerLimits;
import dev.peergate.handler.IpcClients;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.StandardErrors;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * File descriptors over a varlink connection ({@code SCM_RIGHTS}, the index in the message as sd-varlink sends it),
 * with real sockets, a real client and peers in other processes and under other users: every descriptor is closed on
 * every path, which the count of this process's open descriptors before and after shows.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FileDescriptorPassingTests {

	private static final String SCRIPT = """
			import json, os, socket, sys
			path, mode = sys.argv[1], sys.argv[2]
			def connect():
			    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			    s.connect(path)
			    return s
			def reply(s):
			    buf, fds = b"", []
			    while b"\\0" not in buf:
			        data, more, flags, addr = socket.recv_fds(s, 65536, 16)
			        if not data:
			            return None, fds
			        buf += data
			        fds += more
			    return json.loads(buf.split(b"\\0")[0]), fds
			def call(method, parameters):
			    return json.dumps({"method": method, "parameters": parameters}).encode() + b"\\0"
			if mode == "read":
			    s = connect()
			    s.sendall(call("com.example.files.OpenFile", {"name": sys.argv[3]}))
			    answer, fds = reply(s)
			    with os.fdopen(fds[answer["parameters"]["file"]], "rb") as f:
			        print(f.read().decode())
			elif mode == "pipe":
			    r, w = os.pipe()
			    s = connect()
			    socket.send_fds(s, [call("com.example.files.WriteTo", {"target": 0, "text": "through the pipe"})], [w])
			    os.close(w)
			    answer, fds = reply(s)
			    print(os.read(r, 100).decode())
			elif mode == "too-many":
			    fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(int(sys.argv[3]))]
			    s = connect()
			    socket.send_fds(s, [call("com.example.files.Plain", {"text": "x"})], fds)
			    answer, more = reply(s)
			    print(json.dumps(answer))
			elif mode == "out-of-place":
			    message = call("com.example.files.Echo", {"target": 0})
			    s = connect()
			    s.sendall(message[:10])
			    import time
			    time.sleep(0.2)
			    socket.send_fds(s, [message[10:]], [os.open("/dev/null", os.O_RDONLY)])
			    answer, more = reply(s)
			    print(json.dumps(answer))
			elif mode == "mixed":
			    # good and bad messages with descriptors, over fresh connections
			    def dev_null(n):
			        return [os.open("/dev/null", os.O_RDONLY) for _ in range(n)]
			    bad = [
			        (call("com.example.files.Echo", {"target": 0}), 1),            # good
			        (call("com.example.files.Echo", {"target": 5}), 2),            # index beyond them
			        (call("com.example.files.Echo", {"target": "0"}), 1),          # not an index
			        (call("com.example.files.Fail", {"target": 0}), 3),            # handler fails
			        (call("com.example.files.Plain", {"text": "x"}), 4),           # takes none
			        (call("com.example.files.Nothing", {}), 2),                    # no such method
			        (b'{"method": "com.example.files.Echo", "parameters": {"target": 0}', 2),  # not JSON
			        (call("com.example.files.Echo", {"target": 0}), 9),            # over the limit
			    ]
			    answers = []
			    for round in range(int(sys.argv[3])):
			        for message, count in bad:
			            s = connect()
			            fds = dev_null(count)
			            socket.send_fds(s, [message + (b"" if message.endswith(b"\\0") else b"\\0")], fds)
			            for fd in fds:
			                os.close(fd)
			            answer, more = reply(s)
			            for fd in more:
			                os.close(fd)
			            answers.append((answer or {}).get("error", "ok"))
			            s.close()
			    print(json.dumps(sorted(set(answers))))
			elif mode == "hoard":
			    # many connections, each sending calls with descriptors and never reading a reply
			    held = []
			    for _ in range(int(sys.argv[3])):
			        s = connect()
			        for _ in range(4):
			            socket.send_fds(s, [call("com.example.files.Plain", {"text": "x" * 1000})],
			                            [os.open("/dev/null", os.O_RDONLY) for _ in range(8)])
			        held.append(s)
			    print("sent", flush=True)
			    sys.stdin.read()
			""";

	@TempDir
	Path directory;

	private FileHandlers handlers;

	private ListenerFixture fixture;

	private Path socket;

	private final List<VarlinkClient> clients = new ArrayList<>();

	@BeforeEach
	void start() throws Exception {
		LinuxAssumptions.assumeLinuxTransport();
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.handlers = new FileHandlers(this.directory);
		this.socket = this.directory.resolve("files.sock");
		this.fixture = fixture(UnixListenerOptions.defaults(this.socket).withMode("0666"), Duration.ofSeconds(10));
	}

	@AfterEach
	void stop() {
		this.clients.forEach(VarlinkClient::close);
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	@Test
	void handsTheCallerADescriptorOfAFileItOpened() throws Exception {
		Files.writeString(this.directory.resolve("log"), "the helper's log");
		record File(IpcFileDescriptor file) {
		}
		try (IpcFileDescriptor file = client().call("com.example.files.OpenFile", Map.of("name", "log"), File.class)
			.file()) {
			assertThat(Files.readString(file.path())).isEqualTo("the helper's log");
		}
	}

	@IpcInterface("com.example.files")
	interface FilesClient {

		@IpcMethod
		FileHandlers.File openFile(FileHandlers.Name call);

	}

	@Test
	void aTypedClientGetsTheDescriptorInItsReplyRecord() throws Exception {
		Files.writeString(this.directory.resolve("typed"), "through a typed client");
		assertThat(IpcClients.passesDescriptors(FilesClient.class)).isTrue();
		FilesClient files = IpcClients.create(FilesClient.class, IpcCallers.of(client()));
		try (IpcFileDescriptor file = files.openFile(new FileHandlers.Name("typed")).file()) {
			assertThat(Files.readString(file.path())).isEqualTo("through a typed client");
		}
	}

	@Test
	void handsACallerOfAnotherUserADescriptorOfAFileOnlyTheHelperMayOpen() throws Exception {
		LinuxAssumptions.assumeRoot();
		LinuxAssumptions.assumeTool(PythonPeer.SETPRIV);
		Path secret = this.directory.resolve("secret");
		Files.writeString(secret, "root only");
		Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
		assertThat(python(List.of(PythonPeer.SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups"), "read",
				"secret")).isEqualTo("root only");
		assertThat(run(List.of(PythonPeer.SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups",
				"cat", secret.toString()))).as("the caller cannot open it itself").isNotEqualTo("root only");
	}

	@Test
	void writesIntoThePipeACallerInAnotherProcessPassed() throws Exception {
		assertThat(python(List.of(), "pipe", "")).isEqualTo("through the pipe");
	}

	@Test
	void passesTheCallersDescriptorToTheHandler() throws Exception {
		Path file = Files.writeString(this.directory.resolve("out"), "");
		try (IpcFileDescriptor target = IpcFileDescriptor.open(file, StandardOpenOption.WRITE)) {
			record Write(IpcFileDescriptor target, String text) {
			}
			client().call("com.example.files.WriteTo", new Write(target, "written by the helper"));
			assertThat(target.isOpen()).as("sent: the client closed its copy").isFalse();
		}
		assertThat(Files.readString(file)).isEqualTo("written by the helper");
	}

	@Test
	void givesBackTheDescriptorItReceivedAsANewDescriptorOfTheSameFile() throws Exception {
		Path file = Files.writeString(this.directory.resolve("same"), "same file");
		record Target(IpcFileDescriptor target) {
		}
		Target back = client().call("com.example.files.Echo",
				new Target(IpcFileDescriptor.open(file, StandardOpenOption.READ)), Target.class);
		try (IpcFileDescriptor received = back.target()) {
			assertThat(Files.readString(received.path())).isEqualTo("same file");
		}
	}

	@Test
	void closesTheDescriptorsOfAHandlerThatFailedAndOfACallThatTakesNone() throws Exception {
		VarlinkClient client = client();
		client.call("com.example.files.Plain", Map.of("text", "warm"));
		long before = openDescriptors();
		record Target(IpcFileDescriptor target) {
		}
		for (int i = 0; i < 20; i++) {
			assertThatExceptionOfType(IpcError.class).isThrownBy(() -> client.call("com.example.files.Fail",
					new Target(IpcFileDescriptor.open(Path.of("/dev/null"), StandardOpenOption.READ))))
				.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.HANDLER_FAILED));
			record Plain(String text, IpcFileDescriptor extra) {
			}
			client.call("com.example.files.Plain",
					new Plain("x", IpcFileDescriptor.open(Path.of("/dev/null"), StandardOpenOption.READ)));
		}
		// the dispatcher closes a call's descriptors after its reply: awaited, not read once
		assertThat(this.handlers.seen).hasSize(20);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.handlers.seen).noneMatch(IpcFileDescriptor::isOpen));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openDescriptors()).isLessThanOrEqualTo(before));
	}

	@Test
	void aRunOfGoodAndBadMessagesWithDescriptorsLeaksNone() throws Exception {
		long before = openDescriptors();
		String answers = python(List.of(), "mixed", "25");
		assertThat(answers).contains("\"ok\"", StandardErrors.INVALID_PARAMETER, StandardErrors.HANDLER_FAILED,
				"org.varlink.service.MethodNotFound", "dev.peergate.ProtocolError");
		assertThat(this.fixture.events).contains("protocol:descriptors", "protocol:malformed");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(openDescriptors()).isLessThanOrEqualTo(before));
	}

	@Test
	void leavesOpenADescriptorTheHandlerTookOver() throws Exception {
		record Target(IpcFileDescriptor target) {
		}
		client().call("com.example.files.Keep",
				new Target(IpcFileDescriptor.open(Path.of("/dev/null"), StandardOpenOption.READ)));
		assertThat(this.handlers.kept).hasSize(1);
		int kept = this.handlers.kept.get(0);
		assertThat(Files.exists(Path.of("/proc/self/fd/" + kept))).isTrue();
		IpcFileDescriptor.adopt(kept).close();
	}

	@Test
	void refusesAnIndexBeyondTheDescriptorsThatCame() throws Exception {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> client().call("com.example.files.Echo", Map.of("target", 3)))
			.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.INVALID_PARAMETER))
			.satisfies(error -> assertThat(error.parameters()).containsEntry("parameter", "target"));
	}

	@Test
	void refusesAMessageWithMoreDescriptorsThanTheLimitAndServesOneAtTheLimit() throws Exception {
		long before = openDescriptors();
		String answer = python(List.of(), "too-many", "9");
		assertThat(answer).contains("dev.peergate.ProtocolError").contains("more than 8 file descriptors");
		assertThat(this.fixture.events).contains("protocol:descriptors");
		assertThat(python(List.of(), "too-many", "8")).contains("\"text\": \"x\"");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openDescriptors()).isLessThanOrEqualTo(before));
	}

	@Test
	void refusesDescriptorsThatDoNotComeWithTheFirstByteOfAMessage() throws Exception {
		long before = openDescriptors();
		assertThat(python(List.of(), "out-of-place", "")).contains("ProtocolError")
			.contains("first byte of a message");
		assertThat(this.fixture.events).contains("protocol:descriptors");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openDescriptors()).isLessThanOrEqualTo(before));
	}

	@Test
	void peersHoardingDescriptorsInCallsTheyNeverReadDoNotStopOthersAndLeakNothing() throws Exception {
		VarlinkClient bystander = client();
		bystander.call("com.example.files.Plain", Map.of("text", "warm"));
		long before = openDescriptors();
		Process hoarder = new ProcessBuilder(PythonPeer.PYTHON, "-c", SCRIPT, this.socket.toString(), "hoard", "32")
			.redirectErrorStream(true)
			.start();
		AtomicBoolean attacking = new AtomicBoolean(true);
		AtomicInteger served = new AtomicInteger();
		Path file = Files.writeString(this.directory.resolve("bystander"), "still served");
		record File(IpcFileDescriptor file) {
		}
		CompletableFuture<Void> calls = CompletableFuture.runAsync(() -> {
			while (attacking.get()) {
				try (IpcFileDescriptor got = bystander
					.call("com.example.files.OpenFile", Map.of("name", "bystander"), File.class)
					.file()) {
					assertThat(Files.readString(got.path())).isEqualTo("still served");
					served.incrementAndGet();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}
		});
		try {
			String line = new String(hoarder.getInputStream().readNBytes(5), StandardCharsets.UTF_8);
			assertThat(line).isEqualTo("sent\n".substring(0, 5));
			int servedBefore = served.get();
			await().atMost(Duration.ofSeconds(20)).until(() -> served.get() > servedBefore + 20);
		}
		finally {
			attacking.set(false);
			hoarder.destroy();
			hoarder.waitFor(10, TimeUnit.SECONDS);
		}
		calls.get(20, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(openDescriptors()).isLessThanOrEqualTo(before));
	}

	@Test
	void refusesToStartWhenItsMethodsPassDescriptorsButTheLimitIsZero() throws Exception {
		UnixListenerOptions zero = UnixListenerOptions.defaults(this.directory.resolve("zero.sock"))
			.withMaxFdsPerMessage(0);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> fixture(zero, Duration.ofSeconds(10)))
			.satisfies(ex -> assertThat(causes(ex)).contains(
					"peergate.listeners.files.limits.max-fds-per-message is 0 (no descriptor passing), but "
							+ "com.example.files.Echo takes or returns a file descriptor"));
	}

	@Test
	void aHandlerThatOutlivesItsTimeoutKeepsTheDescriptorUntilItReturns() throws Exception {
		Path slowSocket = this.directory.resolve("slow.sock");
		ListenerFixture slow = fixture(UnixListenerOptions.defaults(slowSocket), Duration.ofMillis(300));
		Path file = Files.writeString(this.directory.resolve("late"), "");
		try (VarlinkClient client = VarlinkClient.builder(slowSocket).maxFdsPerMessage(8).connect()) {
			record Write(IpcFileDescriptor target, String text) {
			}
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> client.call("com.example.files.LateWrite",
						new Write(IpcFileDescriptor.open(file, StandardOpenOption.WRITE), "written after the timeout")))
				.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.HANDLER_TIMEOUT));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Files.readString(file)).isEqualTo("written after the timeout"));
		}
		finally {
			slow.close();
		}
	}

	/** A listener called "files", open to any peer, serving the file handlers. */
	private ListenerFixture fixture(UnixListenerOptions options, Duration handlerTimeout) throws Exception {
		return new ListenerFixture("files", options, PeerRequirement.anyPeer(),
				HandlerLimits.timeoutOnly(handlerTimeout), new LinuxPeerInspector(new ExecutableDigests(16)),
				List.of(this.handlers));
	}

	private VarlinkClient client() {
		VarlinkClient client = VarlinkClient.builder(this.socket).maxFdsPerMessage(8).connect();
		this.clients.add(client);
		return client;
	}

	private String python(List<String> prefix, String mode, String argument) throws Exception {
		List<String> command = new ArrayList<>(prefix);
		command.addAll(List.of(PythonPeer.PYTHON, "-c", SCRIPT, this.socket.toString(), mode, argument));
		return run(command);
	}

	private static String run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s ended", command).isTrue();
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
	}

	/**
	 * This process's open descriptors. A leak check awaits the count back at or below the count before: not equal
	 * to it, since a descriptor counted before (a child process's pipe, an earlier test's client) may close later.
	 */
	private static long openDescriptors() throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.count();
		}
	}

	private static String causes(Throwable failure) {
		StringBuilder text = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			text.append(cause.getMessage()).append('\n');
		}
		return text.toString();
	}

}
