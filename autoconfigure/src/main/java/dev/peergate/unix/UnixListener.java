package dev.peergate.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.peergate.core.DrainSummary;
import dev.peergate.core.Gate;
import dev.peergate.core.ListenerState;
import dev.peergate.core.LogLimiter;
import dev.peergate.core.LogText;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerListener;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.Verdict;
import dev.peergate.handler.CallContext;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.ReplySink;
import dev.peergate.handler.StandardErrors;
import dev.peergate.unix.jna.LinuxNative;
import dev.peergate.varlink.VarlinkCodec;
import dev.peergate.varlink.VarlinkProtocolException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
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
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;

/**
 * A varlink listener on a Unix-domain socket: Netty epoll on Linux (kqueue on macOS, chosen at runtime),
 * NUL-delimited JSON messages, one {@link Gate#decide} per connection before any message is read.
 * <p>
 * At accept the peer's socket credentials are captured on the I/O thread. When the rest needs nothing that may
 * block — the requirement {@linkplain PeerRequirement#evaluatesInMemory() evaluates in memory}, names and
 * executable digests are cached, what is left are reads of {@code /proc} — the gate decides right there; otherwise
 * on a verification thread, so a slow or paused verification never holds up other clients. Verdicts are reported
 * (metrics, events, endpoint) on a verification thread, and a peer gets no reply before its verdict is reported.
 * A refused peer gets {@value StandardErrors#PERMISSION_DENIED} as the reply to its first call and is disconnected. An accepted peer's
 * calls go to the {@link Dispatcher}; pipelined calls are answered in call order, as varlink requires.
 * <p>
 * Every breach of a limit or of the protocol ends in an error reply or a close, and a {@link TransportEvents}
 * call; it never affects other connections.
 *
 * <pre>{@code
 * UnixListener listener = new UnixListener("helper", UnixListenerOptions.defaults(Path.of("/run/helper/helper.sock")),
 *     new Gate("helper", UnixListener.detectMechanism(), requirement, sink), dispatcher, events);
 * listener.start();
 * ...
 * listener.stop(Duration.ofSeconds(10));
 * }</pre>
 */
public final class UnixListener implements PeerListener {

	private static final System.Logger logger = System.getLogger(UnixListener.class.getName());

	/** How long a refused peer has to send the call that gets the refusal as its reply. */
	static final Duration REFUSED_GRACE = Duration.ofSeconds(2);

	/** How long, after the drain, the final replies have to reach a peer before its connection is closed anyway. */
	static final Duration FINAL_REPLIES_GRACE = Duration.ofSeconds(1);

	/**
	 * Reading from a connection stops, and its streams pause, while more than the high mark of its replies wait
	 * for the peer to read them; both resume below the low mark.
	 */
	static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

	/**
	 * Messages at least this large are decoded on the decoding thread, not the I/O thread: parsing a megabyte takes
	 * milliseconds, which every other connection of the event loop would wait.
	 */
	static final int LARGE_MESSAGE = 64 * 1024;


	private final String name;

	private final UnixListenerOptions options;

	private final Gate gate;

	private final Dispatcher dispatcher;

	private final TransportEvents events;

	private final PeerInspector inspector;

	private final VarlinkCodec codec;

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	private final Admission admission;

	private final LogLimiter encodeFailures = new LogLimiter(Duration.ofMinutes(1));

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	/** Calls answered {@value StandardErrors#SHUTTING_DOWN} because they arrived while the listener stopped. */
	private final AtomicInteger refusedWhileStopping = new AtomicInteger();

	private volatile ListenerState state = ListenerState.NEW;

	private @Nullable EventLoopGroup group;

	private @Nullable Channel serverChannel;

	private @Nullable ExecutorService verifier;

	/** Decodes large messages away from the I/O thread. */
	private @Nullable ExecutorService decoder;

	private long @Nullable [] socketIdentity;

	/** Whether the requirement may be evaluated on the I/O thread ({@link PeerRequirement#evaluatesInMemory()}). */
	private final boolean verifiesOnLoop;

	private boolean activated;

	private volatile @Nullable DrainSummary lastDrain;

	/** A listener identifying peers with the platform's best inspector. */
	public UnixListener(String name, UnixListenerOptions options, Gate gate, Dispatcher dispatcher,
			TransportEvents events) {
		this(name, options, gate, dispatcher, events, defaultInspector());
	}

