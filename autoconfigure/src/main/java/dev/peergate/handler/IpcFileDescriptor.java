package dev.peergate.handler;

import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * An open file descriptor passed with a call or a reply: a component of a parameter or reply record. On a Unix
 * socket it travels as {@code SCM_RIGHTS} with the message (varlink sends the index of the descriptor in the
 * message's list, as systemd's sd-varlink does); over XPC it is an {@code xpc_fd} object. Either way the receiver
 * gets its own descriptor of the same open file, so access checks done by whoever opened it stay done: the typical
 * use is a privileged helper that opens a file its caller may not open and hands over the descriptor.
 *
 * <p>Ownership: a descriptor received with a call is open while the call runs and closed by Peergate when it ends,
 * unless the handler {@link #release() took it over}; a descriptor put into a reply is sent and then closed by
 * Peergate. A descriptor can be sent once; send a {@link #duplicate()} to send it twice.
 *
 * <pre>{@code
 * record OpenLog(String name) { }
 * record OpenedLog(IpcFileDescriptor log) { }
 *
 * @IpcMethod
 * OpenedLog openLog(OpenLog call) throws IOException {
 *     return new OpenedLog(IpcFileDescriptor.open(logs.resolve(call.name()), StandardOpenOption.READ));
 * }
 * }</pre>
 */
public final class IpcFileDescriptor implements AutoCloseable {

	/** Deeper than any message a transport accepts: the walk of {@link #closeAllIn} ends there. */
	private static final int MAX_DEPTH = 256;

	private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

	private final AtomicInteger number;

	private IpcFileDescriptor(int number) {
		if (number < 0) {
			throw new IllegalArgumentException("a file descriptor is not negative, got " + number);
		}
		this.number = new AtomicInteger(number);
	}

	/**
	 * Takes over an open descriptor: from here on this object closes it.
	 * @param number the descriptor, e.g. received by a transport
	 */
	public static IpcFileDescriptor adopt(int number) {
		return new IpcFileDescriptor(number);
	}

	/**
	 * Opens a file, close-on-exec, as {@link java.nio.file.Files#newByteChannel(Path, OpenOption...)} would (read
	 * only unless {@code WRITE} or {@code APPEND} is given; {@code CREATE}, {@code CREATE_NEW} and
	 * {@code TRUNCATE_EXISTING} as there).
	 * @throws IOException naming the path and the system's error
	 * @throws UnsupportedOperationException when this platform has no native support in Peergate
	 */
	public static IpcFileDescriptor open(Path path, OpenOption... options) throws IOException {
		return adopt(support().open(path, Set.of(options)));
	}

	/** The descriptor's number. */
	public int number() {
		int value = this.number.get();
		if (value < 0) {
			throw new IllegalStateException("file descriptor already closed or released");
		}
		return value;
	}

	/** Whether this object still owns an open descriptor. */
	public boolean isOpen() {
		return this.number.get() >= 0;
	}

	/**
	 * A path through which the JDK can open the same file while this descriptor is open:
	 * {@code /proc/self/fd/N} on Linux, {@code /dev/fd/N} elsewhere.
	 *
	 * <pre>{@code
	 * try (InputStream in = Files.newInputStream(reply.log().path())) { ... }
	 * }</pre>
	 */
	public Path path() {
		return Path.of(LINUX ? "/proc/self/fd" : "/dev/fd", Integer.toString(number()));
	}

	/** A new descriptor of the same open file (close-on-exec), owned by the returned object. */
	public IpcFileDescriptor duplicate() throws IOException {
		return adopt(support().duplicate(number()));
	}

	/**
	 * Gives up ownership: the caller closes the returned descriptor, this object no longer does.
	 * @throws IllegalStateException when it was already closed or released
	 */
	public int release() {
		int value = this.number.getAndSet(-1);
		if (value < 0) {
			throw new IllegalStateException("file descriptor already closed or released");
		}
		return value;
	}

	/** Closes the descriptor unless it was closed or released already. */
	@Override
	public void close() {
		int value = this.number.getAndSet(-1);
		if (value >= 0) {
			support().close(value);
		}
	}

	/**
	 * Closes every descriptor a wire value holds, in maps and lists at any depth a message can have: those of a
	 * message nobody will send or take.
	 *
	 * <pre>{@code
	 * IpcFileDescriptor.closeAllIn(reply.parameters()); // the call timed out: nobody sends this reply
	 * }</pre>
	 */
	public static void closeAllIn(@Nullable Object value) {
		closeAllIn(value, 0);
	}

	private static void closeAllIn(@Nullable Object value, int depth) {
		if (value instanceof IpcFileDescriptor descriptor) {
			descriptor.close();
		}
		else if (depth < MAX_DEPTH && value instanceof Map<?, ?> map) {
			map.values().forEach((child) -> closeAllIn(child, depth + 1));
		}
		else if (depth < MAX_DEPTH && value instanceof Iterable<?> values) {
			values.forEach((child) -> closeAllIn(child, depth + 1));
		}
	}

	@Override
	public String toString() {
		int value = this.number.get();
		return (value >= 0) ? "fd " + value : "fd (closed)";
	}

	private static FileDescriptorSupport support() {
		return Support.INSTANCE;
	}

	/** The platform's support, found once. */
	private static final class Support {

		static final FileDescriptorSupport INSTANCE = ServiceLoader
			.load(FileDescriptorSupport.class, IpcFileDescriptor.class.getClassLoader())
			.findFirst()
			.orElseGet(Unsupported::new);

	}

	private static final class Unsupported implements FileDescriptorSupport {

		@Override
		public int open(Path path, Set<? extends OpenOption> options) {
			throw unsupported();
		}

		@Override
		public int duplicate(int number) {
			throw unsupported();
		}

		@Override
		public void close(int number) {
			throw unsupported();
		}

		private static UnsupportedOperationException unsupported() {
			return new UnsupportedOperationException("Peergate has no native file-descriptor support on "
					+ System.getProperty("os.name"));
		}

	}

}
