package dev.peergate.xpc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.IpcCallers;
import dev.peergate.client.XpcClient;
import dev.peergate.handler.IpcClients;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.Pipes;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * File descriptors over XPC (the libxpc ABI simulator, real descriptors): a record component of type
 * {@link IpcFileDescriptor} travels as an {@code xpc_fd}; whatever happens to the call, this process ends with as
 * many open descriptors as it began with.
 */
class XpcFileDescriptorTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	private final FileService files = new FileService();

	@TempDir
	Path directory;

	@Test
	void handsTheCallerADescriptorOfAFileItCouldNotOpen() throws Exception {
		Path secret = hideSecret("only the helper may read this");
		run(8, (fixture, client, pipe) -> {
			Map<String, @Nullable Object> reply = client.call("com.example.files.OpenSecret", Map.of("name", "report"));
			try (IpcFileDescriptor file = (IpcFileDescriptor) reply.get("file")) {
				assertThat(Files.exists(secret)).as("the file has no name left to open").isFalse();
				assertThat(Files.readString(file.path())).isEqualTo("only the helper may read this");
			}
		});
	}

	@Test
	void writesIntoThePipeTheCallerPassed() throws Exception {
		run(8, (fixture, client, pipe) -> {
			IpcFileDescriptor sent = pipe.writeEnd().duplicate();
			assertThat(client.call("com.example.files.WriteTo", Map.of("out", sent, "text", "hello")))
				.containsEntry("bytes", 5L);
			assertThat(sent.isOpen()).as("the client took the descriptor over and closed it").isFalse();
			assertThat(Pipes.read(pipe.readEnd(), 16)).isEqualTo("hello");
		});
	}

	@Test
	void refusesAMessageCarryingMoreDescriptorsThanTheLimitAndLeavesNoneOpen() throws Exception {
		run(2, (fixture, client, pipe) -> {
			Map<String, Object> parameters = new LinkedHashMap<>();
			parameters.put("out", pipe.writeEnd().duplicate());
			parameters.put("text", "three is one too many");
			parameters.put("spare", List.of(pipe.writeEnd().duplicate(), pipe.writeEnd().duplicate()));
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> client.call("com.example.files.WriteTo", parameters))
				.satisfies((error) -> {
					assertThat(error.name()).isEqualTo(StandardErrors.PROTOCOL_ERROR);
					assertThat(error.parameters()).containsEntry("limit", "max-fds-per-message")
						.containsEntry("value", 2L);
				});
			assertThat(fixture.limits).containsExactly("helper/max-fds-per-message");
			assertThat(this.files.calls).hasValue(0);
		});
	}

	@Test
	void closesTheDescriptorsOfACallWhoseHandlerThrows() throws Exception {
		run(8, (fixture, client, pipe) -> {
			assertRefused(client, StandardErrors.HANDLER_FAILED, "com.example.files.FailAfterReceiving",
					Map.of("out", pipe.writeEnd().duplicate(), "text", "nothing"));
			IpcFileDescriptor received = this.files.lastReceived;
			assertThat(received).isNotNull();
			await().atMost(Duration.ofSeconds(10)).until(() -> !received.isOpen());
		});
	}

	@Test
	void leavesOpenADescriptorTheHandlerReleased() throws Exception {
		run(8, (fixture, client, pipe) -> {
			long before = pipe.references();
			Map<String, @Nullable Object> reply = client.call("com.example.files.Keep",
					Map.of("out", pipe.writeEnd().duplicate(), "text", ""));
			int kept = ((Long) reply.get("number")).intValue();
			// the call has ended once the descriptors Peergate owned are gone; the kept one must stay
			await().atMost(Duration.ofSeconds(10)).until(() -> pipe.references() == before + 1);
			try (IpcFileDescriptor taken = IpcFileDescriptor.adopt(kept)) {
				Pipes.write(taken, "still mine");
				assertThat(Pipes.read(pipe.readEnd(), 32)).isEqualTo("still mine");
			}
		});
	}

	@Test
	void leaksNoDescriptorOverARunOfGoodAndBadMessages() throws Exception {
		hideSecret("s");
		run(2, (fixture, client, pipe) -> {
			for (int i = 0; i < 10; i++) {
				client.call("com.example.files.WriteTo", Map.of("out", pipe.writeEnd().duplicate(), "text", "ok"));
				assertThat(Pipes.read(pipe.readEnd(), 8)).isEqualTo("ok");
				((IpcFileDescriptor) client.call("com.example.files.OpenSecret", Map.of("name", "s")).get("file"))
					.close();
				assertRefused(client, StandardErrors.HANDLER_FAILED, "com.example.files.FailAfterReceiving",
						Map.of("out", pipe.writeEnd().duplicate(), "text", "no"));
				assertRefused(client, StandardErrors.PROTOCOL_ERROR, "com.example.files.WriteTo",
						Map.of("out", pipe.writeEnd().duplicate(), "text", "too many",
								"spare", List.of(pipe.writeEnd().duplicate(), pipe.writeEnd().duplicate())));
				// a method that is not a non-empty string: the message is malformed
				assertRefused(client, StandardErrors.PROTOCOL_ERROR, "",
						Map.of("out", pipe.writeEnd().duplicate(), "text", "nameless"));
				assertRefused(client, StandardErrors.PERMISSION_DENIED, "com.example.files.Guarded",
						Map.of("out", pipe.writeEnd().duplicate(), "text", "not for this caller"));
				assertRefused(client, StandardErrors.METHOD_NOT_FOUND, "com.example.files.Shred",
						Map.of("out", pipe.writeEnd().duplicate()));
				// a descriptor where the handler expects text, and none where it expects one
				assertRefused(client, StandardErrors.INVALID_PARAMETER, "com.example.files.WriteTo",
						Map.of("out", "fd 1", "text", pipe.writeEnd().duplicate()));
			}
			// a peer the requirement refuses: its message is never converted, its descriptors go with it
			try (XpcClient stranger = fixture.client(SimPeer.stranger())) {
				assertRefused(stranger, StandardErrors.PERMISSION_DENIED, "com.example.files.WriteTo",
						Map.of("out", pipe.writeEnd().duplicate(), "text", "let me in"));
			}
			// a call still running when its connection is cancelled keeps its descriptor until its handler is done
			try (XpcClient cancelled = fixture.client(SimPeer.teamCli())) {
				CompletableFuture<Map<String, @Nullable Object>> call = cancelled.callAsync("com.example.files.Slow",
						Map.of("out", pipe.writeEnd().duplicate(), "text", ""), false);
				assertThat(this.files.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
				cancelled.close();
				assertThat(call).failsWithin(Duration.ofSeconds(10));
			}
			IpcFileDescriptor held = this.files.lastReceived;
			assertThat(held).isNotNull();
			assertThat(held.isOpen()).as("open while the handler runs").isTrue();
			this.files.release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> !held.isOpen());
		});
	}

	@Test
	void typedClientsSendAndReceiveDescriptors() throws Exception {
		hideSecret("typed secret");
		run(8, (fixture, client, pipe) -> {
			FilesClient api = IpcClients.create(FilesClient.class, IpcCallers.of(client));
			assertThat(api.writeTo(new FileService.WriteTo(pipe.writeEnd().duplicate(), "typed")))
				.isEqualTo(new FileService.Written(5));
			assertThat(Pipes.read(pipe.readEnd(), 16)).isEqualTo("typed");
			try (IpcFileDescriptor file = api.openSecret(new FileService.SecretName("s")).file()) {
				assertThat(Files.readString(file.path())).isEqualTo("typed secret");
			}
		});
	}

	/**
	 * Runs a scenario against the file helper (at most {@code maxFds} descriptors per message) with a pipe and a
	 * warmed-up client, then checks that the process has as many descriptors open as before it and that the
	 * simulator holds no object, fd object or block of it.
	 */
	private void run(int maxFds, Scenario scenario) throws Exception {
		try (XpcFixture fixture = XpcFixture.serving(this.files); Pipes.Pipe pipe = Pipes.open()) {
			fixture.listen(XpcListenerOptions.of("helper", fixture.service, TEAM)
				.withMaxFdsPerMessage(maxFds)
				.withMethodRequirements(Map.of("com.example.files.Guarded",
						XpcRequirement.codeSigning("identifier \"com.example.admin\" and anchor apple generic"))));
			long before;
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				// what the first call opens for good (classes, jars) is not counted
				client.call("com.example.helper.Echo", Map.of("text", "warm"));
				before = Pipes.openDescriptors();
				scenario.run(fixture, client, pipe);
			}
			assertDescriptorsBackTo(before);
			closeSecret();
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	/** What a test does with the helper. */
	@FunctionalInterface
	private interface Scenario {

		void run(XpcFixture fixture, XpcClient client, Pipes.Pipe pipe) throws Exception;

	}

	/** The client's view of the file helper. */
	@IpcInterface("com.example.files")
	interface FilesClient {

		@IpcMethod
		FileService.Written writeTo(FileService.WriteTo call);

		@IpcMethod
		FileService.Opened openSecret(FileService.SecretName name);

	}

	/** A file the helper opens and then unlinks, so that only its descriptor reaches it. */
	private Path hideSecret(String content) throws java.io.IOException {
		Path file = Files.writeString(this.directory.resolve("secret"), content);
		this.files.secret = IpcFileDescriptor.open(file);
		Files.delete(file);
		return file;
	}

	private void closeSecret() {
		IpcFileDescriptor secret = this.files.secret;
		if (secret != null) {
			secret.close();
		}
	}

	private static void assertRefused(XpcClient client, String error, String method, Map<String, ?> parameters) {
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> client.call(method, parameters))
			.satisfies((refusal) -> assertThat(refusal.name()).isEqualTo(error));
	}

	/**
	 * Descriptors are closed on handler threads after the reply: wait for the count to be back at or below the
	 * count before (not equal to it: a descriptor of another thread counted before may close meanwhile).
	 */
	private static void assertDescriptorsBackTo(long before) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(Pipes.openDescriptors()).as("open descriptors").isLessThanOrEqualTo(before));
	}

}
