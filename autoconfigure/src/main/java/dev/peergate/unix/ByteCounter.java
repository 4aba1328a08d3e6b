package dev.peergate.unix;

import dev.peergate.core.LiveConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts a connection's bytes as they pass the head of its pipeline: read from the socket, and handed to it for
 * writing. Written on the event loop only (one writer, so no lost updates) and read from any thread for the
 * connection inventory: no lock, no contended atomic on the I/O path.
 */
final class ByteCounter extends ChannelDuplexHandler implements LiveConnection.Bytes {

	private volatile long read;

	private volatile long written;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
		if (message instanceof ByteBuf bytes) {
			this.read += bytes.readableBytes(); // one writer: the event loop
		}
		super.channelRead(ctx, message);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
		if (message instanceof ByteBuf bytes) {
			this.written += bytes.readableBytes(); // one writer: the event loop
		}
		super.write(ctx, message, promise);
	}

	@Override
	public long read() {
		return this.read;
	}

	@Override
	public long written() {
		return this.written;
	}

}
