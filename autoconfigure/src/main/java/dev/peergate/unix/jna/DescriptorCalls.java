package dev.peergate.unix.jna;

import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * File descriptors as the JDK does not offer them: {@code open(2)}, {@code fcntl(F_DUPFD_CLOEXEC)} and
 * {@code close(2)} (Linux and macOS, whose {@code O_*} values differ), and passing descriptors over a Unix
 * socket with {@code sendmsg}/{@code recvmsg} and {@code SCM_RIGHTS} (Linux, 64-bit: the {@code msghdr} and
 * {@code cmsghdr} layouts below are those of x86_64 and aarch64).
 *
 * <pre>{@code
 * DescriptorCalls calls = DescriptorCalls.get();
 * int fd = calls.open("/var/log/helper.log", Set.of(StandardOpenOption.READ));
 * calls.send(socket, message, 0, message.length, new int[] { fd });  // the peer gets its own descriptor
 * calls.close(fd);
 * }</pre>
 */
public final class DescriptorCalls {

	/** The most descriptors one {@code sendmsg} may carry ({@code SCM_MAX_FD}). */
	public static final int MAX_PER_MESSAGE = 253;

	private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

	private static final int SOL_SOCKET = 1;

	private static final int SCM_RIGHTS = 1;

	private static final int MSG_CTRUNC = 0x8;

	private static final int MSG_DONTWAIT = 0x40;

	private static final int MSG_NOSIGNAL = 0x4000;

	private static final int MSG_CMSG_CLOEXEC = 0x40000000;

	private static final int EAGAIN = 11;

	private static final int EINTR = 4;

	/** {@code struct msghdr}: name, namelen (+pad), iov, iovlen, control, controllen, flags (+pad). */
	private static final int MSGHDR_SIZE = 56;

	private static final int MSGHDR_IOV = 16;

	private static final int MSGHDR_IOVLEN = 24;

	private static final int MSGHDR_CONTROL = 32;

	private static final int MSGHDR_CONTROLLEN = 40;

	private static final int MSGHDR_FLAGS = 48;

	/** {@code struct cmsghdr}: len (size_t), level, type, then the data. */
	private static final int CMSG_HEADER = 16;

	private static final DescriptorCalls INSTANCE = new DescriptorCalls();

	private DescriptorCalls() {
	}

	/** The bindings, loaded on first use. */
	public static DescriptorCalls get() {
		LinuxNative.CLib.load();
		return INSTANCE;
	}

	/** Room for the control message of {@code descriptors} descriptors ({@code CMSG_SPACE}). */
	public static int controlSpace(int descriptors) {
		return CMSG_HEADER + ((descriptors * 4 + 7) & ~7);
	}

	/**
	 * {@code open(path, flags | O_CLOEXEC | O_NOCTTY, 0666 & ~umask)} with flags from the JDK's options, as
	 * {@link java.nio.file.Files#newByteChannel} reads them ({@code NOFOLLOW_LINKS}: {@code O_NOFOLLOW}).
	 */
	public int open(String path, Set<? extends OpenOption> options) throws NativeCallException {
		boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
		boolean read = options.contains(StandardOpenOption.READ) || !write;
		int flags = (read && write) ? 2 : (write ? 1 : 0);
		if (options.contains(StandardOpenOption.APPEND)) {
			flags |= LINUX ? 0x400 : 0x8;
		}
		if (options.contains(StandardOpenOption.CREATE_NEW)) {
			flags |= LINUX ? (0x40 | 0x80) : (0x200 | 0x800);
		}
		else if (options.contains(StandardOpenOption.CREATE)) {
			flags |= LINUX ? 0x40 : 0x200;
		}
		if (options.contains(StandardOpenOption.TRUNCATE_EXISTING) && write) {
			flags |= LINUX ? 0x200 : 0x400;
		}
		if (options.contains(LinkOption.NOFOLLOW_LINKS)) {
			flags |= LINUX ? 0x20000 : 0x100;
		}
		flags |= LINUX ? (0x80000 | 0x100) : (0x1000000 | 0x20000); // O_CLOEXEC | O_NOCTTY
		try {
			return LinuxNative.CLib.open(path, flags, 0666);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("open(" + path + ")", ex.getErrorCode());
		}
	}

	/** {@code fcntl(fd, F_DUPFD_CLOEXEC, 3)}: a new descriptor of the same open file. */
	public int duplicate(int fd) throws NativeCallException {
		try {
			return LinuxNative.CLib.fcntl(fd, LINUX ? 1030 : 67, 3);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("fcntl(F_DUPFD_CLOEXEC)", ex.getErrorCode());
		}
	}

	/** {@code close(fd)}; errors are ignored (the descriptor is released either way). */
	public void close(int fd) {
		try {
			LinuxNative.CLib.close(fd);
		}
		catch (LastErrorException ex) {
			// EINTR and EIO still release the descriptor; nothing to retry.
		}
	}

