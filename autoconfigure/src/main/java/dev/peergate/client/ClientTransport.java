package dev.peergate.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueDomainSocketChannel;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.unix.PeerCredentials;

/** The native socket transport of this OS: epoll on Linux, kqueue on macOS. */
final class ClientTransport {

	final IoHandlerFactory factory;

	final Class<? extends Channel> channelType;

	private ClientTransport(IoHandlerFactory factory, Class<? extends Channel> channelType) {
		this.factory = factory;
		this.channelType = channelType;
	}

	static ClientTransport detect() {
		if (Epoll.isAvailable()) {
			return new ClientTransport(EpollIoHandler.newFactory(), EpollDomainSocketChannel.class);
		}
		if (KQueue.isAvailable()) {
			return new ClientTransport(KQueueIoHandler.newFactory(), KQueueDomainSocketChannel.class);
		}
		throw new VarlinkClientException("No native Unix-socket transport: epoll unavailable ("
				+ Epoll.unavailabilityCause() + "), kqueue unavailable (" + KQueue.unavailabilityCause() + ")");
	}

	PeerCredentials credentials(Channel channel) throws IOException {
		if (channel instanceof EpollDomainSocketChannel epoll) {
			return epoll.peerCredentials();
		}
		return ((KQueueDomainSocketChannel) channel).peerCredentials();
	}

	/** What the kernel reports about the server at the other end of {@code channel}. */
	ServerCredentials server(Channel channel) {
		try {
			PeerCredentials credentials = credentials(channel);
			List<Long> gids = new ArrayList<>();
			for (int gid : credentials.gids()) {
				gids.add(Integer.toUnsignedLong(gid));
			}
			return new ServerCredentials(Integer.toUnsignedLong(credentials.uid()), gids,
					(credentials.pid() > 0) ? credentials.pid() : -1);
		}
		catch (IOException ex) {
			channel.close();
			throw new VarlinkClientException("Could not read the credentials of the server: " + ex.getMessage(), ex);
		}
	}

}
