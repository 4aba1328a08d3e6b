package dev.peergate.unix.peer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.peergate.core.FactNames;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.kqueue.KQueueDomainSocketChannel;
import io.netty.channel.unix.DomainSocketChannel;

/**
 * Peer identification where no pidfd exists (macOS, BSD through kqueue): Netty's {@code peerCredentials()}
 * ({@code LOCAL_PEERCRED}) gives the uid and groups, which are verified facts; every process fact is unverified,
 * so requirements on them fail closed.
 *
 * <pre>{@code
 * PeerInspector inspector = new NettyPeerInspector();
 * }</pre>
 */
public final class NettyPeerInspector implements PeerInspector {

	private static final String NO_PROCESS_HANDLE = "this platform gives no race-free handle on a Unix-socket peer";

	@Override
	public Mechanism mechanism() {
		return Mechanism.PEERCRED;
	}

	@Override
	public PeerCapture capture(DomainSocketChannel channel) throws IOException {
		io.netty.channel.unix.PeerCredentials credentials;
		if (channel instanceof KQueueDomainSocketChannel kqueue) {
			credentials = kqueue.peerCredentials();
		}
		else if (channel instanceof EpollDomainSocketChannel epoll) {
			credentials = epoll.peerCredentials();
		}
		else {
			throw new IOException("No peer credentials for " + channel.getClass().getName());
		}
		int[] gids = credentials.gids();
		long gid = (gids.length > 0) ? Integer.toUnsignedLong(gids[0]) : -1;
		List<Long> groups = new ArrayList<>();
		for (int i = 1; i < gids.length; i++) {
			groups.add(Integer.toUnsignedLong(gids[i]));
		}
		long uid = Integer.toUnsignedLong(credentials.uid());
		long pid = credentials.pid();
		return new PeerCapture() {

			@Override
			public long pidHint() {
				return pid;
			}

			@Override
			public long uid() {
				return uid;
			}

			@Override
			public PeerCredentials verify() {
				PeerFacts.Builder facts = PeerFacts.builder()
					.verified(FactNames.UID, uid)
					.verified(FactNames.GID, gid)
					.verified(FactNames.GROUPS, List.copyOf(groups));
				for (String name : List.of(FactNames.EXECUTABLE_PATH, FactNames.EXECUTABLE_SHA256,
						FactNames.SYSTEMD_UNIT)) {
					facts.unverified(name, NO_PROCESS_HANDLE);
				}
				return PeerCredentials.builder("unix").uid(uid).gid(gid).groups(groups).pidHint(pid).facts(facts.build())
					.build();
			}

			@Override
			public PeerCredentials verifyWithoutBlocking() {
				return verify(); // only what the socket told at capture
			}

			@Override
			public void close() {
			}

		};
	}

}
