package dev.peergate.unix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** A minimal varlink client over a JDK Unix socket, for tests: raw bytes in, NUL-terminated frames out. */
final class VarlinkTestClient implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final SocketChannel channel;

	private final Selector selector;

	private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

	private boolean eof;

	private VarlinkTestClient(SocketChannel channel) throws IOException {
		this.channel = channel;
		channel.configureBlocking(false);
		this.selector = Selector.open();
		channel.register(this.selector, SelectionKey.OP_READ);
	}

	static VarlinkTestClient connect(Path path) {
		try {
			SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
			channel.connect(UnixDomainSocketAddress.of(path));
			return new VarlinkTestClient(channel);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Connects without ever blocking longer than the timeout: a blocking {@code connect} to a listener that stopped
	 * accepting waits for as long as its backlog is full, while a non-blocking one fails at once with
	 * {@code EAGAIN} and is retried until the deadline.
	 */
	static VarlinkTestClient connect(Path path, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			SocketChannel channel = null;
			try {
				channel = SocketChannel.open(StandardProtocolFamily.UNIX);
				channel.configureBlocking(false);
				if (!channel.connect(UnixDomainSocketAddress.of(path))) {
					throw new IllegalStateException("connect in progress on a Unix socket"); // Linux never does this
				}
				return new VarlinkTestClient(channel);
			}
			catch (IOException ex) {
				closeQuietly(channel);
				if (!"Resource temporarily unavailable".equals(ex.getMessage()) || System.nanoTime() > deadline) {
					throw new UncheckedIOException(ex);
				}
			}
			catch (RuntimeException ex) {
				closeQuietly(channel);
				throw ex;
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	private static void closeQuietly(SocketChannel channel) {
		try {
			if (channel != null) {
				channel.close();
			}
		}
		catch (IOException ex) {
			// nothing to release
		}
	}

	/** Sends a call and waits for its single reply. */
	Map<String, Object> call(String method, Map<String, ?> parameters) {
		return call(method, parameters, Duration.ofSeconds(10));
	}

	/** Sends a call and waits for its single reply up to the timeout. */
	Map<String, Object> call(String method, Map<String, ?> parameters, Duration timeout) {
		send(Map.of("method", method, "parameters", parameters));
		return readReply(timeout);
	}

	void send(Map<String, ?> message) {
		sendText(JSON.writeValueAsString(message));
	}

	/** Sends the text followed by the NUL terminator. */
	void sendText(String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		byte[] framed = new byte[bytes.length + 1];
		System.arraycopy(bytes, 0, framed, 0, bytes.length);
		sendRaw(framed);
	}

	void sendRaw(byte[] bytes) {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		try {
			while (buffer.hasRemaining()) {
				if (this.channel.write(buffer) == 0) {
					Thread.sleep(1);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	Map<String, Object> readReply(Duration timeout) {
		byte[] frame = readFrame(timeout);
		if (frame == null) {
			throw new IllegalStateException("Connection closed before a reply arrived");
		}
		return JSON.readValue(frame, Map.class);
	}

	/** The next NUL-terminated frame, or {@code null} at end of stream. */
	byte[] readFrame(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			byte[] buffered = this.pending.toByteArray();
			for (int i = 0; i < buffered.length; i++) {
				if (buffered[i] == 0) {
					byte[] frame = java.util.Arrays.copyOf(buffered, i);
					this.pending.reset();
					this.pending.write(buffered, i + 1, buffered.length - i - 1);
					return frame;
				}
			}
			if (this.eof) {
				return null;
			}
			fill(deadline);
		}
	}

	/** Whether the server closed the connection within the timeout (replies before the close are skipped). */
	boolean awaitClosed(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (!this.eof) {
				this.pending.reset();
				fill(deadline);
			}
			return true;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	private void fill(long deadline) {
		try {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new IllegalStateException("No data within the timeout");
			}
			this.selector.select(Math.max(1, left / 1_000_000));
			this.selector.selectedKeys().clear();
			ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
			int read = this.channel.read(buffer);
			if (read < 0) {
				this.eof = true;
			}
			else {
				this.pending.write(buffer.array(), 0, read);
			}
		}
		catch (IOException ex) {
			this.eof = true; // connection reset counts as closed
		}
	}

	@Override
	public void close() {
		try {
			this.selector.close();
			this.channel.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
