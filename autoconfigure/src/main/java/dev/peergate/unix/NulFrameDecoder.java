package dev.peergate.unix;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ByteProcessor;

/**
 * Splits the stream at NUL bytes into messages without their NUL, and fails with {@link TooLongFrameException} as
 * soon as more than {@code maxLength} bytes arrived without one. Unlike Netty's {@code DelimiterBasedFrameDecoder} it
 * remembers how far it has searched: a megabyte arriving in 64 KiB reads is scanned once, not sixteen times from its
 * start, on the I/O thread every connection shares.
 */
final class NulFrameDecoder extends ByteToMessageDecoder {

	private final int maxLength;

	/** Bytes after the reader index already known to hold no NUL. */
	private int scanned;

	NulFrameDecoder(int maxLength) {
		this.maxLength = maxLength;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws TooLongFrameException {
		int start = in.readerIndex();
		int nul = in.forEachByte(start + this.scanned, in.writerIndex() - start - this.scanned, ByteProcessor.FIND_NUL);
		if (nul < 0) {
			this.scanned = in.readableBytes();
			if (this.scanned > this.maxLength) {
				throw new TooLongFrameException("message larger than " + this.maxLength + " bytes");
			}
			return;
		}
		this.scanned = 0;
		int length = nul - start;
		if (length > this.maxLength) {
			throw new TooLongFrameException("message larger than " + this.maxLength + " bytes");
		}
		out.add(in.readRetainedSlice(length));
		in.skipBytes(1);
	}

}
