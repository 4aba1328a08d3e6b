package dev.peergate.unix.descriptor;

import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

import dev.peergate.handler.FileDescriptorSupport;
import dev.peergate.unix.jna.DescriptorCalls;
import dev.peergate.unix.jna.NativeCallException;

/**
 * {@link dev.peergate.handler.IpcFileDescriptor}'s native calls on Linux and macOS, found through
 * {@link java.util.ServiceLoader}.
 */
public final class PosixFileDescriptors implements FileDescriptorSupport {

	@Override
	public int open(Path path, Set<? extends OpenOption> options) throws IOException {
		try {
			return DescriptorCalls.get().open(path.toString(), options);
		}
		catch (NativeCallException ex) {
			throw new IOException("Cannot open " + path + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public int duplicate(int number) throws IOException {
		return DescriptorCalls.get().duplicate(number);
	}

	@Override
	public void close(int number) {
		DescriptorCalls.get().close(number);
	}

}
