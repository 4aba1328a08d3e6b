package dev.peergate.client;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcReply;
import org.jspecify.annotations.Nullable;

/**
 * The replies of a {@link VarlinkClient#more} call, in order, ending with the reply that has
 * {@code continues: false}. Each {@link #hasNext()} waits up to the call timeout for the next reply. An error reply
 * is thrown as an {@link IpcError} and ends the iteration. Not thread-safe: iterate from one thread.
 *
 * <pre>{@code
 * try (VarlinkReplies<Progress> replies = client.more("com.example.helper.Install", request, Progress.class)) {
 *     for (Progress progress : replies) { ... }
 * }
 * }</pre>
 *
 * @param <T> reply type
 */
public final class VarlinkReplies<T> implements Iterator<T>, Iterable<T>, AutoCloseable {

	private final VarlinkClient client;

	private final VarlinkClient.Pending call;

	private final Class<T> type;

	private @Nullable T next;

	private boolean done;

	VarlinkReplies(VarlinkClient client, VarlinkClient.Pending call, Class<T> type) {
		this.client = client;
		this.call = call;
		this.type = type;
	}

	/**
	 * Whether another reply follows, waiting for it if needed.
	 * @throws IpcError when the server replies with an error
	 * @throws VarlinkTimeoutException when the next reply does not arrive within the call timeout
	 */
	@Override
	public boolean hasNext() {
		if (this.next != null) {
			return true;
		}
		if (this.done) {
			return false;
		}
		IpcReply reply;
		try {
			reply = this.client.await(this.call);
		}
		catch (VarlinkClientException ex) {
			this.done = true;
			throw ex;
		}
		if (!reply.continues() || reply.isError()) {
			this.done = true;
		}
		this.next = VarlinkClient.bind(this.call.method, VarlinkClient.replyParameters(reply), this.type);
		return true;
	}

	@Override
	public T next() {
		if (!hasNext()) {
			throw new NoSuchElementException("No more replies to " + this.call.method);
		}
		T reply = this.next;
		this.next = null;
		return reply;
	}

	@Override
	public Iterator<T> iterator() {
		return this;
	}

	/** The remaining replies as a stream. */
	public Stream<T> stream() {
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false);
	}

	/** Stops waiting; replies still to come are discarded as they arrive. */
	@Override
	public void close() {
		if (!this.done) {
			this.done = true;
			this.call.abandoned = true;
		}
	}

}