	/**
	 * One {@code recvmsg(MSG_DONTWAIT | MSG_CMSG_CLOEXEC)} into native memory, with room for the control message
	 * of {@code maxDescriptors} descriptors.
	 * @return the bytes read and the descriptors received with them ({@code read == 0}: end of stream;
	 * {@code read < 0}: nothing to read now); {@code truncated} when more descriptors came than there was room for
	 * (the kernel closed the rest)
	 */
	public Received receive(int socket, long address, int length, Buffers buffers) throws NativeCallException {
		Memory header = buffers.message(address, length);
		header.setPointer(MSGHDR_CONTROL, buffers.control);
		header.setLong(MSGHDR_CONTROLLEN, buffers.control.size());
		long read;
		while (true) {
			try {
				read = LinuxNative.CLib.recvmsg(socket, header, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
				break;
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() == EAGAIN) {
					return Received.NOTHING;
				}
				if (ex.getErrorCode() != EINTR) {
					throw new NativeCallException("recvmsg", ex.getErrorCode());
				}
			}
		}
		int[] descriptors = descriptors(buffers.control, header.getLong(MSGHDR_CONTROLLEN));
		boolean truncated = (header.getInt(MSGHDR_FLAGS) & MSG_CTRUNC) != 0;
		return new Received((int) read, descriptors, truncated);
	}

	/**
	 * One {@code sendmsg(MSG_DONTWAIT | MSG_NOSIGNAL)} of native memory with {@code descriptors} attached to its
	 * first byte.
	 * @return the bytes sent (the descriptors went with the first), or {@code -1} when the socket is full
	 */
	public int send(int socket, long address, int length, int[] descriptors, Buffers buffers)
			throws NativeCallException {
		if (descriptors.length > MAX_PER_MESSAGE) {
			throw new NativeCallException("sendmsg with " + descriptors.length + " descriptors", 22);
		}
		Memory header = buffers.message(address, length);
		Memory control = new Memory(controlSpace(descriptors.length));
		control.clear();
		control.setLong(0, CMSG_HEADER + 4L * descriptors.length);
		control.setInt(8, SOL_SOCKET);
		control.setInt(12, SCM_RIGHTS);
		control.write(CMSG_HEADER, descriptors, 0, descriptors.length);
		header.setPointer(MSGHDR_CONTROL, control);
		header.setLong(MSGHDR_CONTROLLEN, control.size());
		try {
			while (true) {
				try {
					return (int) LinuxNative.CLib.sendmsg(socket, header, MSG_DONTWAIT | MSG_NOSIGNAL);
				}
				catch (LastErrorException ex) {
					if (ex.getErrorCode() == EAGAIN) {
						return -1;
					}
					if (ex.getErrorCode() != EINTR) {
						throw new NativeCallException("sendmsg", ex.getErrorCode());
					}
				}
			}
		}
		finally {
			control.close();
		}
	}

	/** The {@code SCM_RIGHTS} descriptors of a received control buffer. */
	private static int[] descriptors(Pointer control, long length) {
		int[] found = new int[0];
		long at = 0;
		while (at + CMSG_HEADER <= length) {
			long cmsgLength = control.getLong(at);
			if (cmsgLength < CMSG_HEADER || at + cmsgLength > length) {
				break;
			}
			if (control.getInt(at + 8) == SOL_SOCKET && control.getInt(at + 12) == SCM_RIGHTS) {
				int count = (int) ((cmsgLength - CMSG_HEADER) / 4);
				int[] more = control.getIntArray(at + CMSG_HEADER, count);
				int[] all = new int[found.length + count];
				System.arraycopy(found, 0, all, 0, found.length);
				System.arraycopy(more, 0, all, found.length, count);
				found = all;
			}
			at += (cmsgLength + 7) & ~7L;
		}
		return found;
	}

	/**
	 * A connection's native buffers for {@link #receive} and {@link #send}, made once per connection: the message
	 * header, one {@code iovec}, and room for the control message of the most descriptors accepted per message.
	 */
	public static final class Buffers implements AutoCloseable {

		final Memory header = new Memory(MSGHDR_SIZE);

		final Memory iov = new Memory(16);

		final Memory control;

		/** Buffers receiving at most {@code maxDescriptors} descriptors per read. */
		public Buffers(int maxDescriptors) {
			this.control = new Memory(controlSpace(Math.max(1, maxDescriptors)));
		}

		/** The message header over one buffer of native memory, without control data yet. */
		Memory message(long address, int length) {
			this.header.clear(MSGHDR_SIZE);
			this.iov.setLong(0, address);
			this.iov.setLong(8, length);
			this.header.setPointer(MSGHDR_IOV, this.iov);
			this.header.setLong(MSGHDR_IOVLEN, 1);
			return this.header;
		}

		@Override
		public void close() {
			this.header.close();
			this.iov.close();
			this.control.close();
		}

	}

	/**
	 * What one {@code recvmsg} brought.
	 * @param read bytes read; 0 at the end of the stream, -1 when there was nothing to read
	 * @param descriptors descriptors received with them, owned by the caller
	 * @param truncated whether more descriptors came than there was room for (the kernel closed the rest)
	 */
	public record Received(int read, int[] descriptors, boolean truncated) {

		static final Received NOTHING = new Received(-1, new int[0], false);

	}

}
