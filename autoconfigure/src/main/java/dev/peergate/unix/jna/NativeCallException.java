package dev.peergate.unix.jna;

import java.io.IOException;

/**
 * A libc call failed; carries the call and its {@code errno}.
 *
 * <pre>{@code
 * catch (NativeCallException ex) {
 *     if (ex.errno() == Errno.ESRCH) { ... }
 * }
 * }</pre>
 */
public class NativeCallException extends IOException {

	private static final long serialVersionUID = 1L;

	private final String call;

	private final int errno;

	/** A failure of {@code call} with {@code errno}. */
	public NativeCallException(String call, int errno) {
		super(call + " failed: " + Errno.name(errno) + " (errno " + errno + ")");
		this.call = call;
		this.errno = errno;
	}

	/** The failed call, e.g. {@code getsockopt(SO_PEERPIDFD)}. */
	public String call() {
		return this.call;
	}

	/** The C {@code errno}. */
	public int errno() {
		return this.errno;
	}

}
