package dev.peergate.unix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of one {@link UnixListener}, filled from configuration properties.
 *
 * <pre>{@code
 * UnixListenerOptions options = UnixListenerOptions.defaults(Path.of("/run/helper/helper.sock"))
 *     .withMode("0660")
 *     .withMaxConnections(64);
 * }</pre>
 *
 * @param path socket path (also the address shown for a systemd-activated socket)
 * @param mode octal permission bits of the socket file, e.g. {@code 0660}; connecting needs write permission
 * @param maxMessageSize largest message accepted, in bytes, without the terminating NUL
 * @param maxDepth deepest JSON nesting accepted
 * @param maxConnections connections being verified or accepted at once; more are closed at accept. A refused
 * connection gives its slot back as soon as its verdict is known
 * @param maxConnectionsPerUid connections of one user open at once, whatever their verdict; more are closed at
 * accept
 * @param maxVerifying connections awaiting their verdict at once; more are closed at accept
 * @param maxInFlightPerConnection calls of one connection awaiting their final reply; more get
 * {@code dev.peergate.Overloaded}
 * @param idleTimeout a connection without a complete message or a reply and without calls in flight for this long
 * is closed; zero disables
 * @param frameTimeout a message must arrive completely within this time of its first byte, or the connection is
 * closed; zero disables
 * @param maxReplyBuffer reply bytes of one connection held in memory because its peer does not read them; more
 * close the connection. Reading from the connection and its streams pause long before (at 64 KiB)
 * @param socketActivation whether to adopt a socket passed by systemd ({@code LISTEN_FDS}) instead of binding
 * @param ioThreads event-loop threads
 * @param maxFdsPerMessage file descriptors one message may carry ({@code SCM_RIGHTS}); 0 turns descriptor passing
 * off. Connections pass descriptors only when a method served on the listener takes or returns one
 */
