package dev.peergate.unix.descriptor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.unix.jna.DescriptorCalls;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Gives each NUL-terminated message the descriptors that came with its first byte. A sender attaches them to the
 * first byte of the message (sd-varlink's rule); Linux ends a {@code recvmsg} right after the part of the stream
 * that carried descriptors, so they belong to the last message that begins in the bytes of that read. Descriptors
 * with a read in which no message begins break the rule and are refused. Event loop only.
 *
 * <pre>{@code
 * received.received(chunk, fds);                        // as read from the socket
 * List<IpcFileDescriptor> mine = received.claim(frame.readableBytes()); // for each frame, in order
 * }</pre>
 */
public final class ReceivedDescriptors {

	/** Bytes of the stream seen so far. */
	private long seen;

	/** Whether the next byte begins a message. */
	private boolean atMessageStart = true;

	/** Where the next frame to be claimed begins in the stream. */
	private long claimed;

	private final ArrayDeque<Held> held = new ArrayDeque<>(2);

	/**
	 * The bytes of one read and the descriptors that came with them (now owned here).
	 * @throws DescriptorsOutOfPlaceException when no message begins in these bytes (the descriptors are closed)
	 */
	public void received(ByteBuf chunk, int[] descriptors) {
		int length = chunk.readableBytes();
		if (length == 0) {
			closeAll(descriptors);
			return;
		}
		int first = chunk.readerIndex();
		if (descriptors.length > 0) {
			long start = this.atMessageStart ? this.seen : -1;
			if (length > 1) {
				int nul = chunk.forEachByteDesc(first, length - 1, ByteProcessor.FIND_NUL);
				if (nul >= 0) {
					start = this.seen + (nul - first) + 1;
				}
			}
			if (start < 0) {
				closeAll(descriptors);
				throw new DescriptorsOutOfPlaceException();
			}
			this.held.add(new Held(start, descriptors));
		}
		this.atMessageStart = chunk.getByte(first + length - 1) == 0;
		this.seen += length;
	}

	/** The descriptors of the next message, {@code length} bytes without its NUL; the caller owns them. */
	public List<IpcFileDescriptor> claim(int length) {
		long start = this.claimed;
		this.claimed += length + 1L;
		Held next;
		while ((next = this.held.peek()) != null && next.start < start) {
			closeAll(this.held.poll().descriptors); // never claimed: cannot happen while frames are claimed in order
		}
		if (next == null || next.start != start) {
			return List.of();
		}
		this.held.poll();
		List<IpcFileDescriptor> descriptors = new ArrayList<>(next.descriptors.length);
		for (int descriptor : next.descriptors) {
			descriptors.add(IpcFileDescriptor.adopt(descriptor));
		}
		return descriptors;
	}

	/** Descriptors received and not claimed yet. */
	public int held() {
		int count = 0;
		for (Held entry : this.held) {
			count += entry.descriptors.length;
		}
		return count;
	}

	/** Closes every descriptor not claimed (the connection closed). */
	public void closeAll() {
		Held entry;
		while ((entry = this.held.poll()) != null) {
			closeAll(entry.descriptors);
		}
	}

	static void closeAll(int[] descriptors) {
		for (int descriptor : descriptors) {
			DescriptorCalls.get().close(descriptor);
		}
	}

	private record Held(long start, int[] descriptors) {
	}

	/** Descriptors came with bytes that do not begin a message. */
	public static final class DescriptorsOutOfPlaceException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		DescriptorsOutOfPlaceException() {
			super("file descriptors must come with the first byte of a message", null, false, false);
		}

	}

}
