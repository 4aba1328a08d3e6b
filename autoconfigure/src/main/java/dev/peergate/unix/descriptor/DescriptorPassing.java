package dev.peergate.unix.descriptor;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;

import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.unix.jna.DescriptorCalls;
import dev.peergate.unix.jna.NativeCallException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes a Unix-socket connection with {@code recvmsg} and {@code sendmsg}, so that file descriptors
 * travel with the bytes ({@code SCM_RIGHTS}). Netty's epoll channel reads either bytes or descriptors, never both,
 * so this handler, first in the pipeline, takes reading over: it swallows Netty's read requests and reads a
 * duplicate of the socket registered on the channel's own event loop (edge-triggered, no extra thread), firing the
 * bytes down the pipeline as Netty would. Writes pass through to Netty, except a {@link DescriptorBuf}: it waits
 * until every earlier byte left, then goes out with one {@code sendmsg} carrying its descriptors (the rest of a
 * partial send through Netty), and later writes wait behind it, so the stream keeps its order.
 *
 * <p>Bounded: a read brings at most {@code maxPerMessage} descriptors; more (the kernel truncates) or descriptors
 * with bytes that begin no message fail the pipeline with {@link TooManyDescriptorsException} or
 * {@link ReceivedDescriptors.DescriptorsOutOfPlaceException}, and every descriptor received and not claimed is
 * closed when the connection closes.
 *
 * <pre>{@code
 * channel.pipeline().addFirst("descriptors", new DescriptorPassing(8));
 * // later, for each frame, in order:
 * List<IpcFileDescriptor> fds = channel.pipeline().get(DescriptorPassing.class).claim(frame.readableBytes());
 * }</pre>
 */
public final class DescriptorPassing extends ChannelDuplexHandler {

	/** Bytes asked of one {@code recvmsg}. */
	static final int READ_SIZE = 16 * 1024;

	/** Reads in a row before other connections of the event loop get their turn. */
	private static final int READS_PER_TURN = 16;

	private final int maxPerMessage;

	private final ReceivedDescriptors received = new ReceivedDescriptors();

	private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

	private @Nullable ChannelHandlerContext ctx;

	private DescriptorCalls.@Nullable Buffers buffers;

	/** Our duplicate of the channel's socket, registered for readiness; -1 before registration and once closed. */
	private int socket = -1;

	private @Nullable IoRegistration registration;

	/** Whether the pipeline wants bytes (Netty's read request, standing while auto-read is on). */
	private boolean reading;

	/** Whether the socket was full when a descriptor-carrying message was sent. */
	private boolean writeBlocked;

	/** The last write handed to Netty: a descriptor-carrying message waits until it is done. */
	private @Nullable ChannelFuture lastForwarded;

	private boolean awaitingForwarded;

	private boolean closed;

	/** A handler accepting at most {@code maxPerMessage} descriptors per message. */
	public DescriptorPassing(int maxPerMessage) {
		if (maxPerMessage < 1 || maxPerMessage > DescriptorCalls.MAX_PER_MESSAGE) {
			throw new IllegalArgumentException("maxPerMessage must be between 1 and "
					+ DescriptorCalls.MAX_PER_MESSAGE + ", got " + maxPerMessage);
		}
		this.maxPerMessage = maxPerMessage;
	}

	/** The descriptors of the next message, {@code length} bytes without its NUL; the caller owns them. */
	public List<IpcFileDescriptor> claim(int length) {
		return this.received.claim(length);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
		this.ctx = ctx;
		if (ctx.channel().isRegistered()) {
			register(ctx);
		}
	}