public record UnixListenerOptions(Path path, String mode, int maxMessageSize, int maxDepth, int maxConnections,
		int maxConnectionsPerUid, int maxVerifying, int maxInFlightPerConnection, Duration idleTimeout,
		Duration frameTimeout, long maxReplyBuffer, boolean socketActivation, int ioThreads, int maxFdsPerMessage) {

	/** Default of {@link #maxFdsPerMessage()}. */
	public static final int DEFAULT_MAX_FDS_PER_MESSAGE = 8;

	/** Default largest message: 1 MiB. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

	public UnixListenerOptions {
		Objects.requireNonNull(path, "'path' must not be null");
		Objects.requireNonNull(mode, "'mode' must not be null");
		Objects.requireNonNull(idleTimeout, "'idleTimeout' must not be null");
		Objects.requireNonNull(frameTimeout, "'frameTimeout' must not be null");
		SocketFile.parseMode(mode);
		if (maxMessageSize < 64 || maxDepth < 2 || maxConnections < 1 || maxConnectionsPerUid < 1 || maxVerifying < 1
				|| maxInFlightPerConnection < 1 || ioThreads < 1 || idleTimeout.isNegative()
				|| frameTimeout.isNegative() || maxReplyBuffer < 65536 || maxFdsPerMessage < 0 || maxFdsPerMessage > 253) {
			throw new IllegalArgumentException("Invalid Unix listener limits: maxMessageSize >= 64, maxDepth >= 2, "
					+ "maxConnections, maxConnectionsPerUid, maxVerifying, maxInFlightPerConnection and ioThreads >= 1, "
					+ "idleTimeout and frameTimeout >= 0, maxReplyBuffer >= 64 KiB, maxFdsPerMessage 0 to 253; got " + this);
		}
	}

	/**
	 * Defaults: mode {@code 0600} (owner only, as the {@code unix.mode} property), 1 MiB messages, depth 64, 256
	 * connections of which 64 per user and 128 awaiting their verdict, 16 calls in flight per connection, 5 minutes idle timeout, 5 seconds to complete a message,
	 * 8 MiB of unread replies, socket activation on, one I/O thread, 8 file descriptors per message.
	 */
	public static UnixListenerOptions defaults(Path path) {
		return new UnixListenerOptions(path, "0600", DEFAULT_MAX_MESSAGE_SIZE, 64, 256, 64, 128, 16,
				Duration.ofMinutes(5), Duration.ofSeconds(5), 8L * 1024 * 1024, true, 1, DEFAULT_MAX_FDS_PER_MESSAGE);
	}

	/** With another file mode. */
	public UnixListenerOptions withMode(String mode) {
		return with(options -> options.mode = mode);
	}

	/** With another maximum message size. */
	public UnixListenerOptions withMaxMessageSize(int maxMessageSize) {
		return with(options -> options.maxMessageSize = maxMessageSize);
	}

	/** With another maximum nesting depth. */
	public UnixListenerOptions withMaxDepth(int maxDepth) {
		return with(options -> options.maxDepth = maxDepth);
	}

	/** With another connection limit. */
	public UnixListenerOptions withMaxConnections(int maxConnections) {
		return with(options -> options.maxConnections = maxConnections);
	}

	/** With another limit of connections per user. */
	public UnixListenerOptions withMaxConnectionsPerUid(int maxConnectionsPerUid) {
		return with(options -> options.maxConnectionsPerUid = maxConnectionsPerUid);
	}

	/** With another limit of connections awaiting their verdict. */
	public UnixListenerOptions withMaxVerifying(int maxVerifying) {
		return with(options -> options.maxVerifying = maxVerifying);
	}

	/** With another per-connection in-flight limit. */
	public UnixListenerOptions withMaxInFlightPerConnection(int maxInFlightPerConnection) {
		return with(options -> options.maxInFlightPerConnection = maxInFlightPerConnection);
	}

	/** With another idle timeout. */
	public UnixListenerOptions withIdleTimeout(Duration idleTimeout) {
		return with(options -> options.idleTimeout = idleTimeout);
	}

	/** With another time limit for a message to arrive completely. */
	public UnixListenerOptions withFrameTimeout(Duration frameTimeout) {
		return with(options -> options.frameTimeout = frameTimeout);
	}

	/** With another limit of unread reply bytes per connection. */
	public UnixListenerOptions withMaxReplyBuffer(long maxReplyBuffer) {
		return with(options -> options.maxReplyBuffer = maxReplyBuffer);
	}

	/** With another number of I/O (event-loop) threads. */
	public UnixListenerOptions withIoThreads(int ioThreads) {
		return with(options -> options.ioThreads = ioThreads);
	}

	/** With another limit of file descriptors per message (0: no descriptor passing). */
	public UnixListenerOptions withMaxFdsPerMessage(int maxFdsPerMessage) {
		return with(options -> options.maxFdsPerMessage = maxFdsPerMessage);
	}

	/** With socket activation on or off. */
	public UnixListenerOptions withSocketActivation(boolean socketActivation) {
		return with(options -> options.socketActivation = socketActivation);
	}

	private UnixListenerOptions with(Consumer<Draft> change) {
		Draft draft = new Draft(this);
		change.accept(draft);
		return draft.build();
	}

	/** A mutable copy, so that each {@code with...} names only what it changes. */
	private static final class Draft {

		Path path;

		String mode;

		int maxMessageSize;

		int maxDepth;

		int maxConnections;

		int maxConnectionsPerUid;

		int maxVerifying;

		int maxInFlightPerConnection;

		Duration idleTimeout;

		Duration frameTimeout;

		long maxReplyBuffer;

		boolean socketActivation;

		int ioThreads;

		int maxFdsPerMessage;

		Draft(UnixListenerOptions options) {
			this.path = options.path;
			this.mode = options.mode;
			this.maxMessageSize = options.maxMessageSize;
			this.maxDepth = options.maxDepth;
			this.maxConnections = options.maxConnections;
			this.maxConnectionsPerUid = options.maxConnectionsPerUid;
			this.maxVerifying = options.maxVerifying;
			this.maxInFlightPerConnection = options.maxInFlightPerConnection;
			this.idleTimeout = options.idleTimeout;
			this.frameTimeout = options.frameTimeout;
			this.maxReplyBuffer = options.maxReplyBuffer;
			this.socketActivation = options.socketActivation;
			this.ioThreads = options.ioThreads;
			this.maxFdsPerMessage = options.maxFdsPerMessage;
		}

		UnixListenerOptions build() {
			return new UnixListenerOptions(this.path, this.mode, this.maxMessageSize, this.maxDepth, this.maxConnections,
					this.maxConnectionsPerUid, this.maxVerifying, this.maxInFlightPerConnection, this.idleTimeout,
					this.frameTimeout, this.maxReplyBuffer, this.socketActivation, this.ioThreads, this.maxFdsPerMessage);
		}

	}

}
