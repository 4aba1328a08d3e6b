package dev.peergate.xpc.jna;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.Pointer;
import dev.peergate.handler.IpcFileDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * A received request: retained on arrival, its body converted once, released by {@link #close()} (idempotent).
 * Replies go through {@code xpc_dictionary_create_reply}, which libxpc allows once per message; further replies of
 * a stream are sent as plain messages on the peer connection.
 *
 * <pre>{@code
 * try (XpcMessage message = ...) {
 *     message.reply(Map.of("parameters", Map.of("ok", true)));
 * }
 * }</pre>
 */
public final class XpcMessage implements AutoCloseable {

	private final XpcNative nativeXpc;

	private final XpcPeerConnection connection;

	private final Pointer message;

	private final AtomicBoolean released = new AtomicBoolean();

	private final AtomicBoolean replied = new AtomicBoolean();

	XpcMessage(XpcNative nativeXpc, XpcPeerConnection connection, Pointer borrowed) {
		this.nativeXpc = nativeXpc;
		this.connection = connection;
		this.message = nativeXpc.xpc().xpc_retain(borrowed);
	}

	/** The message body as Java values; the caller owns the file descriptors in it. */
	public Map<String, @Nullable Object> body() {
		return this.nativeXpc.values().fromDictionary(this.message);
	}

	/**
	 * The message body as Java values, its file descriptors opened up to the limit of {@code received} and collected
	 * there (closed if the conversion fails).
	 */
	public Map<String, @Nullable Object> body(XpcReceivedDescriptors received) {
		return this.nativeXpc.values().fromDictionary(this.message, received);
	}

	/** The connection the message arrived on. */
	public XpcPeerConnection connection() {
		return this.connection;
	}

	Pointer pointer() {
		return this.message;
	}

	/**
	 * Sends the reply (at most once). Returns {@code false} when the sender expects no reply or a reply was
	 * already sent. The file descriptors in {@code body} are closed either way (the reply holds duplicates).
	 */
	public boolean reply(Map<String, ? extends @Nullable Object> body) {
		try {
			return replyOnce(body);
		}
		finally {
			IpcFileDescriptor.closeAllIn(body);
		}
	}

	private boolean replyOnce(Map<String, ? extends @Nullable Object> body) {
		if (this.released.get() || this.replied.get()) {
			return false;
		}
		LibXpc xpc = this.nativeXpc.xpc();
		// Convert first: a value that cannot be converted must not consume the one reply libxpc allows.
		Map<String, Pointer> values = new java.util.LinkedHashMap<>();
		try {
			for (Map.Entry<String, ? extends @Nullable Object> entry : body.entrySet()) {
				values.put(entry.getKey(), this.nativeXpc.values().toXpc(entry.getValue()));
			}
			if (!this.replied.compareAndSet(false, true)) {
				return false;
			}
			Pointer reply = xpc.xpc_dictionary_create_reply(this.message);
			if (reply == null) {
				return false;
			}
			try {
				values.forEach((key, value) -> xpc.xpc_dictionary_set_value(reply, key, value));
				return this.connection.whileOpen((connection) -> xpc.xpc_connection_send_message(connection, reply));
			}
			finally {
				xpc.xpc_release(reply);
			}
		}
		finally {
			values.values().forEach(xpc::xpc_release);
		}
	}

	/** Releases the message; later replies are dropped. */
	@Override
	public void close() {
		if (this.released.compareAndSet(false, true)) {
			this.nativeXpc.xpc().xpc_release(this.message);
		}
	}

}
