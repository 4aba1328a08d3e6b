package dev.peergate.systemd.jna;

import java.io.IOException;
import java.util.Locale;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Sends {@code AF_UNIX} datagrams: {@code socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC)}, then one {@code sendto} per
 * message to an encoded {@code struct sockaddr_un}. JDK 17 has no Unix datagram channel; this is the whole of what
 * {@code sd_notify} needs. One socket per instance, safe to share between threads ({@code sendto} is atomic per
 * datagram).
 *
 * <pre>{@code
 * try (NotifyDatagrams datagrams = NotifyDatagrams.open()) {
 *     datagrams.send(address, "READY=1".getBytes(StandardCharsets.UTF_8));
 * }
 * }</pre>
 */
public final class NotifyDatagrams implements AutoCloseable {

	private static final int AF_UNIX = 1;

	private static final int SOCK_DGRAM = 2;

	private static final int SOCK_CLOEXEC = 0x80000; // O_CLOEXEC on x86_64 and aarch64

	private static final int MSG_NOSIGNAL = 0x4000;

	private final int fd;

	private volatile boolean closed;

	private NotifyDatagrams(int fd) {
		this.fd = fd;
	}

	/** Whether this JVM runs where the constants above hold: Linux on x86_64 or aarch64. */
	public static boolean isSupported() {
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		return Platform.isLinux() && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
	}

	/**
	 * An unbound datagram socket.
	 * @throws IOException when the socket cannot be created
	 * @throws UnsupportedOperationException when not {@link #isSupported()}
	 */
	public static NotifyDatagrams open() throws IOException {
		if (!isSupported()) {
			throw new UnsupportedOperationException("Notify datagrams need Linux on x86_64 or aarch64, not "
					+ System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
		}
		try {
			return new NotifyDatagrams(CLib.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
		}
		catch (LastErrorException ex) {
			throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed: errno " + ex.getErrorCode());
		}
	}

	/**
	 * Sends one datagram.
	 * @param sockaddr an encoded {@code struct sockaddr_un} (family, then the path or the abstract name), exactly
	 * as long as the address ({@code addrlen} is its length)
	 * @param message the datagram
	 * @throws IOException with the {@code errno} when {@code sendto} fails (e.g. {@code ECONNREFUSED}: nobody
	 * listens)
	 */
	public void send(byte[] sockaddr, byte[] message) throws IOException {
		if (this.closed) {
			throw new IOException("Notify socket is closed");
		}
		try {
			long sent = CLib.sendto(this.fd, message, message.length, MSG_NOSIGNAL, sockaddr, sockaddr.length);
			if (sent != message.length) {
				throw new IOException("sendto sent " + sent + " of " + message.length + " bytes");
			}
		}
		catch (LastErrorException ex) {
			throw new IOException("sendto failed: errno " + ex.getErrorCode());
		}
	}

	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			try {
				CLib.close(this.fd);
			}
			catch (LastErrorException ex) {
				// the descriptor is released on Linux whatever close reports
			}
		}
	}

	/** libc by JNA direct mapping; every call reports failure through {@link LastErrorException}. */
	static final class CLib {

		static {
			Native.register(CLib.class, "c"); // once, at the first call: class initialization is thread-safe
		}

		private CLib() {
		}

		static native int socket(int domain, int type, int protocol) throws LastErrorException;

		static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
				throws LastErrorException;

		static native int close(int fd) throws LastErrorException;

	}

}
