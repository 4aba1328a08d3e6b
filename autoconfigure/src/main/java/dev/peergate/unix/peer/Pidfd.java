package dev.peergate.unix.peer;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.peergate.core.ProcessHandleRef;
import dev.peergate.unix.jna.LinuxNative;
import dev.peergate.unix.jna.NativeCallException;

/**
 * A pidfd owned by the {@link dev.peergate.core.PeerCredentials} of one connection: a handle on the peer process
 * that, unlike its PID, can never come to name another process. Closed with the connection.
 *
 * <pre>{@code
 * try (Pidfd pidfd = new Pidfd(linux, fd)) {
 *     boolean sameProcess = pidfd.isAlive() && pidfd.pid() == pidReadEarlier;
 * }
 * }</pre>
 */
public final class Pidfd implements ProcessHandleRef {

	private final LinuxNative linux;

	private final int fd;

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Takes ownership of {@code fd}. */
	public Pidfd(LinuxNative linux, int fd) {
		this.linux = linux;
		this.fd = fd;
	}

	/** The descriptor number; valid until {@link #close()}. */
	public int fd() {
		return this.fd;
	}

	/**
	 * The PID the process has in our PID namespace now: -1 once it has exited and been reaped, 0 when it is not
	 * visible in our namespace.
	 */
	public int pid() throws NativeCallException {
		ensureOpen();
		return this.linux.pidOfPidfd(this.fd);
	}

	/**
	 * Whether the pidfd still names the process that had {@code pid} when it was looked up earlier: the same PID
	 * now, and — where the PID lookup cannot tell a reaped process from a recycled number (kernels before 6.13) —
	 * a process that can still be signalled.
	 */
	public boolean stillNames(int pid) throws NativeCallException {
		if (pid() != pid) {
			return false;
		}
		return this.linux.pidOfPidfdSeesReaping() || isAlive();
	}

	@Override
	public boolean isAlive() {
		if (this.closed.get()) {
			return false;
		}
		try {
			return this.linux.pidfdAlive(this.fd);
		}
		catch (NativeCallException ex) {
			return false;
		}
	}

	@Override
	public String kind() {
		return "pidfd";
	}

	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.linux.close(this.fd);
		}
	}

	/** Whether {@link #close()} was called. */
	public boolean isClosed() {
		return this.closed.get();
	}

	private void ensureOpen() throws NativeCallException {
		if (this.closed.get()) {
			throw new NativeCallException("pidfd " + this.fd + " already closed", dev.peergate.unix.jna.Errno.EBADF);
		}
	}

	@Override
	public String toString() {
		return "pidfd " + this.fd + (this.closed.get() ? " (closed)" : "");
	}

}
