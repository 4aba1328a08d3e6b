package dev.peergate.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.core.Gate;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.Verdict;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.requirement.facts.FactRequirements;
import dev.peergate.requirement.facts.IdResolver;
import dev.peergate.unix.UnixListener;
import dev.peergate.unix.UnixListenerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client verifies the server with the same requirement languages a listener verifies its peers with: the
 * server's uid and executable, read through its pidfd; a server that fails is refused before anything is sent.
 */
class ServerRequirementTests {

	private final long ownUid = new com.sun.security.auth.module.UnixSystem().getUid();

	private final String java = ProcessHandle.current().info().command().orElseThrow();

	private final List<Verdict> serverSaw = new CopyOnWriteArrayList<>();

	@TempDir
	Path directory;

	private UnixListener server;

	private Path socket;

	@BeforeEach
	void startServer() throws Exception {
		this.socket = this.directory.resolve("server.sock");
		Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(new TypedClientsTests.GreeterService())),
				HandlerExecutor.platform(2, 8), Duration.ofSeconds(10), CallObserver.none());
		this.server = new UnixListener("server", UnixListenerOptions.defaults(this.socket),
				new Gate("server", UnixListener.detectMechanism(), PeerRequirement.anyPeer(), this.serverSaw::add),
				dispatcher, TransportEvents.none());
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(Duration.ofSeconds(1));
	}

	@Test
	void connectsToAServerThatSatisfiesTheRequirement() {
		PeerRequirement requirement = FactRequirements.linux(
				Map.of("uid", this.ownUid, "executable-path", this.java), "server-requirement", IdResolver.system());
		try (VarlinkClient client = VarlinkClient.builder(this.socket).serverRequirement(requirement).connect()) {
			assertThat(client.call("com.example.greeter.Greet", Map.of("name", "Ada"))).containsEntry("text", "Hello, Ada");
		}
	}

	@Test
	void refusesAServerRunningAnotherExecutableBeforeSendingAnything() throws Exception {
		PeerRequirement requirement = FactRequirements.linux(Map.of("executable-path", "/usr/libexec/real-helper"),
				"server-requirement", IdResolver.system());
		assertThatExceptionOfType(ServerVerificationException.class)
			.isThrownBy(() -> VarlinkClient.builder(this.socket).serverRequirement(requirement).connect())
			.withMessageContaining("Refusing server at " + this.socket)
			.withMessageContaining("executable-path: expected \"/usr/libexec/real-helper\", peer has \"" + this.java + "\"")
			.withMessageEndingWith("nothing was sent");
		Thread.sleep(200);
		// the server saw a connection but no call
		assertThat(this.serverSaw).allSatisfy((verdict) -> assertThat(verdict.accepted()).isTrue());
	}

	@Test
	void refusesAServerOfAnotherUser() {
		PeerRequirement requirement = FactRequirements.linux(Map.of("uid", this.ownUid + 1), "server-requirement",
				IdResolver.system());
		assertThatExceptionOfType(ServerVerificationException.class)
			.isThrownBy(() -> VarlinkClient.builder(this.socket).serverRequirement(requirement).connect())
			.withMessageContaining("[requirement-not-satisfied]")
			.withMessageContaining("uid: expected " + (this.ownUid + 1));
	}

}
