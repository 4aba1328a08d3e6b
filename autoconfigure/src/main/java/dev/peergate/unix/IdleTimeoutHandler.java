package dev.peergate.unix;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.jspecify.annotations.Nullable;

/**
 * Fires {@link #IDLE} down the pipeline when a connection has neither read nor written a byte for the timeout.
 * Sits first in the pipeline so that half a message counts as traffic only when its bytes arrive, and a peer that
 * stalls mid-message is detected.
 */
final class IdleTimeoutHandler extends ChannelDuplexHandler {

	/** The user event fired on idleness. */
	static final Object IDLE = new Object() {

		@Override
		public String toString() {
			return "IDLE";
		}

	};

	private final long timeoutNanos;

	private long lastActivity;

	private @Nullable ScheduledFuture<?> check;

	IdleTimeoutHandler(long timeoutNanos) {
		this.timeoutNanos = timeoutNanos;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.lastActivity = System.nanoTime();
		schedule(ctx, this.timeoutNanos);
		super.channelActive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		this.lastActivity = System.nanoTime();
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
		ScheduledFuture<?> pending = this.check;
		if (pending != null) {
			pending.cancel(false);
		}
		super.channelInactive(ctx);
	}

	private void schedule(ChannelHandlerContext ctx, long delayNanos) {
		this.check = ctx.executor().schedule(() -> run(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	private void run(ChannelHandlerContext ctx) {
		if (!ctx.channel().isOpen()) {
			return;
		}
		long idle = System.nanoTime() - this.lastActivity;
		if (idle >= this.timeoutNanos) {
			this.lastActivity = System.nanoTime(); // next event only after another full period
			ctx.fireUserEventTriggered(IDLE);
			schedule(ctx, this.timeoutNanos);
		}
		else {
			schedule(ctx, this.timeoutNanos - idle);
		}
	}

}
