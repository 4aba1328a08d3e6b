package dev.peergate.unix;

import java.nio.file.Path;
import java.time.Duration;

import dev.peergate.core.PeerRequirement;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;

/**
 * A service started by {@code systemd-socket-activate}: it must adopt the inherited listening socket (fd 3,
 * {@code LISTEN_FDNAMES=test}, the fixture's listener name) instead of binding, then serve until killed.
 */
public final class ActivationScenario {

	private ActivationScenario() {
	}

	public static void main(String[] args) throws Exception {
		Path socket = Path.of(args[0]);
		ListenerFixture fixture = new ListenerFixture(UnixListenerOptions.defaults(socket), PeerRequirement.anyPeer(),
				Duration.ofSeconds(5), new LinuxPeerInspector(new ExecutableDigests(4)));
		System.out.println("ACTIVATED=" + fixture.listener.isSocketActivated());
		System.out.flush();
		Thread.sleep(60_000);
		fixture.close();
	}

}
