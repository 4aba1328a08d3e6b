package dev.peergate.xpc.jna;

import java.util.ArrayList;
import java.util.List;

import dev.peergate.handler.IpcFileDescriptor;

/**
 * The {@code xpc_fd} values of one received message as {@link XpcValues#fromDictionary(com.sun.jna.Pointer,
 * XpcReceivedDescriptors)} met them: each duplicated ({@code xpc_fd_dup}) into an {@link IpcFileDescriptor} while
 * there are at most {@code limit}, beyond it only counted (its value converts to {@code null}), so that a peer
 * cannot make this process open descriptors without bound. The receiver refuses a message that
 * {@link #exceeded()} the limit and {@link #closeAll() closes} what was opened.
 *
 * <pre>{@code
 * XpcReceivedDescriptors received = new XpcReceivedDescriptors(8);
 * Map<String, Object> body = message.body(received);
 * if (received.exceeded()) {
 *     received.closeAll(); // and refuse the message
 * }
 * }</pre>
 */
public final class XpcReceivedDescriptors {

	private final int limit;

	private final List<IpcFileDescriptor> descriptors = new ArrayList<>();

	private int count;

	/** Descriptors of one message, at most {@code limit} opened. */
	public XpcReceivedDescriptors(int limit) {
		if (limit < 0) {
			throw new IllegalArgumentException("'limit' must not be negative");
		}
		this.limit = limit;
	}

	/** No limit: for replies to this process's own calls. */
	public static XpcReceivedDescriptors unlimited() {
		return new XpcReceivedDescriptors(Integer.MAX_VALUE);
	}

	/** Counts one more {@code xpc_fd}; whether it may be opened. */
	boolean admit() {
		this.count++;
		return this.count <= this.limit;
	}

	void add(IpcFileDescriptor descriptor) {
		this.descriptors.add(descriptor);
	}

	/** The descriptors opened, in the order they were met. */
	public List<IpcFileDescriptor> descriptors() {
		return List.copyOf(this.descriptors);
	}

	/** How many {@code xpc_fd} values were met, opened or not. */
	public int count() {
		return this.count;
	}

	/** Whether the message carried more than the limit. */
	public boolean exceeded() {
		return this.count > this.limit;
	}

	/** Closes every descriptor opened (those taken over by their handler are left alone). */
	public void closeAll() {
		for (IpcFileDescriptor descriptor : this.descriptors) {
			descriptor.close();
		}
	}

}