	/** A listener with an explicit peer inspector. */
	public UnixListener(String name, UnixListenerOptions options, Gate gate, Dispatcher dispatcher,
			TransportEvents events, PeerInspector inspector) {
		this.name = Objects.requireNonNull(name, "'name' must not be null");
		this.options = Objects.requireNonNull(options, "'options' must not be null");
		this.gate = Objects.requireNonNull(gate, "'gate' must not be null");
		this.dispatcher = Objects.requireNonNull(dispatcher, "'dispatcher' must not be null");
		this.events = Objects.requireNonNull(events, "'events' must not be null");
		this.inspector = Objects.requireNonNull(inspector, "'inspector' must not be null")
			.forRequirement(gate.requirement());
		this.codec = new VarlinkCodec(options.maxDepth());
		this.verifiesOnLoop = gate.requirement().evaluatesInMemory();
		this.admission = new Admission(options.maxConnections(), options.maxConnectionsPerUid(), options.maxVerifying());
		if (gate.mechanism() != inspector.mechanism()) {
			logger.log(System.Logger.Level.WARNING, "Listener '" + name + "': gate reports mechanism "
					+ gate.mechanism().tag() + " but peers are identified with " + inspector.mechanism().tag());
		}
	}

	/** The mechanism peers are identified with on this machine: {@code pidfd}, or {@code peercred} without it. */
	public static Mechanism detectMechanism() {
		return LinuxNative.isSupported() ? LinuxPeerInspector.detectMechanism() : Mechanism.PEERCRED;
	}

