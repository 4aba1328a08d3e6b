package dev.peergate.client;

import java.nio.file.Path;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;

/**
 * Verifies the server of a client connection against a requirement, the way a listener verifies its peers: the
 * kernel's credentials of the connected socket, the server's pidfd, and the facts read through it. Runs before
 * anything is sent; a server that fails is refused with the clause that failed.
 */
final class ServerVerification {

	private static final ExecutableDigests DIGESTS = new ExecutableDigests(16);

	private ServerVerification() {
	}

	static void verify(Channel channel, Path socket, ServerCredentials server, PeerRequirement requirement) {
		if (!(channel instanceof EpollDomainSocketChannel domain)) {
			throw new ServerVerificationException("Refusing server at " + socket + ": a server requirement needs "
					+ "Linux (SO_PEERCRED and a pidfd of the server); nothing was sent", server);
		}
		Evaluation evaluation;
		try (PeerCredentials credentials = new LinuxPeerInspector(DIGESTS).forRequirement(requirement)
			.capture(domain)
			.verify()) {
			evaluation = requirement.evaluate(credentials);
		}
		catch (java.io.IOException | RuntimeException ex) {
			throw new ServerVerificationException("Refusing server at " + socket + ": it could not be verified ("
					+ ex.getMessage() + "); nothing was sent", server);
		}
		if (!evaluation.satisfied()) {
			throw new ServerVerificationException("Refusing server at " + socket + " [" + evaluation.reason().tag()
					+ "]: " + evaluation.explanation() + "; nothing was sent", server);
		}
	}

}
