package dev.peergate.unix;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.ListenerLifecycle;
import dev.peergate.core.LiveConnection;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.Verdict;
import dev.peergate.handler.CallContext;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.ReplySink;
import dev.peergate.handler.StandardErrors;
import dev.peergate.unix.descriptor.DescriptorPassing;
import dev.peergate.unix.descriptor.ReceivedDescriptors;
import dev.peergate.varlink.VarlinkProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.jspecify.annotations.Nullable;

/**
 * One varlink connection: a frame in, a call to the dispatcher, its replies out in call order. Verification is
 * {@link ConnectionVerification}'s job and reply ordering {@link ReplyQueue}'s; this class keeps the connection's
 * stage, its calls in flight and its limits. Runs on the connection's event loop unless said otherwise.
 */
final class VarlinkConnection extends ChannelInboundHandlerAdapter {

	/** How long a refused peer has to send the call that gets the refusal as its reply. */
	static final Duration REFUSED_GRACE = Duration.ofSeconds(2);

	/**
	 * Messages at least this large are decoded on the decoding thread, not the I/O thread: parsing a megabyte takes
	 * milliseconds, which every other connection of the event loop would wait.
	 */
	static final int LARGE_MESSAGE = 64 * 1024;

	private final ConnectionServices services;

	private @Nullable ChannelHandlerContext ctx;

	private @Nullable ReplyQueue replies;

	private @Nullable ConnectionVerification verification;

	private Stage stage = Stage.VERIFYING;

	private @Nullable PeerCredentials credentials;

	private @Nullable CallContext callContext;

	/** The connection in its listener's inventory, once accepted; counts its calls. */
	private @Nullable LiveConnection live;

	/** Calls (oneway ones included) whose handler has not ended. */
	private int pending;

	private boolean closeWhenDrained;

	/** The event loop's count of calls in flight, which keeps it awake for their replies (epoll only). */
	private SpinWhileHandlersRun.HandedOff handedOff = new SpinWhileHandlersRun.HandedOff();

	/** A large message is being decoded on the decoding thread; reading waits, later messages queue. */
	private boolean decoding;

	/** Messages read while one was being decoded, in order. */
	private final ArrayDeque<Frame> waiting = new ArrayDeque<>(0);

	/** Reads and writes file descriptors with the bytes, on listeners whose methods pass them; else null. */
	private @Nullable DescriptorPassing descriptors;

	VarlinkConnection(ConnectionServices services) {
		this.services = services;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		if (ctx.executor().inEventLoop()) {
			this.handedOff = SpinWhileHandlersRun.handedOff();
		}
		this.replies = new ReplyQueue(ctx, this.services);
		this.verification = new ConnectionVerification(this.services, this, ctx);
		this.descriptors = ctx.pipeline().get(DescriptorPassing.class);
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		if (!this.services.lifecycle.accepting()) {
			ctx.close();
			return;
		}
		verification().begin();
	}

