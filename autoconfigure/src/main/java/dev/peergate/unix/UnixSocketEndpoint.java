package dev.peergate.unix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.ListenerLifecycle;
import dev.peergate.unix.descriptor.DescriptorPassing;
import dev.peergate.unix.jna.LinuxNative;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The socket of a Unix listener: binds it (mode set before it is reachable) or adopts systemd's, runs the event
 * loop and the verification and decoding threads, and closes it all again. The lifecycle steps of
 * {@link ListenerLifecycle} for the Unix transport.
 */
final class UnixSocketEndpoint implements ListenerLifecycle.Endpoint {

	/**
	 * Reading from a connection stops, and its streams pause, while more than the high mark of its replies wait
	 * for the peer to read them; both resume below the low mark.
	 */
	static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

	/** Rejects every task: the threads of an endpoint that is not open. */
	static final ExecutorService NO_THREADS = closedPool();

	private final ConnectionServices services;

	private @Nullable EventLoopGroup group;

	private @Nullable Channel serverChannel;

	private long @Nullable [] socketIdentity;

	private volatile boolean activated;

	UnixSocketEndpoint(ConnectionServices services) {
		this.services = services;
	}

	/** Whether the socket was passed by systemd rather than bound here. */
	boolean activated() {
		return this.activated;
	}

	@Override
	public void open() throws Exception {
		boolean epoll = Epoll.isAvailable();
		IoHandlerFactory factory;
		if (epoll) {
			factory = EpollIoHandler.newFactory(0, SpinWhileHandlersRun::new); // 0: Netty's default batch of events
		}
		else if (KQueue.isAvailable()) {
			factory = KQueueIoHandler.newFactory();
		}
		else {
			throw new IllegalStateException("Neither epoll nor kqueue is available for Unix sockets",
					Epoll.unavailabilityCause());
		}
		UnixListenerOptions options = this.services.options;
		int descriptors = descriptorsPerMessage(epoll);
		this.services.maxFdsPerMessage = descriptors;
		this.group = new MultiThreadIoEventLoopGroup(options.ioThreads(), factory);
		this.services.verifier = pool("peergate-verify-" + this.services.listener + "-", 2);
		this.services.decoder = pool("peergate-decode-" + this.services.listener + "-", 1);
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.group)
			.childOption(ChannelOption.AUTO_READ, false) // nothing is read before the gate decided
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
			.childHandler(new ChannelInitializer<Channel>() {

				@Override
				protected void initChannel(Channel channel) {
					if (descriptors > 0) {
						channel.pipeline().addLast("descriptors", new DescriptorPassing(descriptors));
					}
					channel.pipeline().addLast("bytes", new ByteCounter());
					Duration idle = options.idleTimeout();
					Duration frame = options.frameTimeout();
					if (!idle.isZero() || !frame.isZero()) {
						channel.pipeline().addLast("deadlines", new ConnectionDeadlines(idle.toNanos(), frame.toNanos()));
					}
					channel.pipeline()
						.addLast("frames", new NulFrameDecoder(options.maxMessageSize()))
						.addLast("varlink", new VarlinkConnection(UnixSocketEndpoint.this.services));
				}

			});
		OptionalInt inherited = (options.socketActivation() && epoll && LinuxNative.isSupported())
				? SocketActivation.find(this.services.listener) : OptionalInt.empty();
		if (inherited.isPresent()) {
			int fd = inherited.getAsInt();
			SocketActivation.validate(LinuxNative.get(), fd);
			bootstrap.channelFactory(() -> new EpollServerDomainSocketChannel(fd, true));
			this.serverChannel = bootstrap.register().sync().channel();
			this.activated = true;
			return;
		}
		bootstrap.channelFactory(epoll ? EpollServerDomainSocketChannel::new : KQueueServerDomainSocketChannel::new);
		bind(bootstrap);
	}

	/**
	 * How many file descriptors a message may carry on this listener: none unless a method served here takes or
	 * returns one, then the configured limit, which must not be 0.
	 */
	private int descriptorsPerMessage(boolean epoll) {
		List<String> methods = this.services.dispatcher.registry().descriptorMethods(this.services.listener);
		if (methods.isEmpty()) {
			return 0;
		}
		String property = "peergate.listeners." + this.services.listener + ".limits.max-fds-per-message";
		if (this.services.options.maxFdsPerMessage() == 0) {
			throw new IllegalStateException(property + " is 0 (no descriptor passing), but " + methods.get(0)
					+ " takes or returns a file descriptor; set it to the most descriptors one message carries, e.g. 8");
		}
		if (!epoll) {
			throw new IllegalStateException("Passing file descriptors (" + methods.get(0)
					+ ") needs Linux (epoll); on macOS serve it over XPC");
		}
		return this.services.options.maxFdsPerMessage();
	}

	/**
	 * Binds in a private directory next to the target, sets the mode, then renames the socket into place: the
	 * socket is never reachable at its path with other permissions than the configured ones.
	 */
	private void bind(ServerBootstrap bootstrap) throws Exception {
		Path path = this.services.options.path().toAbsolutePath();
		Path parent = Objects.requireNonNull(path.getParent());
		if (!Files.exists(parent)) {
			Files.createDirectories(parent);
		}
		SocketFile.prepare(path);
		Path staging = Files.createTempDirectory(parent, ".peergate-");
		try {
			Path bound = staging.resolve("s");
			this.serverChannel = bootstrap.bind(new DomainSocketAddress(bound.toString())).sync().channel();
			Files.setPosixFilePermissions(bound, SocketFile.parseMode(this.services.options.mode()));
			Files.move(bound, path, StandardCopyOption.ATOMIC_MOVE);
			this.socketIdentity = SocketFile.identity(path);
		}
		finally {
			Files.deleteIfExists(staging.resolve("s"));
			Files.deleteIfExists(staging);
		}
	}

	@Override
	public void stopAccepting() {
		Channel server = this.serverChannel;
		if (server != null) {
			server.close().syncUninterruptibly();
		}
		removeSocketFile();
	}

	/** Every call still in flight is answered; each connection closes once its replies are written. */
	@Override
	public void cutCalls(long deadline) {
		List<ChannelFuture> closing = new ArrayList<>();
		for (VarlinkConnection connection : this.services.connections) {
			closing.add(connection.finishDrain());
		}
		for (ChannelFuture close : closing) {
			close.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void release() {
		for (VarlinkConnection connection : this.services.connections) {
			connection.close();
		}
		stopAccepting();
		EventLoopGroup loops = this.group;
		if (loops != null) {
			loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
		}
		this.services.decoder.shutdownNow(); // the connections are closed: nobody waits for what it decodes
		ExecutorService verifier = this.services.verifier;
		verifier.shutdown(); // verdicts decided before the stop are still reported
		try {
			if (!verifier.awaitTermination(2, TimeUnit.SECONDS)) {
				verifier.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			verifier.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public int openConnections() {
		return this.services.connections.size();
	}

	private void removeSocketFile() {
		long[] identity = this.socketIdentity;
		if (identity != null && !this.activated) {
			SocketFile.removeIfOurs(this.services.options.path().toAbsolutePath(), identity);
			this.socketIdentity = null;
		}
	}

	/**
	 * Daemon threads that end when idle. Their queue is not bounded here: the tasks are bounded by their callers
	 * (one verification per connection being verified, one decoding per connection).
	 */
	private static ExecutorService pool(String prefix, int threads) {
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (runnable) -> {
					Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	private static ExecutorService closedPool() {
		ExecutorService pool = new ThreadPoolExecutor(0, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
		pool.shutdown();
		return pool;
	}

}
