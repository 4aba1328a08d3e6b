package dev.peergate.unix;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

import dev.peergate.core.LogLimiter;
import dev.peergate.core.LogText;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.OutgoingDescriptors;
import dev.peergate.handler.StandardErrors;
import dev.peergate.unix.descriptor.DescriptorBuf;
import dev.peergate.unix.jna.DescriptorCalls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * The replies of one connection, in call order: a slot per call holds its encoded replies until every earlier call
 * got its final reply, as varlink requires. Counts the bytes it holds and the bytes Netty holds, so that streams
 * can wait for the peer to read ({@link #awaitRoom()}) and the connection can stop reading or close.
 * Slot changes and {@link #flush} run on the event loop; encoding and {@link #awaitRoom()} on any thread.
 */
final class ReplyQueue {

	private static final System.Logger logger = System.getLogger(ReplyQueue.class.getName());

	private final ChannelHandlerContext ctx;

	private final ConnectionServices services;

	private final ArrayDeque<Slot> slots = new ArrayDeque<>();

	/**
	 * Encoded reply bytes not yet handed to Netty: on their way from a handler thread, or held until every
	 * earlier call got its final reply. Netty counts the rest ({@link #outboundBytes()}).
	 */
	private final AtomicLong buffered = new AtomicLong();

	/** Handler threads waiting in {@link #awaitRoom()} for the peer to read. */
	private final Object room = new Object();

	ReplyQueue(ChannelHandlerContext ctx, ConnectionServices services) {
		this.ctx = ctx;
		this.services = services;
	}

	/** A new slot at the end: the place of a call's replies. */
	Slot open() {
		Slot slot = new Slot();
		this.slots.add(slot);
		return slot;
	}

	/** A slot holding one final reply (nothing for a oneway call): an answer without running the call. */
	void answer(IpcReply reply, boolean oneway) {
		Slot slot = open();
		if (!oneway) {
			hold(slot, reply);
		}
		slot.done = true;
	}

	/** Number of calls whose replies wait here. */
	int size() {
		return this.slots.size();
	}

	/** Encodes a reply into the slot, which waits for its turn. */
	void hold(Slot slot, IpcReply reply) {
		slot.replies.add(counted(encode(reply)));
	}

	/** Adds reply bytes encoded elsewhere; the slot is done with a final reply. */
	void add(Slot slot, ByteBuf bytes, boolean last) {
		slot.replies.add(bytes);
		if (last) {
			slot.done = true;
		}
	}

	/** Answers every call still running with {@code error}; returns how many there were. */
	int finishAll(IpcReply error) {
		int finished = 0;
		for (Slot slot : this.slots) {
			if (!slot.done) {
				hold(slot, error);
				slot.done = true;
				finished++;
			}
		}
		return finished;
	}

	/**
	 * Writes the replies that are due, in call order; closes the connection once everything is written when
	 * {@code closeWhenEmpty}.
	 */
	void flush(boolean closeWhenEmpty) {
		boolean wrote = false;
		while (!this.slots.isEmpty()) {
			Slot head = this.slots.peek();
			ByteBuf reply;
			while ((reply = head.replies.poll()) != null) {
				this.buffered.addAndGet(-reply.readableBytes()); // Netty counts them from here on
				this.ctx.write(reply);
				wrote = true;
			}
			if (!head.done) {
				break;
			}
			this.slots.poll();
		}
		if (closeWhenEmpty && this.slots.isEmpty()) {
			this.ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
		}
		else if (wrote) {
			this.ctx.flush();
		}
	}

	/** Drops every reply not yet written (the connection closed). */
	void clear() {
		for (Slot slot : this.slots) {
			slot.replies.forEach(this::discard);
		}
		this.slots.clear();
		wakeStreams();
	}

	/** Counts encoded reply bytes as buffered until they are handed to Netty. */
	ByteBuf counted(ByteBuf bytes) {
		this.buffered.addAndGet(bytes.readableBytes());
		return bytes;
	}

	void discard(ByteBuf bytes) {
		this.buffered.addAndGet(-bytes.readableBytes());
		bytes.release();
	}

	/** Encodes a reply with its terminating NUL; a reply that cannot be encoded becomes HandlerFailed. */
	ByteBuf encode(IpcReply reply) {
		ByteBuf buffer = this.ctx.alloc().buffer(256);
		OutgoingDescriptors descriptors = (this.services.maxFdsPerMessage > 0) ? new OutgoingDescriptors() : null;
		try {
			this.services.codec.writeReply(reply, new ByteBufOutputStream(buffer), descriptors);
			if (descriptors != null && descriptors.size() > DescriptorCalls.MAX_PER_MESSAGE) {
				throw new IllegalStateException("a reply carries " + descriptors.size()
						+ " file descriptors, more than one message can (" + DescriptorCalls.MAX_PER_MESSAGE + ")");
			}
		}
		catch (RuntimeException ex) {
			if (descriptors != null) {
				descriptors.closeAll();
			}
			LogLimiter.Permit permit = this.services.encodeFailures.acquire(ex.getClass());
			if (permit != null) { // a handler may echo peer text into what fails to encode
				logger.log(System.Logger.Level.WARNING, "Could not encode a reply on listener '"
						+ this.services.listener + "'" + permit.note(), LogText.escape(ex));
			}
			buffer.clear();
			this.services.codec.writeReply(IpcReply.error(new IpcError(StandardErrors.HANDLER_FAILED)),
					new ByteBufOutputStream(buffer));
		}
		buffer.writeByte(0);
		return (descriptors != null) ? DescriptorBuf.of(buffer, descriptors.numbers()) : buffer;
	}

	/** Reply bytes held here or by Netty, not yet taken by the socket (readable from any thread). */
	long pendingBytes() {
		return this.buffered.get() + outboundBytes();
	}

	private long outboundBytes() {
		ChannelOutboundBuffer outbound = this.ctx.channel().unsafe().outboundBuffer();
		return (outbound != null) ? outbound.totalPendingWriteBytes() : 0;
	}

	/**
	 * Makes a handler thread's stream wait while the peer does not read what it was sent: the stream pauses
	 * instead of piling replies up in memory. The wait ends when the peer reads, disconnects, or the call's
	 * timeout interrupts the handler. Never waits on the event loop (a non-blocking handler's stream): there
	 * the reply-buffer limit applies.
	 */
	void awaitRoom() {
		if (this.ctx.executor().inEventLoop()) {
			return;
		}
		synchronized (this.room) {
			while (this.ctx.channel().isActive() && pendingBytes() > UnixSocketEndpoint.WATER_MARK.high()) {
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

	void wakeStreams() {
		synchronized (this.room) {
			this.room.notifyAll();
		}
	}

	/** One call awaiting its replies; replies wait here until every earlier call got its final reply. */
	static final class Slot {

		/** Encoded replies, each ending with its NUL. */
		final ArrayDeque<ByteBuf> replies = new ArrayDeque<>(1);

		boolean done;

	}

}