	/** The gate's verdict about the peer, once it is known (the verification may not have reported it yet). */
	void decided(PeerCredentials peer, Verdict verdict) {
		ChannelHandlerContext context = context();
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
			this.live = this.services.lifecycle.connectionAccepted(verdict.peer(),
					context.pipeline().get(ByteCounter.class), this::disconnect);
			this.callContext = new CallContext(this.services.listener, "unix", verdict.peer(), peer.processHandle());
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
		if (this.services.lifecycle.accepting()) {
			context.channel().config().setAutoRead(true);
		}
		else {
			context.close();
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) {
		ByteBuf bytes = (ByteBuf) message;
		try {
			DescriptorPassing passing = this.descriptors;
			Frame frame = new Frame(ByteBufUtil.getBytes(bytes),
					(passing != null) ? passing.claim(bytes.readableBytes()) : List.of());
			if (this.closeWhenDrained || this.stage == Stage.CLOSED) {
				frame.closeDescriptors();
				return;
			}
			if (this.decoding) {
				this.waiting.add(frame);
				return;
			}
			receive(frame);
		}
		finally {
			bytes.release();
		}
	}

	private void receive(Frame frame) {
		if (frame.bytes.length >= LARGE_MESSAGE) {
			decodeAside(frame);
			return;
		}
		IpcRequest request;
		try {
			request = this.services.codec.decodeRequest(frame.bytes);
		}
		catch (VarlinkProtocolException ex) {
			frame.closeDescriptors();
			protocolFailure(ex.kind().tag(), ex.getMessage());
			return;
		}
		onRequest(frame.withDescriptors(request));
	}

	/**
	 * Decodes a large message on the decoding thread while this connection stops reading, then continues on the
	 * event loop with it and with the messages that were already read behind it: call order is kept.
	 */
	private void decodeAside(Frame frame) {
		ChannelHandlerContext context = context();
		this.decoding = true;
		context.channel().config().setAutoRead(false);
		try {
			this.services.decoder.execute(() -> {
				Object decoded;
				try {
					decoded = frame.withDescriptors(this.services.codec.decodeRequest(frame.bytes));
				}
				catch (VarlinkProtocolException ex) {
					frame.closeDescriptors();
					decoded = ex;
				}
				Object result = decoded;
				ConnectionServices.runOnLoop(context.executor(), () -> decoded(result));
			});
		}
		catch (RejectedExecutionException ex) {
			context.close(); // stopping
		}
	}

	/** The request (or protocol error) a large message was decoded into. */
	private void decoded(Object result) {
		this.decoding = false;
		if (this.closeWhenDrained || this.stage == Stage.CLOSED) {
			if (result instanceof IpcRequest request) {
				request.closeDescriptors();
			}
			dropWaiting();
			return;
		}
		if (result instanceof VarlinkProtocolException ex) {
			protocolFailure(ex.kind().tag(), ex.getMessage());
		}
		else {
			onRequest((IpcRequest) result);
		}
		Frame next;
		while (!this.decoding && !this.closeWhenDrained && this.stage != Stage.CLOSED
				&& (next = this.waiting.poll()) != null) {
			receive(next);
		}
		backpressure();
	}

	private void dropWaiting() {
		Frame frame;
		while ((frame = this.waiting.poll()) != null) {
			frame.closeDescriptors();
		}
	}

	/**
	 * Runs a call, or answers it at once. The file descriptors that came with it are closed here when it is answered
	 * without running; a dispatched call's are closed by the dispatcher once it ended and its handler returned.
	 */
	private void onRequest(IpcRequest request) {
		if (this.stage == Stage.REJECTED) {
			// A refused peer learns why from the reply to its first call (none for oneway), then is disconnected.
			this.closeWhenDrained = true;
			context().channel().config().setAutoRead(false);
			answerAtOnce(request, StandardErrors.permissionDenied());
			return;
		}
		if (!this.services.lifecycle.accepting()) {
			this.services.lifecycle.refusedWhileStopping();
			answerAtOnce(request, new IpcError(StandardErrors.SHUTTING_DOWN));
			return;
		}
		int maxInFlight = this.services.options.maxInFlightPerConnection();
		if (this.pending >= maxInFlight) {
			// A oneway call counts like any call until its handler is done: otherwise one peer could fill the shared
			// handler executor with calls nobody waits for. Beyond the limit it is dropped, with no reply to carry
			// the error; counted either way.
			this.services.events.limitExceeded(this.services.listener, "max-in-flight");
			request.closeDescriptors();
			if (!request.oneway()) {
				answerAtOnce(request, new IpcError(StandardErrors.OVERLOADED,
						Map.of("limit", "max-in-flight-per-connection", "value", maxInFlight)));
				backpressure();
			}
			return;
		}
		this.pending++;
		this.handedOff.started();
		live().callStarted();
		CallContext call = Objects.requireNonNull(this.callContext);
		ReplySink sink = request.oneway() ? new CallSinks.OnewaySink(this)
				: new CallSinks.SlotSink(this, replies().open());
		this.services.dispatcher.dispatch(call, request, sink);
		if (!request.oneway()) {
			backpressure();
		}
	}

	/** Answers a call with an error without running it, in call order (nothing for a oneway call). */
	private void answerAtOnce(IpcRequest request, IpcError error) {
		request.closeDescriptors();
		replies().answer(IpcReply.error(error), request.oneway());
		flush();
	}

	void onOnewayDone() {
		if (this.stage == Stage.CLOSED || this.pending == 0) {
			return; // channelInactive or the end of a drain already took this call out of the counts
		}
		callsEnded(1);
	}

	/** Calls of this connection ended (answered, done, or cut short); on the event loop. */
	private void callsEnded(int count) {
		this.pending -= count;
		this.handedOff.ended(count);
		live().callsEnded(count);
	}

	private void protocolFailure(String kind, @Nullable String detail) {
		this.services.events.protocolError(this.services.listener, kind);
		if (this.closeWhenDrained) {
			return;
		}
		this.closeWhenDrained = true;
		context().channel().config().setAutoRead(false);
		if (this.stage != Stage.ACCEPTED) {
			context().close();
			return;
		}
		replies().answer(IpcReply.error(new IpcError(StandardErrors.PROTOCOL_ERROR,
				Map.of("kind", kind, "message", (detail != null) ? detail : kind))), false);
		flush();
	}

	void onReply(ReplyQueue.Slot slot, IpcReply reply, ByteBuf bytes) {
		ReplyQueue queue = replies();
		if (this.stage == Stage.CLOSED || slot.done) {
			queue.discard(bytes);
			return;
		}
		boolean last = !reply.continues();
		queue.add(slot, bytes, last);
		if (last) {
			callsEnded(1);
		}
		flush();
		if (queue.pendingBytes() > this.services.options.maxReplyBuffer()) {
			// Streams pause and reading stops long before this; only replies nobody can pause get here (a
			// non-blocking handler's stream, huge final replies), and a peer that never reads them must go.
			this.services.events.limitExceeded(this.services.listener, "reply-buffer");
			context().close();
			return;
		}
		backpressure();
	}

	/** Writes the replies that are due, in call order, once the verdict is reported. */
	void flush() {
		if (this.stage == Stage.CLOSED || !verification().verdictReported()) {
			return;
		}
		replies().flush(this.closeWhenDrained);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		backpressure();
		if (ctx.channel().isWritable()) {
			replies().wakeStreams();
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
		Channel channel = context().channel();
		boolean room = replies().size() < 2 * this.services.options.maxInFlightPerConnection();
		channel.config().setAutoRead(room && channel.isWritable() && !this.decoding);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event == ConnectionDeadlines.IDLE) {
			// Time spent verifying is ours, not the peer's; a connection with calls in flight is busy, not idle.
			if (this.pending == 0 && this.stage != Stage.VERIFYING) {
				this.services.events.limitExceeded(this.services.listener, "idle-timeout");
				ctx.close();
			}
			return;
		}
		if (event == ConnectionDeadlines.FRAME_TIMEOUT) {
			this.services.events.limitExceeded(this.services.listener, "frame-timeout");
			ctx.close();
			return;
		}
		super.userEventTriggered(ctx, event);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof TooLongFrameException) {
			protocolFailure(VarlinkProtocolException.Kind.TOO_LARGE.tag(),
					"message larger than " + this.services.options.maxMessageSize() + " bytes");
		}
		else if (cause instanceof DescriptorPassing.TooManyDescriptorsException
				|| cause instanceof ReceivedDescriptors.DescriptorsOutOfPlaceException) {
			protocolFailure(VarlinkProtocolException.Kind.DESCRIPTORS.tag(), cause.getMessage());
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
		verification().release();
		this.services.connections.remove(this);
		LiveConnection accepted = this.live;
		if (accepted != null) { // calls are taken in only once accepted
			this.services.lifecycle.acceptedConnectionClosed(accepted);
			accepted.callsEnded(this.pending);
		}
		this.handedOff.ended(this.pending);
		this.pending = 0;
		this.stage = Stage.CLOSED;
		dropWaiting();
		replies().clear();
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
	 * once its replies are written. Returns the connection's close future. Any thread.
	 */
	ChannelFuture finishDrain() {
		return finish(StandardErrors.SHUTTING_DOWN);
	}

	/**
	 * An operator disconnects this connection: as at the end of a drain, with {@value StandardErrors#DISCONNECTED};
	 * closed anyway after the final replies' grace if the peer does not read them. Any thread.
	 */
	private void disconnect() {
		ChannelHandlerContext context = context();
		finish(StandardErrors.DISCONNECTED);
		try {
			context.executor()
				.schedule(() -> context.close(), ListenerLifecycle.FINAL_REPLIES_GRACE.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			context.close(); // the event loop is shutting down: the listener stops
		}
	}

	private ChannelFuture finish(String error) {
		ChannelHandlerContext context = context();
		ConnectionServices.runOnLoop(context.executor(), () -> {
			if (this.stage != Stage.ACCEPTED) {
				context.close();
				return;
			}
			replies().finishAll(IpcReply.error(new IpcError(error)));
			callsEnded(this.pending);
			this.closeWhenDrained = true;
			flush();
		});
		return context.channel().closeFuture();
	}

	/** Closes the connection. Any thread. */
	void close() {
		ChannelHandlerContext context = this.ctx;
		if (context != null) {
			context.channel().close();
		}
	}

	ChannelHandlerContext context() {
		return Objects.requireNonNull(this.ctx);
	}

	ReplyQueue replies() {
		return Objects.requireNonNull(this.replies);
	}

	private LiveConnection live() {
		return Objects.requireNonNull(this.live);
	}

	private ConnectionVerification verification() {
		return Objects.requireNonNull(this.verification);
	}

	/** A message's bytes and the file descriptors that came with it. */
	private record Frame(byte[] bytes, List<IpcFileDescriptor> descriptors) {

		IpcRequest withDescriptors(IpcRequest request) {
			return this.descriptors.isEmpty() ? request : request.withDescriptors(this.descriptors);
		}

		void closeDescriptors() {
			this.descriptors.forEach(IpcFileDescriptor::close);
		}

	}

	private enum Stage {

		VERIFYING, ACCEPTED, REJECTED, CLOSED

	}

}
