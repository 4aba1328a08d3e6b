package dev.peergate.handler;

import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * The native calls behind {@link IpcFileDescriptor}, provided by a transport through {@link java.util.ServiceLoader}
 * (the JDK gives no access to descriptor numbers): Peergate's Unix transport provides it on Linux and macOS.
 */
public interface FileDescriptorSupport {

	/**
	 * {@code open(2)} with {@code O_CLOEXEC}, options as {@link java.nio.file.Files#newByteChannel}.
	 * @throws IOException naming the path and the error
	 */
	int open(Path path, Set<? extends OpenOption> options) throws IOException;

	/** {@code fcntl(F_DUPFD_CLOEXEC)}. */
	int duplicate(int number) throws IOException;

	/** {@code close(2)}; errors ignored (the descriptor is gone either way). */
	void close(int number);

}
