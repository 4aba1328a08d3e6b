package dev.peergate.unix;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import dev.peergate.core.Gate;
import dev.peergate.core.ListenerState;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.VerdictSink;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** Where the socket file may be created, when an existing one may be replaced, and that stop removes ours. */
class SocketFileSafetyTests {

	@TempDir
	Path dir;

	@BeforeAll
	static void linuxOnly() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	private static UnixListener listener(Path socket) {
		Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(java.util.List.of(new TestHandlers())),
				HandlerExecutor.platform(1, 1), Duration.ofSeconds(1), CallObserver.none());
		LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(1));
		return new UnixListener("safety", UnixListenerOptions.defaults(socket),
				new Gate("safety", inspector.mechanism(), PeerRequirement.anyPeer(), VerdictSink.none()), dispatcher,
				TransportEvents.none(), inspector);
	}

	private static UnixListener listener(UnixListenerOptions options) {
		Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(java.util.List.of(new TestHandlers())),
				HandlerExecutor.platform(1, 1), Duration.ofSeconds(1), CallObserver.none());
		LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(1));
		return new UnixListener("safety", options,
				new Gate("safety", inspector.mechanism(), PeerRequirement.anyPeer(), VerdictSink.none()), dispatcher,
				TransportEvents.none(), inspector);
	}

	@Test
	void createsSocketWithTheConfiguredMode() throws Exception {
		Path socket = this.dir.resolve("s.sock");
		UnixListener listener = listener(UnixListenerOptions.defaults(socket).withMode("0600"));
		listener.start();
		try {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
			assertThat(Files.list(this.dir)).as("no staging directory is left behind").containsExactly(socket);
		}
		finally {
			listener.stop(Duration.ZERO);
		}
	}

	@Test
	void refusesDirectoryWritableByOthersWithoutStickyBit() throws Exception {
		Path open = Files.createDirectory(this.dir.resolve("open"));
		Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
		UnixListener listener = listener(open.resolve("s.sock"));
		assertThatException().isThrownBy(listener::start).withMessageContaining("writable by others without the sticky bit");
		assertThat(listener.state()).isEqualTo(ListenerState.FAILED);
		assertThat(Files.list(open)).isEmpty();
	}

	@Test
	void refusesDirectoryOwnedByAnotherUser() throws Exception {
		LinuxAssumptions.assumeRoot();
		Path foreign = Files.createDirectory(this.dir.resolve("foreign"));
		Files.setAttribute(foreign, "unix:uid", 1234);
		UnixListener listener = listener(foreign.resolve("s.sock"));
		assertThatException().isThrownBy(listener::start).withMessageContaining("belongs to uid 1234");
	}

	@Test
	void acceptsDirectoryWritableByOthersWithStickyBit() throws Exception {
		Path sticky = Files.createDirectory(this.dir.resolve("sticky"));
		Files.setAttribute(sticky, "unix:mode", 01777);
		UnixListener listener = listener(sticky.resolve("s.sock"));
		listener.start();
		listener.stop(Duration.ZERO);
		assertThat(listener.state()).isEqualTo(ListenerState.STOPPED);
	}

	@Test
	void refusesSymbolicLinkAtTheSocketPath() throws Exception {
		Path target = this.dir.resolve("elsewhere.sock");
		Path link = Files.createSymbolicLink(this.dir.resolve("s.sock"), target);
		UnixListener listener = listener(link);
		assertThatException().isThrownBy(listener::start).withMessageContaining("symbolic link");
		assertThat(Files.exists(target)).isFalse();
	}

	@Test
	void refusesRegularFileAtTheSocketPath() throws Exception {
		Path file = Files.writeString(this.dir.resolve("s.sock"), "precious");
		UnixListener listener = listener(file);
		assertThatException().isThrownBy(listener::start).withMessageContaining("not a socket");
		assertThat(Files.readString(file)).isEqualTo("precious");
	}

	@Test
	void refusesToStartWhereALiveListenerAnswers() throws Exception {
		Path socket = this.dir.resolve("s.sock");
		try (ListenerFixture live = ListenerFixture.anyPeer(socket)) {
			UnixListener second = listener(socket);
			assertThatException().isThrownBy(second::start).withMessageContaining("live listener");
			live.assertServesWellBehavedClient();
		}
	}

	@Test
	void replacesAStaleSocketNobodyAnswersOn() throws Exception {
		Path socket = this.dir.resolve("s.sock");
		try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			stale.bind(UnixDomainSocketAddress.of(socket));
		}
		assertThat(socket).exists(); // the JDK leaves the file behind, as a crashed process would
		try (ListenerFixture fixture = ListenerFixture.anyPeer(socket)) {
			fixture.assertServesWellBehavedClient();
		}
	}

	@Test
	void leavesAFileThatReplacedItsSocketAloneOnStop() throws Exception {
		Path socket = this.dir.resolve("s.sock");
		UnixListener listener = listener(socket);
		listener.start();
		Files.delete(socket);
		Files.writeString(socket, "someone else's");
		listener.stop(Duration.ZERO);
		assertThat(Files.readString(socket)).isEqualTo("someone else's");
	}

	@Test
	void refusesAnInvalidMode() {
		assertThatException().isThrownBy(() -> UnixListenerOptions.defaults(this.dir.resolve("s")).withMode("0999"))
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("octal");
		assertThatException().isThrownBy(() -> UnixListenerOptions.defaults(this.dir.resolve("s")).withMode("4755"))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