	@Override
	public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
		if (this.socket < 0 && !this.closed) {
			register(ctx);
		}
		super.channelRegistered(ctx);
	}

	private void register(ChannelHandlerContext ctx) throws NativeCallException {
		DescriptorCalls calls = DescriptorCalls.get();
		int duplicate = calls.duplicate(((UnixChannel) ctx.channel()).fd().intValue());
		this.socket = duplicate;
		this.buffers = new DescriptorCalls.Buffers(this.maxPerMessage + 1); // one more: a truncation shows
		((IoEventLoop) ctx.channel().eventLoop()).register(new Readiness(duplicate)).addListener(future -> {
			if (!future.isSuccess()) {
				ctx.fireExceptionCaught(future.cause());
				return;
			}
			IoRegistration done = (IoRegistration) future.getNow();
			if (this.closed) {
				done.cancel();
				return;
			}
			this.registration = done;
			done.submit(EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT).with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLET));
			if (this.reading) {
				readNow();
			}
		});
	}

	/** Netty asks for bytes (auto-read switched on, or an explicit read): this handler reads, Netty does not. */
	@Override
	public void read(ChannelHandlerContext ctx) {
		if (!this.reading) {
			this.reading = true;
			ctx.executor().execute(this::readNow); // the edge may have passed while paused
		}
	}

	/** Bytes Netty read itself (it does once when the peer hangs up): they count, their descriptors are gone. */
	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
		if (message instanceof ByteBuf bytes) {
			this.received.received(bytes, new int[0]);
		}
		super.channelRead(ctx, message);
	}

	private void readNow() {
		ChannelHandlerContext context = this.ctx;
		DescriptorCalls.@Nullable Buffers native_ = this.buffers;
		if (context == null || native_ == null || this.closed || this.registration == null || !this.reading) {
			return;
		}
		DescriptorCalls calls = DescriptorCalls.get();
		boolean fired = false;
		for (int turn = 0; turn < READS_PER_TURN; turn++) {
			if (!context.channel().config().isAutoRead()) {
				this.reading = false; // Netty asks again (read()) when auto-read is switched back on
				break;
			}
			ByteBuf buffer = context.alloc().directBuffer(READ_SIZE);
			DescriptorCalls.Received result;
			try {
				result = calls.receive(this.socket, buffer.memoryAddress() + buffer.writerIndex(), buffer.writableBytes(),
						native_);
			}
			catch (NativeCallException | UnsupportedOperationException ex) {
				buffer.release();
				context.fireExceptionCaught(ex);
				return;
			}
			if (result.read() < 0) {
				buffer.release();
				ReceivedDescriptors.closeAll(result.descriptors());
				break; // drained: the next edge brings more
			}
			if (result.read() == 0) {
				buffer.release();
				ReceivedDescriptors.closeAll(result.descriptors());
				context.close(); // end of stream
				return;
			}
			buffer.writerIndex(result.read());
			if (result.truncated() || result.descriptors().length > this.maxPerMessage) {
				buffer.release();
				ReceivedDescriptors.closeAll(result.descriptors());
				context.fireExceptionCaught(new TooManyDescriptorsException(this.maxPerMessage));
				return;
			}
			try {
				this.received.received(buffer, result.descriptors());
			}
			catch (ReceivedDescriptors.DescriptorsOutOfPlaceException ex) {
				buffer.release();
				context.fireExceptionCaught(ex);
				return;
			}
			fired = true;
			context.fireChannelRead(buffer);
			if (this.closed) {
				return;
			}
			if (turn == READS_PER_TURN - 1) {
				context.executor().execute(this::readNow); // fair to the loop's other connections
			}
		}
		if (fired) {
			context.fireChannelReadComplete();
		}
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
		if (this.waiting.isEmpty() && !(message instanceof DescriptorBuf)) {
			forward(ctx, message, promise);
			return;
		}
		this.waiting.add(new Pending(message, promise));
	}

	@Override
	public void flush(ChannelHandlerContext ctx) {
		ctx.flush();
		sendWaiting();
	}

	private void forward(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
		ChannelPromise tracked = promise.isVoid() ? ctx.newPromise() : promise;
		ctx.write(message, tracked);
		this.lastForwarded = tracked;
	}

	private void sendWaiting() {
		ChannelHandlerContext context = this.ctx;
		DescriptorCalls.@Nullable Buffers native_ = this.buffers;
		if (context == null || native_ == null || this.closed) {
			return;
		}
		boolean forwarded = false;
		Pending head;
		while ((head = this.waiting.peek()) != null) {
			if (!(head.message instanceof DescriptorBuf frame)) {
				this.waiting.poll();
				forward(context, head.message, head.promise);
				forwarded = true;
				continue;
			}
			ChannelFuture earlier = this.lastForwarded;
			if (earlier != null && !earlier.isDone()) {
				if (!this.awaitingForwarded) {
					this.awaitingForwarded = true;
					earlier.addListener(done -> {
						this.awaitingForwarded = false;
						sendWaiting();
					});
				}
				context.flush();
				return;
			}
			int sent;
			try {
				sent = send(frame, native_);
			}
			catch (NativeCallException ex) {
				this.waiting.poll();
				frame.release();
				head.promise.tryFailure(ex);
				context.close();
				return;
			}
			if (sent < 0) {
				this.writeBlocked = true; // the next EPOLLOUT edge sends it
				return;
			}
			this.waiting.poll(); // the descriptors went with the first byte: releasing the frame closes this side's
			int length = frame.readableBytes();
			if (sent == length) {
				frame.release();
				head.promise.trySuccess();
				continue;
			}
			ByteBuf rest = frame.unwrap().retainedSlice(frame.readerIndex() + sent, length - sent);
			frame.release();
			forward(context, rest, head.promise);
			forwarded = true;
		}
		if (forwarded) {
			context.flush();
		}
	}

	private int send(DescriptorBuf frame, DescriptorCalls.Buffers native_) throws NativeCallException {
		DescriptorCalls calls = DescriptorCalls.get();
		if (frame.hasMemoryAddress()) {
			return calls.send(this.socket, frame.memoryAddress() + frame.readerIndex(), frame.readableBytes(),
					frame.descriptors(), native_);
		}
		ByteBuf direct = this.ctx().alloc().directBuffer(frame.readableBytes());
		try {
			direct.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
			return calls.send(this.socket, direct.memoryAddress(), direct.readableBytes(), frame.descriptors(), native_);
		}
		finally {
			direct.release();
		}
	}

	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
		release();
		super.close(ctx, promise);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		release();
		super.channelInactive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		release();
	}

	/** Drops what waits to be sent, closes what was received and not claimed, and our duplicate of the socket. */
	private void release() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		Pending pending;
		while ((pending = this.waiting.poll()) != null) {
			ReferenceCountUtil.release(pending.message);
			pending.promise.tryFailure(new ClosedChannelException());
		}
		this.received.closeAll();
		IoRegistration registered = this.registration;
		this.registration = null;
		if (registered != null) {
			registered.cancel();
		}
		if (this.socket >= 0) {
			DescriptorCalls.get().close(this.socket);
			this.socket = -1;
		}
		DescriptorCalls.@Nullable Buffers native_ = this.buffers;
		this.buffers = null;
		if (native_ != null) {
			native_.close();
		}
	}

	private ChannelHandlerContext ctx() {
		ChannelHandlerContext context = this.ctx;
		if (context == null) {
			throw new IllegalStateException("not added to a pipeline");
		}
		return context;
	}

	private record Pending(Object message, ChannelPromise promise) {
	}

	/** Our socket duplicate on the channel's event loop. */
	private final class Readiness implements EpollIoHandle {

		private final FileDescriptor fd;

		Readiness(int socket) {
			this.fd = new FileDescriptor(socket);
		}

		@Override
		public FileDescriptor fd() {
			return this.fd;
		}

		@Override
		public void handle(IoRegistration registration, IoEvent event) {
			EpollIoOps ops = ((EpollIoEvent) event).ops();
			if (ops.contains(EpollIoOps.EPOLLOUT) && DescriptorPassing.this.writeBlocked) {
				DescriptorPassing.this.writeBlocked = false;
				sendWaiting();
			}
			if (ops.contains(EpollIoOps.EPOLLIN) || ops.contains(EpollIoOps.EPOLLRDHUP)
					|| ops.contains(EpollIoOps.EPOLLERR)) {
				readNow();
			}
		}

		@Override
		public void close() {
			// the handler closes the duplicate (release); the event loop calls this only when it shuts down
			release();
		}

	}

	/** More descriptors came with one read than a message may carry. */
	public static final class TooManyDescriptorsException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		TooManyDescriptorsException(int limit) {
			super("more than " + limit + " file descriptors with one message", null, false, false);
		}

	}

}