	private static PeerInspector defaultInspector() {
		return (LinuxNative.isSupported() && Epoll.isAvailable()) ? new LinuxPeerInspector(new ExecutableDigests(256))
				: new NettyPeerInspector();
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String transport() {
		return "unix";
	}

	@Override
	public String address() {
		return this.options.path().toString();
	}

	@Override
	public Gate gate() {
		return this.gate;
	}

	@Override
	public ListenerState state() {
		return this.state;
	}

	@Override
	public int activeConnections() {
		return this.accepted.get();
	}

	/** The options this listener was created with. */
	public UnixListenerOptions options() {
		return this.options;
	}

	/** Whether the socket was passed by systemd rather than bound by us. */
	public boolean isSocketActivated() {
		return this.activated;
	}

	/** Calls of all connections awaiting their final reply. */
	public int callsInFlight() {
		return this.inFlight.get();
	}

	@Override
	public Optional<DrainSummary> lastDrain() {
		return Optional.ofNullable(this.lastDrain);
	}

	@Override
	public synchronized void start() throws Exception {
		if (this.state != ListenerState.NEW) {
			throw new IllegalStateException("Listener '" + this.name + "' is " + this.state.tag() + ", not new");
		}
		try {
			doStart();
			this.state = ListenerState.RUNNING;
			// DEBUG: the application's own start line (PeergateListeners) says the same at INFO
			logger.log(System.Logger.Level.DEBUG, "Peergate listener '" + this.name + "' on " + address()
					+ (this.activated ? " (socket-activated)" : "") + ", peers identified by "
					+ this.inspector.mechanism().tag() + ", requirement: " + this.gate.requirement().describe());
		}
		catch (Exception | Error ex) {
			this.state = ListenerState.FAILED;
			release();
			throw ex;
		}
	}

	private void doStart() throws Exception {
		boolean epoll = Epoll.isAvailable();
		IoHandlerFactory factory;
		if (epoll) {
			factory = EpollIoHandler.newFactory();
		}
		else if (KQueue.isAvailable()) {
			factory = KQueueIoHandler.newFactory();
		}
		else {
			throw new IllegalStateException("Neither epoll nor kqueue is available for Unix sockets",
					Epoll.unavailabilityCause());
		}
		this.group = new MultiThreadIoEventLoopGroup(this.options.ioThreads(), factory);
		this.verifier = pool("peergate-verify-" + this.name + "-", 2);
		this.decoder = pool("peergate-decode-" + this.name + "-", 1);
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.group)
			.childOption(ChannelOption.AUTO_READ, false) // nothing is read before the gate decided
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
			.childHandler(new ChannelInitializer<Channel>() {

				@Override
				protected void initChannel(Channel channel) {
					Duration idle = UnixListener.this.options.idleTimeout();
					Duration frame = UnixListener.this.options.frameTimeout();
					if (!idle.isZero() || !frame.isZero()) {
						channel.pipeline().addLast("deadlines", new ConnectionDeadlines(idle.toNanos(), frame.toNanos()));
					}
					channel.pipeline()
						.addLast("frames", new NulFrameDecoder(UnixListener.this.options.maxMessageSize()))
						.addLast("varlink", new Connection());
				}

			});
		OptionalInt inherited = (this.options.socketActivation() && epoll && LinuxNative.isSupported())
				? SocketActivation.find(this.name) : OptionalInt.empty();
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
	 * Binds in a private directory next to the target, sets the mode, then renames the socket into place: the
	 * socket is never reachable at its path with other permissions than the configured ones.
	 */
	private void bind(ServerBootstrap bootstrap) throws Exception {
		Path path = this.options.path().toAbsolutePath();
		Path parent = Objects.requireNonNull(path.getParent());
		if (!Files.exists(parent)) {
			Files.createDirectories(parent);
		}
		SocketFile.prepare(path);
		Path staging = Files.createTempDirectory(parent, ".peergate-");
		try {
			Path bound = staging.resolve("s");
			Channel channel = bootstrap.bind(new DomainSocketAddress(bound.toString())).sync().channel();
			this.serverChannel = channel;
			Files.setPosixFilePermissions(bound, SocketFile.parseMode(this.options.mode()));
			Files.move(bound, path, StandardCopyOption.ATOMIC_MOVE);
			this.socketIdentity = SocketFile.identity(path);
		}
		finally {
			Files.deleteIfExists(staging.resolve("s"));
			Files.deleteIfExists(staging);
		}
	}

	/**
	 * Stops accepting, lets calls in flight finish for up to the drain timeout while every call that arrives
	 * meanwhile is answered {@value StandardErrors#SHUTTING_DOWN} at once, then answers each call still in flight
	 * {@value StandardErrors#SHUTTING_DOWN} and closes every connection once its replies are written (or after a
	 * second, for a peer that does not read them).
	 */
	@Override
	public void stop(Duration drainTimeout) {
		synchronized (this) {
			if (this.state == ListenerState.NEW) {
				this.state = ListenerState.STOPPED;
				return;
			}
			if (this.state != ListenerState.RUNNING) {
				return;
			}
			this.state = ListenerState.STOPPING;
		}
		long started = System.nanoTime();
		int connectionsAtStart = this.connections.size();
		int callsAtStart = this.inFlight.get();
		Channel server = this.serverChannel;
		if (server != null) {
			server.close().syncUninterruptibly();
		}
		removeSocketFile();
		long deadline = started + drainTimeout.toNanos();
		while (this.inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		int cut = this.inFlight.get();
		List<ChannelFuture> closing = new ArrayList<>();
		for (Connection connection : this.connections) {
			closing.add(connection.finishDrain());
		}
		long closeDeadline = System.nanoTime() + FINAL_REPLIES_GRACE.toNanos();
		for (ChannelFuture close : closing) {
			close.awaitUninterruptibly(Math.max(0, closeDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		release();
		this.lastDrain = new DrainSummary(connectionsAtStart, callsAtStart, cut, this.refusedWhileStopping.get(),
				Duration.ofNanos(System.nanoTime() - started));
		this.state = ListenerState.STOPPED;
	}

	private void removeSocketFile() {
		long[] identity = this.socketIdentity;
		if (identity != null && !this.activated) {
			SocketFile.removeIfOurs(this.options.path().toAbsolutePath(), identity);
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
				new LinkedBlockingQueue<>(), runnable -> {
					Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	private void release() {
		for (Connection connection : this.connections) {
			connection.close();
		}
		Channel server = this.serverChannel;
		if (server != null) {
			server.close().syncUninterruptibly();
		}
		removeSocketFile();
		EventLoopGroup loops = this.group;
		if (loops != null) {
			loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
		}
		ExecutorService decoding = this.decoder;
		if (decoding != null) {
			decoding.shutdownNow(); // the connections are closed: nobody waits for what it decodes
		}
		ExecutorService pool = this.verifier;
		if (pool != null) {
			pool.shutdown(); // verdicts decided before the stop are still reported
			try {
				if (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
					pool.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				pool.shutdownNow();
				Thread.currentThread().interrupt();
			}
		}
	}

	/** One client connection: verification state, the queue of calls in order, limits. */
	private final class Connection extends ChannelInboundHandlerAdapter {

		private final ArrayDeque<Slot> slots = new ArrayDeque<>();

		private @Nullable ChannelHandlerContext ctx;

		private @Nullable Admission.Ticket ticket;

		private Stage stage = Stage.VERIFYING;

		private @Nullable PeerCredentials credentials;

		private @Nullable CallContext callContext;

		private int pending;

		private boolean closeWhenDrained;

		/** A large message is being decoded on the decoding thread; reading waits, later messages queue. */
		private boolean decoding;

		/** Messages read while one was being decoded, in order. */
		private final ArrayDeque<byte[]> waiting = new ArrayDeque<>(0);

		/**
		 * Encoded reply bytes not yet handed to Netty: on their way from a handler thread, or held until every
		 * earlier call got its final reply. Netty counts the rest ({@link #outboundBytes()}).
		 */
		private final AtomicLong buffered = new AtomicLong();

		/** Handler threads waiting in {@link #awaitRoom()} for the peer to read. */
		private final Object room = new Object();

		/** {@link #NOT_REPORTED}, {@link #FLUSH_WAITING} or {@link #REPORTED}; set across threads. */
		private final AtomicInteger reporting = new AtomicInteger(NOT_REPORTED);

		/** Event-loop copy of {@code reporting == REPORTED}. */
		private boolean reported;

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			this.ctx = ctx;
			if (UnixListener.this.state != ListenerState.RUNNING) {
				ctx.close();
				return;
			}
			DomainSocketChannel channel = (DomainSocketChannel) ctx.channel();
			PeerInspector.PeerCapture capture;
			try {
				// who it is first: a connection over a limit is refused before a pidfd is opened or more is read
				PeerInspector.Connector connector = UnixListener.this.inspector.connector(channel);
				Admission.Ticket admitted = UnixListener.this.admission.admit(connector.uid());
				if (admitted.refusedBy() != null) {
					refuseAtAccept(ctx, connector, admitted);
					return;
				}
				this.ticket = admitted;
				capture = UnixListener.this.inspector.capture(channel);
			}
			catch (IOException | RuntimeException ex) {
				ctx.close();
				reportLater(UnixListener.this.gate.refusal(Reason.VERIFICATION_FAILED,
						"could not read the peer's socket credentials: " + ex.getMessage(),
						PeerCredentials.builder("unix").build()));
				return;
			}
			UnixListener.this.connections.add(this);
			if (UnixListener.this.verifiesOnLoop && verifyOnLoop(capture)) {
				return;
			}
			try {
				Objects.requireNonNull(UnixListener.this.verifier).execute(() -> verify(capture));
			}
			catch (RejectedExecutionException ex) {
				capture.close();
				ctx.close();
			}
		}

		/**
		 * Decides here, on the I/O thread, when nothing on the way blocks (see
		 * {@link PeerInspector.PeerCapture#verifyWithoutBlocking()}): that saves the connection two thread
		 * hand-offs. The verdict is reported on a verification thread, where verdict listeners may take their time.
		 */
		private boolean verifyOnLoop(PeerInspector.PeerCapture capture) {
			Decision decision = decide(capture, false);
			if (decision == null) {
				return false;
			}
			decided(decision.peer(), decision.verdict());
			reportLater(decision.verdict());
			return true;
		}

		/** Runs on a verification thread. */
		private void verify(PeerInspector.PeerCapture capture) {
			Decision decision = Objects.requireNonNull(decide(capture, true));
			decideLater(decision.peer(), decision.verdict()); // act first, then report: no waiting for listeners
			report(decision.verdict());
		}

		/** The verified peer and the gate's unreported verdict; {@code null} if verifying would block and may not. */
		private @Nullable Decision decide(PeerInspector.PeerCapture capture, boolean mayBlock) {
			try {
				PeerCredentials peer = mayBlock ? capture.verify() : capture.verifyWithoutBlocking();
				return (peer != null) ? new Decision(peer, UnixListener.this.gate.decide(peer)) : null;
			}
			catch (RuntimeException ex) {
				capture.close();
				PeerCredentials peer = PeerCredentials.builder("unix")
					.uid(capture.uid())
					.pidHint(capture.pidHint())
					.build();
				return new Decision(peer, UnixListener.this.gate.refusal(Reason.VERIFICATION_FAILED,
						"verification failed: " + ex.getClass().getSimpleName() + ": " + ex.getMessage(), peer));
			}
		}

		/** Reports the verdict on a verification thread (the I/O thread does not run verdict listeners). */
		private void reportLater(Verdict verdict) {
			try {
				Objects.requireNonNull(UnixListener.this.verifier).execute(() -> report(verdict));
			}
			catch (RejectedExecutionException ex) {
				report(verdict); // stopping: a verdict is never lost
			}
		}

		/**
		 * Reports the connection's verdict, then lets its replies go out: a peer never gets a reply before its
		 * verdict is in the metrics, events and endpoint.
		 */
		private void report(Verdict verdict) {
			try {
				UnixListener.this.gate.report(verdict);
			}
			finally {
				if (this.reporting.getAndSet(REPORTED) == FLUSH_WAITING) {
					ChannelHandlerContext context = Objects.requireNonNull(this.ctx);
					runOnLoop(context.executor(), this::flush);
				}
			}
		}

		/** Runs on the event loop: whether replies may be written (the verdict is reported). */
		private boolean verdictReported() {
			if (this.reported) {
				return true;
			}
			int state = this.reporting.get();
			boolean nowReported = (state == REPORTED)
					|| (state == NOT_REPORTED && !this.reporting.compareAndSet(NOT_REPORTED, FLUSH_WAITING));
			// a failed compare-and-set means the report finished meanwhile: the only other transition is to REPORTED
			this.reported = nowReported;
			return nowReported;
		}

		/** A limit refused the connection before verification: closed at once, reported as a verdict. */
		private void refuseAtAccept(ChannelHandlerContext ctx, PeerInspector.Connector connector,
				Admission.Ticket refused) {
			UnixListener.this.events.limitExceeded(UnixListener.this.name, Objects.requireNonNull(refused.refusedBy()));
			ctx.close();
			reportLater(UnixListener.this.gate.refusal(Reason.LIMIT_EXCEEDED, refused.explanation(),
					PeerCredentials.builder("unix").uid(connector.uid()).pidHint(connector.pidHint()).build()));
		}

		private void decideLater(PeerCredentials peer, Verdict verdict) {
			ChannelHandlerContext context = Objects.requireNonNull(this.ctx);
			try {
				context.executor().execute(() -> decided(peer, verdict));
			}
			catch (RejectedExecutionException ex) {
				peer.close(); // the event loop is gone: listener stopped
			}
		}

		private void decided(PeerCredentials peer, Verdict verdict) {
			ChannelHandlerContext context = Objects.requireNonNull(this.ctx);
			Objects.requireNonNull(this.ticket).decided(verdict.accepted());
			if (!context.channel().isActive() || this.stage == Stage.CLOSED) {
				peer.close();
				return;
			}
			this.credentials = peer;
			ConnectionDeadlines deadlines = context.pipeline().get(ConnectionDeadlines.class);
			if (deadlines != null) {
				deadlines.touch(); // the peer waited for us, not the other way round
			}
			if (verdict.accepted()) {
				this.stage = Stage.ACCEPTED;
				UnixListener.this.accepted.incrementAndGet();
				this.callContext = new CallContext(UnixListener.this.name, "unix", verdict.peer());
			}
			else {
				this.stage = Stage.REJECTED;
				// A refused peer that sends no call is disconnected after a short grace: it has given back its
				// max-connections slot, but still holds one of its user's max-connections-per-uid.
				context.executor().schedule(() -> {
					if (this.stage == Stage.REJECTED && !this.closeWhenDrained) {
						context.close();
					}
				}, REFUSED_GRACE.toMillis(), TimeUnit.MILLISECONDS);
			}
			if (UnixListener.this.state == ListenerState.RUNNING) {
				context.channel().config().setAutoRead(true);
			}
			else {
				context.close();
			}
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object message) {
			ByteBuf frame = (ByteBuf) message;
			try {
				if (this.closeWhenDrained || this.stage == Stage.CLOSED) {
					return;
				}
				byte[] bytes = ByteBufUtil.getBytes(frame);
				if (this.decoding) {
					this.waiting.add(bytes);
					return;
				}
				receive(bytes);
			}
			finally {
				frame.release();
			}
		}

		private void receive(byte[] frame) {
			if (frame.length >= LARGE_MESSAGE) {
				decodeAside(frame);
				return;
			}
			IpcRequest request;
			try {
				request = UnixListener.this.codec.decodeRequest(frame);
			}
			catch (VarlinkProtocolException ex) {
				protocolFailure(ex.kind().tag(), ex.getMessage());
				return;
			}
			onRequest(request);
		}

		/**
		 * Decodes a large message on the decoding thread while this connection stops reading, then continues on
		 * the event loop with it and with the messages that were already read behind it: call order is kept.
		 */
		private void decodeAside(byte[] frame) {
			ChannelHandlerContext context = Objects.requireNonNull(this.ctx);
			this.decoding = true;
			context.channel().config().setAutoRead(false);
			try {
				Objects.requireNonNull(UnixListener.this.decoder).execute(() -> {
					Object decoded;
					try {
						decoded = UnixListener.this.codec.decodeRequest(frame);
					}
					catch (VarlinkProtocolException ex) {
						decoded = ex;
					}
					Object result = decoded;
					runOnLoop(context.executor(), () -> decoded(result));
				});
			}
			catch (RejectedExecutionException ex) {
				context.close(); // stopping
			}
		}

		/** Runs on the event loop: the request (or protocol error) a large message was decoded into. */
		private void decoded(Object result) {
			this.decoding = false;
			if (this.closeWhenDrained || this.stage == Stage.CLOSED) {
				this.waiting.clear();
				return;
			}
			if (result instanceof VarlinkProtocolException ex) {
				protocolFailure(ex.kind().tag(), ex.getMessage());
			}
			else {
				onRequest((IpcRequest) result);
			}
			byte[] next;
			while (!this.decoding && !this.closeWhenDrained && this.stage != Stage.CLOSED
					&& (next = this.waiting.poll()) != null) {
				receive(next);
			}
			backpressure();
		}

		private void onRequest(IpcRequest request) {
			ChannelHandlerContext context = Objects.requireNonNull(this.ctx);
			if (this.stage == Stage.REJECTED) {
				// A refused peer learns why from the reply to its first call (none for oneway), then is disconnected.
				this.closeWhenDrained = true;
				context.channel().config().setAutoRead(false);
				answerAtOnce(request, StandardErrors.permissionDenied());
				return;
			}
			if (UnixListener.this.state != ListenerState.RUNNING) {
				UnixListener.this.refusedWhileStopping.incrementAndGet();
				answerAtOnce(request, new IpcError(StandardErrors.SHUTTING_DOWN));
				return;
			}
			CallContext call = Objects.requireNonNull(this.callContext);
			if (request.oneway()) {
				onOneway(call, request);
				return;
			}
			if (this.pending >= UnixListener.this.options.maxInFlightPerConnection()) {
				UnixListener.this.events.limitExceeded(UnixListener.this.name, "max-in-flight");
				answerAtOnce(request, new IpcError(StandardErrors.OVERLOADED, Map.of("limit",
						"max-in-flight-per-connection", "value", UnixListener.this.options.maxInFlightPerConnection())));
				backpressure();
				return;
			}
			Slot slot = new Slot();
			this.slots.add(slot);
			this.pending++;
			UnixListener.this.inFlight.incrementAndGet();
			UnixListener.this.dispatcher.dispatch(call, request, new SlotSink(slot));
			backpressure();
		}

		/** Answers a call with an error without running it, in call order (nothing for a oneway call). */
		private void answerAtOnce(IpcRequest request, IpcError error) {
			Slot slot = new Slot();
			if (!request.oneway()) {
				hold(slot, IpcReply.error(error));
			}
			slot.done = true;
			this.slots.add(slot);
			flush();
		}

		/**
		 * A oneway call counts against max-in-flight like any call until its handler is done: otherwise one peer
		 * could fill the shared handler executor with calls nobody waits for. Beyond the limit it is dropped and
		 * counted; there is no reply to carry the error.
		 */
		private void onOneway(CallContext call, IpcRequest request) {
			if (this.pending >= UnixListener.this.options.maxInFlightPerConnection()) {
				UnixListener.this.events.limitExceeded(UnixListener.this.name, "max-in-flight");
				return;
			}
			this.pending++;
			UnixListener.this.inFlight.incrementAndGet();
			UnixListener.this.dispatcher.dispatch(call, request, new OnewaySink());
		}

		/** Runs on the event loop. */
		private void onOnewayDone() {
			if (this.stage == Stage.CLOSED || this.pending == 0) {
				return; // channelInactive or the end of a drain already took this call out of the counts
			}
			this.pending--;
			UnixListener.this.inFlight.decrementAndGet();
		}

		private void protocolFailure(String kind, @Nullable String detail) {
			UnixListener.this.events.protocolError(UnixListener.this.name, kind);
			ChannelHandlerContext context = Objects.requireNonNull(this.ctx);
			if (this.closeWhenDrained) {
				return;
			}
			this.closeWhenDrained = true;
			context.channel().config().setAutoRead(false);
			if (this.stage != Stage.ACCEPTED) {
				context.close();
				return;
			}
			Slot slot = new Slot();
			hold(slot, IpcReply.error(new IpcError(StandardErrors.PROTOCOL_ERROR,
					Map.of("kind", kind, "message", (detail != null) ? detail : kind))));
			slot.done = true;
			this.slots.add(slot);
			flush();
		}

		/** Runs on the event loop. */
		private void onReply(Slot slot, IpcReply reply, ByteBuf bytes) {
			if (this.stage == Stage.CLOSED || slot.done) {
				discard(bytes);
				return;
			}
			count(reply);
			slot.replies.add(bytes);
			if (!reply.continues()) {
				slot.done = true;
				this.pending--;
				UnixListener.this.inFlight.decrementAndGet();
			}
			flush();
			if (this.buffered.get() + outboundBytes() > UnixListener.this.options.maxReplyBuffer()) {
				// Streams pause and reading stops long before this; only replies nobody can pause get here (a
				// non-blocking handler's stream, huge final replies), and a peer that never reads them must go.
				UnixListener.this.events.limitExceeded(UnixListener.this.name, "reply-buffer");
				Objects.requireNonNull(this.ctx).close();
				return;
			}
			backpressure();
		}

		private void count(IpcReply reply) {
			String error = reply.error();
			if (error == null) {
				return;
			}
			String listener = UnixListener.this.name;
			switch (error) {
				case StandardErrors.INTERFACE_NOT_FOUND, StandardErrors.METHOD_NOT_FOUND ->
					UnixListener.this.events.protocolError(listener, "unknown-method");
				case StandardErrors.INVALID_PARAMETER -> UnixListener.this.events.protocolError(listener, "invalid-parameter");
				case StandardErrors.HANDLER_TIMEOUT -> UnixListener.this.events.limitExceeded(listener, "handler-timeout");
				case StandardErrors.OVERLOADED -> UnixListener.this.events.limitExceeded(listener, "handler-executor");
				default -> {
				}
			}
		}

		/** Writes the replies that are due, in call order, once the verdict is reported. */
		private void flush() {
			if (this.stage == Stage.CLOSED || !verdictReported()) {
				return;
			}
			ChannelHandlerContext context = Objects.requireNonNull(this.ctx);
			boolean wrote = false;
			while (!this.slots.isEmpty()) {
				Slot head = this.slots.peek();
				ByteBuf reply;
				while ((reply = head.replies.poll()) != null) {
					this.buffered.addAndGet(-reply.readableBytes()); // Netty counts them from here on
					context.write(reply);
					wrote = true;
				}
				if (!head.done) {
					break;
				}
				this.slots.poll();
			}
			if (this.closeWhenDrained && this.slots.isEmpty()) {
				context.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
			}
			else if (wrote) {
				context.flush();
			}
		}

		/** Encodes a reply and holds it in the slot until it is due (event loop). */
		private void hold(Slot slot, IpcReply reply) {
			slot.replies.add(counted(encode(reply)));
		}

		/** Counts encoded reply bytes as buffered until they are handed to Netty. */
		private ByteBuf counted(ByteBuf bytes) {
			this.buffered.addAndGet(bytes.readableBytes());
			return bytes;
		}

		private void discard(ByteBuf bytes) {
			this.buffered.addAndGet(-bytes.readableBytes());
			bytes.release();
		}

		/** Encodes a reply with its terminating NUL. */
		private ByteBuf encode(IpcReply reply) {
			ChannelHandlerContext context = Objects.requireNonNull(this.ctx);
			ByteBuf buffer = context.alloc().buffer(256);
			try {
				UnixListener.this.codec.writeReply(reply, new ByteBufOutputStream(buffer));
			}
			catch (RuntimeException ex) {
				LogLimiter.Permit permit = UnixListener.this.encodeFailures.acquire(ex.getClass());
				if (permit != null) { // a handler may echo peer text into what fails to encode
					logger.log(System.Logger.Level.WARNING, "Could not encode a reply on listener '"
							+ UnixListener.this.name + "'" + permit.note(), LogText.escape(ex));
				}
				buffer.clear();
				UnixListener.this.codec.writeReply(IpcReply.error(new IpcError(StandardErrors.HANDLER_FAILED)),
						new ByteBufOutputStream(buffer));
			}
			return buffer.writeByte(0);
		}

		/** Reply bytes Netty holds because the socket would not take them (readable from any thread). */
		private long outboundBytes() {
			ChannelHandlerContext context = this.ctx;
			ChannelOutboundBuffer outbound = (context != null) ? context.channel().unsafe().outboundBuffer() : null;
			return (outbound != null) ? outbound.totalPendingWriteBytes() : 0;
		}

		/**
		 * Makes a handler thread's stream wait while the peer does not read what it was sent: the stream pauses
		 * instead of piling replies up in memory. The wait ends when the peer reads, disconnects, or the call's
		 * timeout interrupts the handler. Never waits on the event loop (a non-blocking handler's stream): there
		 * the reply-buffer limit applies.
		 */
		private void awaitRoom() {
			ChannelHandlerContext context = Objects.requireNonNull(this.ctx);
			if (context.executor().inEventLoop()) {
				return;
			}
			synchronized (this.room) {
				while (isOpen() && this.buffered.get() + outboundBytes() > WATER_MARK.high()) {
					try {
						this.room.wait(50); // woken when the socket drains; the timeout covers replies held in slots
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		}

		private void wakeStreams() {
			synchronized (this.room) {
				this.room.notifyAll();
			}
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
			backpressure();
			if (ctx.channel().isWritable()) {
				wakeStreams();
			}
			super.channelWritabilityChanged(ctx);
		}

		/**
		 * Stops reading while the peer does not read its replies, or when too many calls wait behind a slow one;
		 * resumes when they drain.
		 */
		private void backpressure() {
			if (this.closeWhenDrained || this.stage != Stage.ACCEPTED) {
				return;
			}
			Channel channel = Objects.requireNonNull(this.ctx).channel();
			boolean room = this.slots.size() < 2 * UnixListener.this.options.maxInFlightPerConnection();
			channel.config().setAutoRead(room && channel.isWritable() && !this.decoding);
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			if (event == ConnectionDeadlines.IDLE) {
				// Time spent verifying is ours, not the peer's; a connection with calls in flight is busy, not idle.
				if (this.pending == 0 && this.stage != Stage.VERIFYING) {
					UnixListener.this.events.limitExceeded(UnixListener.this.name, "idle-timeout");
					ctx.close();
				}
				return;
			}
			if (event == ConnectionDeadlines.FRAME_TIMEOUT) {
				UnixListener.this.events.limitExceeded(UnixListener.this.name, "frame-timeout");
				ctx.close();
				return;
			}
			super.userEventTriggered(ctx, event);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (cause instanceof TooLongFrameException) {
				protocolFailure(VarlinkProtocolException.Kind.TOO_LARGE.tag(),
						"message larger than " + UnixListener.this.options.maxMessageSize() + " bytes");
			}
			else if (cause instanceof DecoderException) {
				// Netty's message names Java classes; the peer gets protocol terms
				protocolFailure(VarlinkProtocolException.Kind.MALFORMED.tag(), "message could not be split into frames");
			}
			else {
				ctx.close(); // I/O error: the peer went away
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			Admission.Ticket admitted = this.ticket;
			if (admitted != null) {
				admitted.release();
			}
			UnixListener.this.connections.remove(this);
			if (this.stage == Stage.ACCEPTED) {
				UnixListener.this.accepted.decrementAndGet();
			}
			UnixListener.this.inFlight.addAndGet(-this.pending);
			this.pending = 0;
			for (Slot slot : this.slots) {
				slot.replies.forEach(this::discard);
			}
			this.slots.clear();
			this.stage = Stage.CLOSED;
			wakeStreams();
			PeerCredentials peer = this.credentials;
			this.credentials = null;
			if (peer != null) {
				peer.close(); // releases the pidfd
			}
			super.channelInactive(ctx);
		}

		/** Whether the peer is still connected (streams stop sending when it is not). */
		boolean isOpen() {
			ChannelHandlerContext context = this.ctx;
			return context != null && context.channel().isActive();
		}

		/**
		 * Ends the drain for this connection: every call still in flight is answered
		 * {@value StandardErrors#SHUTTING_DOWN} (its handler's later replies are dropped), then the connection closes
		 * once its replies are written. Returns the connection's close future.
		 */
		ChannelFuture finishDrain() {
			ChannelHandlerContext context = Objects.requireNonNull(this.ctx);
			runOnLoop(context.executor(), () -> {
				if (this.stage != Stage.ACCEPTED) {
					context.close();
					return;
				}
				for (Slot slot : this.slots) {
					if (!slot.done) {
						hold(slot, IpcReply.error(new IpcError(StandardErrors.SHUTTING_DOWN)));
						slot.done = true;
					}
				}
				UnixListener.this.inFlight.addAndGet(-this.pending);
				this.pending = 0;
				this.closeWhenDrained = true;
				flush();
			});
			return context.channel().closeFuture();
		}

		void close() {
			ChannelHandlerContext context = this.ctx;
			if (context != null) {
				context.channel().close();
			}
		}

		private final class OnewaySink implements ReplySink {

			@Override
			public void reply(IpcReply reply) {
				// a oneway call gets no reply
			}

			@Override
			public void completed() {
				ChannelHandlerContext context = Objects.requireNonNull(Connection.this.ctx);
				runOnLoop(context.executor(), Connection.this::onOnewayDone);
			}

			@Override
			public boolean isOpen() {
				return Connection.this.isOpen();
			}

		}

		private final class SlotSink implements ReplySink {

			private final Slot slot;

			SlotSink(Slot slot) {
				this.slot = slot;
			}

			/**
			 * A streamed reply is encoded here, on the handler thread, so that its bytes count before it is handed
			 * over and the stream can wait for room; a final reply (one per call, so bounded by max-in-flight) is
			 * encoded on the event loop, which measured 8 % faster for a connection's sequential calls.
			 */
			@Override
			public void reply(IpcReply reply) {
				ChannelHandlerContext context = Objects.requireNonNull(Connection.this.ctx);
				if (!reply.continues()) {
					runOnLoop(context.executor(), () -> onReply(this.slot, reply, counted(encode(reply))));
					return;
				}
				awaitRoom();
				ByteBuf bytes = counted(encode(reply));
				if (!runOnLoop(context.executor(), () -> onReply(this.slot, reply, bytes))) {
					discard(bytes);
				}
			}

			@Override
			public boolean isOpen() {
				return Connection.this.isOpen();
			}

		}

	}

	/** Runs the task on the event loop; {@code false} if the loop is gone (the connection is closed). */
	private static boolean runOnLoop(EventExecutor executor, Runnable task) {
		if (executor.inEventLoop()) {
			task.run();
			return true;
		}
		try {
			executor.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	private record Decision(PeerCredentials peer, Verdict verdict) {
	}

	/** Verdict reporting of a connection: not yet, not yet with replies waiting, done. */
	private static final int NOT_REPORTED = 0, FLUSH_WAITING = 1, REPORTED = 2;

	private enum Stage {

		VERIFYING, ACCEPTED, REJECTED, CLOSED

	}

	/** One call awaiting its replies; replies wait here until every earlier call got its final reply. */
	private static final class Slot {

		/** Encoded replies, each ending with its NUL. */
		final ArrayDeque<ByteBuf> replies = new ArrayDeque<>(1);

		boolean done;

	}

	@Override
	public String toString() {
		return "UnixListener{" + this.name + " " + address() + " " + this.state.tag() + "}";
	}

}
