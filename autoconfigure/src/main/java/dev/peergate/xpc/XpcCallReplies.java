package dev.peergate.xpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.ReplySink;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcConversionException;
import dev.peergate.xpc.jna.XpcMessage;
import dev.peergate.xpc.jna.XpcPeerConnection;
import org.jspecify.annotations.Nullable;

/**
 * The replies of one XPC call: stream items as messages on the peer connection, the final reply through
 * {@code xpc_dictionary_create_reply}. A stream waits while the peer does not receive, instead of libxpc queueing
 * without limit. The descriptors of a reply are closed once it was sent or dropped, the message holding duplicates (the
 * call's own are the dispatcher's to close).
 */
final class XpcCallReplies implements ReplySink {

	/**
	 * A blocking handler's stream waits while this many of its connection's stream messages are still in libxpc's
	 * send queue here (the peer's Mach port holds 5 more): enough to keep a reading peer busy, little to hold for
	 * one that does not read.
	 */
	static final int MAX_UNSENT_STREAM_MESSAGES = 16;

	/**
	 * Unsent stream messages past which the peer connection is cancelled ({@code reply-buffer}): only streams that
	 * cannot wait get here (a non-blocking handler's, whose barriers cannot run while it runs on their queue).
	 */
	static final int MAX_UNSENT_STREAM_MESSAGES_HARD = 1_024;

	private final XpcPeerSession session;

	private final XpcMessage message;

	private final XpcPeerConnection peer;

	private final @Nullable Object id;

	/** A oneway call: nothing is sent, the call ends when its handler is done. */
	private final boolean oneway;

	private final AtomicBoolean finished = new AtomicBoolean();

	XpcCallReplies(XpcPeerSession session, XpcMessage message, XpcPeerConnection peer, @Nullable Object id,
			boolean oneway) {
		this.session = session;
		this.message = message;
		this.peer = peer;
		this.id = id;
		this.oneway = oneway;
	}

	@Override
	public void reply(IpcReply reply) {
		try {
			send(reply);
		}
		finally {
			IpcFileDescriptor.closeAllIn(reply.parameters());
		}
	}

	private void send(IpcReply reply) {
		if (this.oneway) {
			return;
		}
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		if (reply.error() != null) {
			body.put("error", reply.error());
		}
		body.put("parameters", reply.parameters());
		if (this.id != null) {
			body.put("id", this.id);
		}
		if (reply.continues()) {
			if (!this.finished.get()) {
				body.put("continues", true);
				this.peer.awaitRoom(MAX_UNSENT_STREAM_MESSAGES);
				this.peer.send(body);
				if (this.peer.unsent() > MAX_UNSENT_STREAM_MESSAGES_HARD && this.peer.cancel()) {
					this.session.limitExceeded("reply-buffer");
				}
			}
			return;
		}
		if (!this.finished.compareAndSet(false, true)) {
			return;
		}
		// the slot is free before the reply can reach the peer: a peer that sends its next call when this one is
		// answered must never find the slot still taken (Overloaded for a peer within its limit); the call counts
		// for the drain until its reply is sent, or the connection could be cancelled before the reply goes
		this.session.slotFreed();
		try {
			this.message.reply(body);
		}
		catch (XpcConversionException ex) {
			this.message.reply(Map.of("error", StandardErrors.HANDLER_FAILED, "parameters",
					Map.of("problem", "the handler's reply holds a value XPC messages cannot carry")));
		}
		finally {
			this.message.close();
			this.session.callEnded(this);
		}
	}

	/**
	 * The call ended (the dispatcher closes its descriptors once its handler also returned). A oneway call ends
	 * here, counted in flight until its handler is done; other calls end with their reply.
	 */
	@Override
	public void completed() {
		if (this.oneway && this.finished.compareAndSet(false, true)) {
			this.message.close();
			this.session.slotFreed();
			this.session.callEnded(this);
		}
	}

	@Override
	public boolean isOpen() {
		return this.peer.isOpen();
	}

}
