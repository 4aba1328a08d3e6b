package dev.peergate.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import dev.peergate.requirement.facts.FactRequirements;
import dev.peergate.requirement.facts.IdResolver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What tests with real peers in other processes share: root and the tools to start peers as other users, a socket
 * every user can reach, and a listener with the requirement a user would write under {@code requirement.linux},
 * built by the production {@link FactRequirements} (which also decides which facts the listener gathers).
 */
abstract class RealPeerListenerTests {

	static final String ECHO = "dev.peergate.test.Echo";

	@TempDir
	Path dir;

	Path socket;

	@BeforeAll
	static void needsRootAndTools() {
		LinuxAssumptions.assumeRoot();
		LinuxAssumptions.assumePidfd();
		LinuxAssumptions.assumeTool(PythonPeer.PYTHON);
		LinuxAssumptions.assumeTool(PythonPeer.SETPRIV);
	}

	@BeforeEach
	void openDirectory() throws IOException {
		// Peers under other uids must traverse the directory and write to the socket.
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.socket = this.dir.resolve("s.sock");
	}

	ListenerFixture listener(Map<String, ?> linux) throws Exception {
		return new ListenerFixture(UnixListenerOptions.defaults(this.socket).withMode("0666"),
				FactRequirements.linux(linux, "peergate.listeners.test.requirement.linux", IdResolver.system()),
				Duration.ofSeconds(5));
	}

}
