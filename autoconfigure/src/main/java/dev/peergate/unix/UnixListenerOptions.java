package dev.peergate.unix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

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
 * @param maxConnections connections open at once (including those being verified); more are closed at accept
 * @param maxInFlightPerConnection calls of one connection awaiting their final reply; more get
 * {@code dev.peergate.Overloaded}
 * @param idleTimeout a connection without traffic and without calls in flight for this long is closed; zero
 * disables
 * @param socketActivation whether to adopt a socket passed by systemd ({@code LISTEN_FDS}) instead of binding
 * @param ioThreads event-loop threads
 */
public record UnixListenerOptions(Path path, String mode, int maxMessageSize, int maxDepth, int maxConnections,
		int maxInFlightPerConnection, Duration idleTimeout, boolean socketActivation, int ioThreads) {

	/** Default largest message: 1 MiB. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

	public UnixListenerOptions {
		Objects.requireNonNull(path, "'path' must not be null");
		Objects.requireNonNull(mode, "'mode' must not be null");
		Objects.requireNonNull(idleTimeout, "'idleTimeout' must not be null");
		SocketFile.parseMode(mode);
		if (maxMessageSize < 64 || maxDepth < 2 || maxConnections < 1 || maxInFlightPerConnection < 1 || ioThreads < 1
				|| idleTimeout.isNegative()) {
			throw new IllegalArgumentException("Invalid Unix listener limits: maxMessageSize >= 64, maxDepth >= 2, "
					+ "maxConnections, maxInFlightPerConnection and ioThreads >= 1, idleTimeout >= 0; got " + this);
		}
	}

	/**
	 * Defaults: mode {@code 0660}, 1 MiB messages, depth 64, 256 connections, 16 calls in flight per connection,
	 * 5 minutes idle timeout, socket activation on, one I/O thread.
	 */
	public static UnixListenerOptions defaults(Path path) {
		return new UnixListenerOptions(path, "0660", DEFAULT_MAX_MESSAGE_SIZE, 64, 256, 16, Duration.ofMinutes(5), true,
				1);
	}

	/** With another file mode. */
	public UnixListenerOptions withMode(String mode) {
		return new UnixListenerOptions(this.path, mode, this.maxMessageSize, this.maxDepth, this.maxConnections,
				this.maxInFlightPerConnection, this.idleTimeout, this.socketActivation, this.ioThreads);
	}

	/** With another maximum message size. */
	public UnixListenerOptions withMaxMessageSize(int maxMessageSize) {
		return new UnixListenerOptions(this.path, this.mode, maxMessageSize, this.maxDepth, this.maxConnections,
				this.maxInFlightPerConnection, this.idleTimeout, this.socketActivation, this.ioThreads);
	}

	/** With another maximum nesting depth. */
	public UnixListenerOptions withMaxDepth(int maxDepth) {
		return new UnixListenerOptions(this.path, this.mode, this.maxMessageSize, maxDepth, this.maxConnections,
				this.maxInFlightPerConnection, this.idleTimeout, this.socketActivation, this.ioThreads);
	}

	/** With another connection limit. */
	public UnixListenerOptions withMaxConnections(int maxConnections) {
		return new UnixListenerOptions(this.path, this.mode, this.maxMessageSize, this.maxDepth, maxConnections,
				this.maxInFlightPerConnection, this.idleTimeout, this.socketActivation, this.ioThreads);
	}

	/** With another per-connection in-flight limit. */
	public UnixListenerOptions withMaxInFlightPerConnection(int maxInFlightPerConnection) {
		return new UnixListenerOptions(this.path, this.mode, this.maxMessageSize, this.maxDepth, this.maxConnections,
				maxInFlightPerConnection, this.idleTimeout, this.socketActivation, this.ioThreads);
	}

	/** With another idle timeout. */
	public UnixListenerOptions withIdleTimeout(Duration idleTimeout) {
		return new UnixListenerOptions(this.path, this.mode, this.maxMessageSize, this.maxDepth, this.maxConnections,
				this.maxInFlightPerConnection, idleTimeout, this.socketActivation, this.ioThreads);
	}

	/** With another number of I/O (event-loop) threads. */
	public UnixListenerOptions withIoThreads(int ioThreads) {
		return new UnixListenerOptions(this.path, this.mode, this.maxMessageSize, this.maxDepth, this.maxConnections,
				this.maxInFlightPerConnection, this.idleTimeout, this.socketActivation, ioThreads);
	}

	/** With socket activation on or off. */
	public UnixListenerOptions withSocketActivation(boolean socketActivation) {
		return new UnixListenerOptions(this.path, this.mode, this.maxMessageSize, this.maxDepth, this.maxConnections,
				this.maxInFlightPerConnection, this.idleTimeout, socketActivation, this.ioThreads);
	}

}
