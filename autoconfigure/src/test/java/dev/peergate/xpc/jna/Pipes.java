package dev.peergate.xpc.jna;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.peergate.handler.IpcFileDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * Test support: real pipes (the JDK gives no descriptor numbers) and the count of this process's open descriptors,
 * to show that a run leaves none behind.
 *
 * <pre>{@code
 * Pipes.Pipe pipe = Pipes.open();
 * // send pipe.writeEnd(), then:
 * assertThat(Pipes.read(pipe.readEnd(), 5)).isEqualTo("hello");
 * }</pre>
 */
public final class Pipes {

	private static final LibC LIBC = Native.load("c", LibC.class);

	private Pipes() {
	}

	/** A new pipe; both ends owned by the caller. */
	public static Pipe open() {
		int[] ends = new int[2];
		if (LIBC.pipe(ends) != 0) {
			throw new IllegalStateException("pipe failed: errno " + Native.getLastError());
		}
		return new Pipe(IpcFileDescriptor.adopt(ends[0]), IpcFileDescriptor.adopt(ends[1]));
	}

	/** Reads up to {@code length} bytes (one read: what the writer wrote before it returned). */
	public static String read(IpcFileDescriptor readEnd, int length) {
		byte[] buffer = new byte[length];
		long read = LIBC.read(readEnd.number(), buffer, length);
		if (read < 0) {
			throw new IllegalStateException("read failed: errno " + Native.getLastError());
		}
		return new String(buffer, 0, (int) read, StandardCharsets.UTF_8);
	}

	/** Writes the text, as a handler given a pipe's write end would. */
	public static void write(IpcFileDescriptor writeEnd, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		if (LIBC.write(writeEnd.number(), bytes, bytes.length) != bytes.length) {
			throw new IllegalStateException("write failed: errno " + Native.getLastError());
		}
	}

	/** Whether the descriptor is open in this process. */
	public static boolean isOpen(int number) {
		return Files.exists(Path.of("/proc/self/fd", Integer.toString(number)), java.nio.file.LinkOption.NOFOLLOW_LINKS);
	}

	/** How many descriptors this process has open (the listing's own not counted). */
	public static long openDescriptors() {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.count() - 1;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Both ends of a pipe. */
	public record Pipe(IpcFileDescriptor readEnd, IpcFileDescriptor writeEnd) implements AutoCloseable {

		/**
		 * How many descriptors of this process refer to this pipe: its two ends and every duplicate. Unlike
		 * {@link Pipes#openDescriptors()}, no other thread of the JVM (a lazily opened jar, a listener of an earlier
		 * test still closing) can change this count.
		 */
		public long references() {
			Path target = targetOf(this.readEnd.number());
			try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
				return fds.filter((fd) -> target.equals(targetOrNull(fd))).count();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static Path targetOf(int number) {
			Path target = targetOrNull(Path.of("/proc/self/fd", Integer.toString(number)));
			if (target == null) {
				throw new IllegalStateException("descriptor " + number + " is not open");
			}
			return target;
		}

		private static @Nullable Path targetOrNull(Path fd) {
			try {
				return Files.readSymbolicLink(fd);
			}
			catch (IOException ex) {
				return null; // closed while listed (the listing's own descriptor, or another thread's)
			}
		}

		@Override
		public void close() {
			this.readEnd.close();
			this.writeEnd.close();
		}

	}

	@SuppressWarnings("checkstyle:MethodName")
	interface LibC extends Library {

		int pipe(int[] fds);

		long read(int fd, byte[] buffer, long count);

		long write(int fd, byte[] buffer, long count);

	}

}
