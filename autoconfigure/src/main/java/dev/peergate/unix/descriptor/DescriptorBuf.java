package dev.peergate.unix.descriptor;

import dev.peergate.unix.jna.DescriptorCalls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.WrappedByteBuf;

/**
 * An encoded message with the file descriptors to send with its first byte. It owns them: they are closed when
 * the buffer is released, whether it was sent, dropped behind a slow peer or discarded on an error path, so no
 * path can leak one. Everything else sees an ordinary buffer (its bytes are counted and queued as any reply's).
 */
public final class DescriptorBuf extends WrappedByteBuf {

	private int[] descriptors;

	private DescriptorBuf(ByteBuf bytes, int[] descriptors) {
		super(bytes);
		this.descriptors = descriptors;
	}

	/** {@code bytes} carrying {@code descriptors}, or {@code bytes} itself when there are none. */
	public static ByteBuf of(ByteBuf bytes, int[] descriptors) {
		return (descriptors.length == 0) ? bytes : new DescriptorBuf(bytes, descriptors);
	}

	/** The descriptors, still owned by this buffer. */
	int[] descriptors() {
		return this.descriptors;
	}

	@Override
	public boolean release() {
		boolean released = super.release();
		if (released) {
			closeDescriptors();
		}
		return released;
	}

	@Override
	public boolean release(int decrement) {
		boolean released = super.release(decrement);
		if (released) {
			closeDescriptors();
		}
		return released;
	}

	private void closeDescriptors() {
		int[] owned = this.descriptors;
		this.descriptors = new int[0];
		for (int descriptor : owned) {
			DescriptorCalls.get().close(descriptor);
		}
	}

}
