package dev.peergate.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.PeerRequirement;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.OutgoingDescriptors;
import dev.peergate.handler.ReceivedParameters;
import dev.peergate.handler.Values;
import dev.peergate.unix.descriptor.DescriptorBuf;
import dev.peergate.unix.descriptor.DescriptorPassing;
import dev.peergate.varlink.VarlinkCodec;
import dev.peergate.varlink.VarlinkProtocolException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * A varlink client over a Unix-domain socket. It checks who serves the socket before sending anything: with
 * {@link Builder#expectServerUid(long)}, a server whose uid (as the kernel reports it for the connected socket) is
 * different is refused with a {@link ServerVerificationException} and never sees a byte.
 * <p>
 * Calls return the reply parameters bound to a record (or a {@code Map}); an error reply is thrown as an
 * {@link IpcError} carrying the error name and parameters. {@link #more} iterates streamed replies until the server
 * stops ({@code continues: false}); {@link #oneway} sends without waiting for a reply.
 * <p>
 * Thread-safe: calls from several threads are pipelined on the one connection, as varlink allows, and each gets
 * its own reply (a varlink server answers in call order). A call that times out is abandoned, not cancelled: the
 * server may still run it, and its late reply is discarded so later calls stay in step.
 *
 * <pre>{@code
 * try (VarlinkClient client = VarlinkClient.builder(Path.of("/run/example/helper.sock"))
 *         .expectServerUid(0)
 *         .callTimeout(Duration.ofSeconds(10))
 *         .connect()) {
 *     Status status = client.call("com.example.helper.Status", null, Status.class);
 *     try (VarlinkReplies<Progress> progress = client.more("com.example.helper.Install", new Install("tool"), Progress.class)) {
 *         progress.forEachRemaining(p -> System.out.println(p.percent()));
 *     }
 * }
 * }</pre>
 */
public final class VarlinkClient implements AutoCloseable {

	private final Path socket;

	private final Channel channel;

	private final EventLoopGroup group;

	private final VarlinkCodec codec;

	/** File descriptors one message may carry; 0 when this client passes none. */
	private final int maxFdsPerMessage;

	private final Duration callTimeout;

	private final ServerCredentials server;

	/** Calls awaiting replies, in the order they were written; guarded by {@link #lock} for adding. */
	private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();

	private final Object lock = new Object();

	private volatile @Nullable VarlinkClientException closed;

	private VarlinkClient(Builder builder) {
		this.socket = builder.socket;
		this.codec = new VarlinkCodec(builder.maxDepth);
		this.maxFdsPerMessage = builder.maxFdsPerMessage;
		this.callTimeout = builder.callTimeout;
		ClientTransport transport = ClientTransport.detect();
		this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("peergate-varlink-client", true),
				transport.factory);
		io.netty.channel.Channel connected = null;
		try {
			connected = connect(builder, transport);
			this.channel = connected;
			this.server = transport.server(this.channel);
			Long expected = builder.expectedUid;
			if (expected != null && this.server.uid() != expected) {
				throw new ServerVerificationException("Refusing server at " + this.socket + ": it runs as uid "
						+ this.server.uid() + " but uid " + expected + " was expected (pid~" + this.server.pidHint()
						+ "); nothing was sent", this.server);
			}
			PeerRequirement requirement = builder.serverRequirement;
			if (requirement != null) {
				ServerVerification.verify(this.channel, this.socket, this.server, requirement);
			}
		}
		catch (RuntimeException ex) {
			// Close before returning, so that a refused server sees the connection end now, not whenever the
			// event loop gets round to it.
			if (connected != null) {
				connected.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
			}
			this.group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
			throw ex;
		}
	}

	/** Starts configuring a client of the socket at {@code socket}. */
	public static Builder builder(Path socket) {
		return new Builder(socket);
	}

	/** The server as the kernel reported it when connecting. */
	public ServerCredentials server() {
		return this.server;
	}

	/** Whether the connection is still usable. */
	public boolean isOpen() {
		return this.closed == null && this.channel.isActive();
	}

	/**
	 * Calls a method and returns its reply parameters as a map.
	 * @param method fully qualified method, e.g. {@code org.varlink.service.GetInfo}
	 * @param parameters a record, a map, or {@code null} for none
	 * @throws IpcError when the server replies with an error
	 * @throws VarlinkTimeoutException when no reply arrives within the call timeout
	 * @throws VarlinkClientException when the connection fails
	 */
	public Map<String, @Nullable Object> call(String method, @Nullable Object parameters) {
		Pending call = send(method, parameters, false, false);
		return replyParameters(await(call));
	}

	/**
	 * Calls a method and binds its reply parameters to {@code replyType} (a record, or {@code Map}).
	 * @throws IpcError when the server replies with an error
	 * @throws VarlinkTimeoutException when no reply arrives within the call timeout
	 * @throws VarlinkClientException when the connection fails or the reply does not fit {@code replyType}
	 */
	public <T> T call(String method, @Nullable Object parameters, Class<T> replyType) {
		return bind(method, call(method, parameters), replyType);
	}

	/**
	 * Calls a method with {@code more}: the server may answer with several replies, returned one by one. Close the
	 * result when leaving early; the remaining replies are then discarded as they arrive.
	 */
	public <T> VarlinkReplies<T> more(String method, @Nullable Object parameters, Class<T> replyType) {
		Pending call = send(method, parameters, false, true);
		return new VarlinkReplies<>(this, call, replyType);
	}

	/**
	 * Calls a method with {@code oneway}: the server sends no reply. Returns once the call is written.
	 * @throws VarlinkClientException when the call could not be written
	 */
	public void oneway(String method, @Nullable Object parameters) {
		send(method, parameters, true, false);
	}

	@Override
	public void close() {
		fail(new VarlinkClientException("Client closed"));
		this.channel.close().awaitUninterruptibly(this.callTimeout.toMillis());
		// a closed client holds nothing: its event loop's thread and descriptors (epoll, eventfd) are gone on return
		this.group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(this.callTimeout.toMillis());
	}

	private Pending send(String method, @Nullable Object parameters, boolean oneway, boolean more) {
		Objects.requireNonNull(method, "'method' must not be null");
		Map<String, @Nullable Object> wire = (parameters == null) ? Map.of() : Values.toMap(parameters);
		OutgoingDescriptors descriptors = (this.maxFdsPerMessage > 0) ? new OutgoingDescriptors() : null;
		byte[] frame;
		try {
			frame = this.codec.encodeRequest(new IpcRequest(method, wire, oneway, more, false), descriptors);
		}
		catch (JacksonException ex) {
			if (descriptors != null) {
				descriptors.closeAll();
			}
			IpcFileDescriptor.closeAllIn(wire);
			throw new VarlinkClientException("Cannot send " + method + ": " + ex.getOriginalMessage()
					+ ((descriptors == null) ? " (build the client with maxFdsPerMessage to pass file descriptors)" : ""),
					ex);
		}
		Pending call = new Pending(method, more);
		ChannelFuture written;
		synchronized (this.lock) {
			VarlinkClientException failure = this.closed;
			if (failure != null) {
				if (descriptors != null) {
					descriptors.closeAll();
				}
				throw new VarlinkClientException("Cannot call " + method + ": " + failure.getMessage(), failure);
			}
			if (!oneway) {
				this.pending.add(call);
			}
			ByteBuf buffer = this.channel.alloc().buffer(frame.length + 1).writeBytes(frame).writeByte(0);
			if (descriptors != null) {
				buffer = DescriptorBuf.of(buffer, descriptors.numbers()); // closed once sent or dropped
			}
			// Written under the lock so that the order of the pending queue is the order on the wire.
			written = this.channel.writeAndFlush(buffer);
		}
		if (oneway) {
			if (!written.awaitUninterruptibly(this.callTimeout.toMillis())) {
				throw new VarlinkTimeoutException("Could not write " + method + " within " + this.callTimeout);
			}
			if (!written.isSuccess()) {
				throw new VarlinkClientException("Could not write " + method, written.cause());
			}
		}
		return call;
	}

	IpcReply await(Pending call) {
		Object item;
		try {
			item = call.replies.poll(this.callTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			call.abandoned = true;
			Thread.currentThread().interrupt();
			throw new VarlinkClientException("Interrupted while waiting for the reply to " + call.method, ex);
		}
		if (item == null) {
			call.abandoned = true;
			throw new VarlinkTimeoutException("No reply to " + call.method + " within " + this.callTimeout);
		}
		if (item instanceof VarlinkClientException failure) {
			throw new VarlinkClientException(call.method + " failed: " + failure.getMessage(), failure);
		}
		return (IpcReply) item;
	}

	static Map<String, @Nullable Object> replyParameters(IpcReply reply) {
		if (reply.error() != null) {
			throw new IpcError(reply.error(), reply.parameters());
		}
		return reply.parameters();
	}

	@SuppressWarnings("unchecked")
	static <T> T bind(String method, Map<String, @Nullable Object> parameters, Class<T> type) {
		if (type == Map.class || type == Object.class) {
			return (T) parameters;
		}
		try {
			if (parameters instanceof ReceivedParameters) {
				return type.cast(Values.bind(parameters, type)); // the descriptors the type does not take are closed
			}
			return Values.mapper().convertValue(parameters, type);
		}
		catch (IpcError ex) {
			throw new VarlinkClientException("Reply to " + method + " does not fit " + type.getName() + ": "
					+ ex.getMessage(), ex);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new VarlinkClientException("Reply to " + method + " does not fit " + type.getName() + ": "
					+ ex.getMessage(), ex);
		}
	}

	private void received(ByteBuf frame, List<IpcFileDescriptor> descriptors) {
		IpcReply reply;
		try {
			reply = this.codec.decodeReply(ByteBufUtil.getBytes(frame));
		}
		catch (VarlinkProtocolException ex) {
			descriptors.forEach(IpcFileDescriptor::close);
			failAndClose(new VarlinkClientException("Server sent an invalid message: " + ex.getMessage(), ex));
			return;
		}
		if (!descriptors.isEmpty()) {
			if (reply.isError()) {
				descriptors.forEach(IpcFileDescriptor::close);
			}
			else {
				reply = new IpcReply(null, new ReceivedParameters(reply.parameters(), descriptors), reply.continues());
			}
		}
		Pending call = this.pending.peek();
		if (call == null) {
			failAndClose(new VarlinkClientException("Server sent a reply nobody asked for"));
			return;
		}
		if (reply.continues() && !call.more) {
			failAndClose(new VarlinkClientException("Server sent 'continues' to " + call.method
					+ ", which was not called with 'more'"));
			return;
		}
		if (!reply.continues() || reply.isError()) {
			this.pending.poll();
		}
		if (!call.abandoned) {
			call.replies.add(reply);
		}
		else if (reply.parameters() instanceof ReceivedParameters received) {
			received.closeDescriptors();
		}
	}

	private void failAndClose(VarlinkClientException failure) {
		fail(failure);
		this.channel.close();
	}

	private void fail(VarlinkClientException failure) {
		List<Pending> waiting = new ArrayList<>();
		synchronized (this.lock) {
			if (this.closed == null) {
				this.closed = failure;
			}
			for (Pending call = this.pending.poll(); call != null; call = this.pending.poll()) {
				waiting.add(call);
			}
		}
		waiting.forEach(call -> call.replies.add(failure));
	}

	private Channel connect(Builder builder, ClientTransport transport) {
		Bootstrap bootstrap = new Bootstrap().group(this.group)
			.channel(transport.channelType)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, builder.connectTimeout.toMillis()))
			.handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					if (builder.maxFdsPerMessage > 0) {
						channel.pipeline().addLast(new DescriptorPassing(builder.maxFdsPerMessage));
					}
					channel.pipeline()
						.addLast(new DelimiterBasedFrameDecoder(builder.maxMessageSize, true,
								Unpooled.wrappedBuffer(new byte[] { 0 })))
						.addLast(new Inbound());
				}
			});
		ChannelFuture connected = bootstrap.connect(new DomainSocketAddress(builder.socket.toString()));
		if (!connected.awaitUninterruptibly(builder.connectTimeout.toMillis())) {
			connected.cancel(false);
			connected.channel().close();
			throw new VarlinkTimeoutException("Could not connect to " + builder.socket + " within " + builder.connectTimeout);
		}
		if (!connected.isSuccess()) {
			Throwable cause = connected.cause();
			// Netty's native errors often carry no message; the class name (e.g. ConnectException) still helps.
			String why = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
			throw new VarlinkClientException("Could not connect to " + builder.socket + ": " + why
					+ (java.nio.file.Files.exists(builder.socket) ? "" : " (no such socket: is the service running?)"),
					cause);
		}
		return connected.channel();
	}

	/** One call awaiting replies. */
	static final class Pending {

		final String method;

		final boolean more;

		/** {@link IpcReply} or {@link VarlinkClientException} items. */
		final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();

		volatile boolean abandoned;

		Pending(String method, boolean more) {
			this.method = method;
			this.more = more;
		}

	}

	private final class Inbound extends SimpleChannelInboundHandler<ByteBuf> {

		@Override
		protected void channelRead0(ChannelHandlerContext context, ByteBuf frame) {
			DescriptorPassing descriptors = context.pipeline().get(DescriptorPassing.class);
			received(frame, (descriptors != null) ? descriptors.claim(frame.readableBytes()) : List.of());
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			fail(new VarlinkClientException("Connection to " + VarlinkClient.this.socket + " closed"));
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			failAndClose(new VarlinkClientException("Connection to " + VarlinkClient.this.socket + " failed: "
					+ cause.getMessage(), cause));
		}

	}

	/**
	 * Configures and connects a {@link VarlinkClient}.
	 */
	public static final class Builder {

		private final Path socket;

		private Duration connectTimeout = Duration.ofSeconds(5);

		private Duration callTimeout = Duration.ofSeconds(30);

		private @Nullable Long expectedUid;

		private @Nullable PeerRequirement serverRequirement;

		private int maxMessageSize = 16 * 1024 * 1024;

		private int maxDepth = 64;

		private int maxFdsPerMessage;

		private Builder(Path socket) {
			this.socket = Objects.requireNonNull(socket, "'socket' must not be null");
		}

		/** How long to wait for the connection (default 5 seconds). */
		public Builder connectTimeout(Duration timeout) {
			this.connectTimeout = positive(timeout, "connectTimeout");
			return this;
		}

		/** How long to wait for each reply; for {@code more} calls, for each of the replies (default 30 seconds). */
		public Builder callTimeout(Duration timeout) {
			this.callTimeout = positive(timeout, "callTimeout");
			return this;
		}

		/**
		 * Refuses a server whose uid is not {@code uid}, before sending anything. Without it the server is not
		 * checked (its credentials are still available from {@link VarlinkClient#server()}).
		 */
		public Builder expectServerUid(long uid) {
			if (uid < 0) {
				throw new IllegalArgumentException("uid must be >= 0");
			}
			this.expectedUid = uid;
			return this;
		}

		/**
		 * Refuses a server that does not satisfy {@code requirement}, before sending anything: the same requirement
		 * languages as listeners, evaluated over the server's facts from {@code SO_PEERCRED} and its pidfd (uid,
		 * executable path and digest, systemd unit, ...), verified as a listener verifies its peers. Linux.
		 *
		 * <pre>{@code
		 * VarlinkClient.builder(socket)
		 *     .serverRequirement(FactRequirements.linux(Map.of("uid", 0, "executable-path", "/usr/libexec/helper"),
		 *             "server", IdResolver.system()))
		 *     .connect();
		 * }</pre>
		 */
		public Builder serverRequirement(PeerRequirement requirement) {
			this.serverRequirement = Objects.requireNonNull(requirement, "'requirement' must not be null");
			return this;
		}

		/** Largest reply accepted, in bytes (default 16 MiB); a larger one closes the connection. */
		/**
		 * Passes file descriptors ({@link IpcFileDescriptor} components of parameters and replies, {@code SCM_RIGHTS}),
		 * at most {@code count} with one reply (1 to 253); off by default.
		 */
		public Builder maxFdsPerMessage(int count) {
			if (count < 0 || count > 253) {
				throw new IllegalArgumentException("maxFdsPerMessage must be between 0 and 253");
			}
			this.maxFdsPerMessage = count;
			return this;
		}

		public Builder maxMessageSize(int bytes) {
			if (bytes < 1) {
				throw new IllegalArgumentException("maxMessageSize must be >= 1");
			}
			this.maxMessageSize = bytes;
			return this;
		}

		/** Deepest JSON nesting accepted in replies (default 64). */
		public Builder maxDepth(int depth) {
			if (depth < 2) {
				throw new IllegalArgumentException("maxDepth must be >= 2");
			}
			this.maxDepth = depth;
			return this;
		}

		/**
		 * Connects and verifies the server.
		 * @throws ServerVerificationException when the server is not the expected one
		 * @throws VarlinkTimeoutException when the connection is not established in time
		 * @throws VarlinkClientException when the connection fails
		 */
		public VarlinkClient connect() {
			return new VarlinkClient(this);
		}

		private static Duration positive(Duration timeout, String name) {
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException(name + " must be positive");
			}
			return timeout;
		}

	}

}
