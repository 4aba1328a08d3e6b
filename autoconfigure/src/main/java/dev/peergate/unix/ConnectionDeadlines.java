package dev.peergate.unix;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ByteProcessor;
import org.jspecify.annotations.Nullable;

/**
 * The two clocks of a connection, first in the pipeline so that it sees the bytes as they arrive:
 * <ul>
 * <li><b>frame timeout</b>: a message must be complete (its NUL received) within this time of its first byte.
 * A peer trickling a byte a second no longer holds a connection for as long as it likes; fires
 * {@link #FRAME_TIMEOUT}. The clock stands still while the listener itself does not read (backpressure), since the
 * peer then waits for us.</li>
 * <li><b>idle timeout</b>: fires {@link #IDLE} when neither a complete message arrived nor a reply was written for
 * the timeout. Half a message is not activity: slow bytes do not keep a connection alive.</li>
 * </ul>
 * Either timeout may be zero (off).
 */
final class ConnectionDeadlines extends ChannelDuplexHandler {

	/** The user event fired on idleness. */
	static final Object IDLE = new Event("IDLE");

	/** The user event fired when a message took longer than the frame timeout to arrive. */
	static final Object FRAME_TIMEOUT = new Event("FRAME_TIMEOUT");

	private final long idleNanos;

	private final long frameNanos;

	private long lastActivity;

	/** When the first byte of the message not yet complete arrived; meaningful while {@link #partial}. */
	private long frameStart;

	private boolean partial;

	private @Nullable ScheduledFuture<?> idleCheck;

	private @Nullable ScheduledFuture<?> frameCheck;

	ConnectionDeadlines(long idleNanos, long frameNanos) {
		this.idleNanos = idleNanos;
		this.frameNanos = frameNanos;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.lastActivity = System.nanoTime();
		if (this.idleNanos > 0) {
			scheduleIdle(ctx, this.idleNanos);
		}
		super.channelActive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
			long now = System.nanoTime();
			int lastNul = bytes.forEachByteDesc(ByteProcessor.FIND_NUL);
			if (lastNul >= 0) {
				this.lastActivity = now; // at least one message completed
			}
			boolean endsPartial = lastNul != bytes.writerIndex() - 1;
			if (endsPartial && (!this.partial || lastNul >= 0)) {
				this.frameStart = now; // a new message began in these bytes
			}
			this.partial = endsPartial;
			if (this.partial && this.frameNanos > 0 && this.frameCheck == null) {
				scheduleFrame(ctx, this.frameNanos);
			}
		}
		super.channelRead(ctx, msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		this.lastActivity = System.nanoTime();
		super.write(ctx, msg, promise);
	}

	/** Restarts the idle clock (on the event loop), e.g. when the server itself has kept the peer waiting. */
	void touch() {
		this.lastActivity = System.nanoTime();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancel(this.idleCheck);
		cancel(this.frameCheck);
		super.channelInactive(ctx);
	}

	private static void cancel(@Nullable ScheduledFuture<?> check) {
		if (check != null) {
			check.cancel(false);
		}
	}

	private void scheduleIdle(ChannelHandlerContext ctx, long delayNanos) {
		this.idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	private void scheduleFrame(ChannelHandlerContext ctx, long delayNanos) {
		this.frameCheck = ctx.executor().schedule(() -> checkFrame(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	private void checkIdle(ChannelHandlerContext ctx) {
		if (!ctx.channel().isOpen()) {
			return;
		}
		long idle = System.nanoTime() - this.lastActivity;
		if (idle >= this.idleNanos) {
			this.lastActivity = System.nanoTime(); // next event only after another full period
			ctx.fireUserEventTriggered(IDLE);
			scheduleIdle(ctx, this.idleNanos);
		}
		else {
			scheduleIdle(ctx, this.idleNanos - idle);
		}
	}

	private void checkFrame(ChannelHandlerContext ctx) {
		this.frameCheck = null;
		if (!ctx.channel().isOpen() || !this.partial) {
			return;
		}
		long now = System.nanoTime();
		if (!ctx.channel().config().isAutoRead()) {
			this.frameStart = now; // we are not reading: the rest of the message waits for us, not the peer
		}
		long elapsed = now - this.frameStart;
		if (elapsed >= this.frameNanos) {
			ctx.fireUserEventTriggered(FRAME_TIMEOUT);
		}
		else {
			scheduleFrame(ctx, this.frameNanos - elapsed);
		}
	}

	private record Event(String name) {

		@Override
		public String toString() {
			return this.name;
		}

	}

}
