package dev.peergate.unix.jna;

/**
 * The Linux {@code errno} values the transport reacts to (same on x86_64 and aarch64: asm-generic numbering).
 *
 * <pre>{@code
 * if (ex.errno() == Errno.ENOPROTOOPT) { // kernel without SO_PEERPIDFD
 * }
 * }</pre>
 */
public final class Errno {

	/** Operation not permitted. */
	public static final int EPERM = 1;

	/** No such process. */
	public static final int ESRCH = 3;

	/** Bad file descriptor. */
	public static final int EBADF = 9;

	/** Permission denied. */
	public static final int EACCES = 13;

	/** Invalid argument. */
	public static final int EINVAL = 22;

	/** Inappropriate ioctl for device. */
	public static final int ENOTTY = 25;

	/** Result too large (buffer too small for a socket option). */
	public static final int ERANGE = 34;

	/** Function not implemented (syscall missing). */
	public static final int ENOSYS = 38;

	/** No data available (socket option has no value). */
	public static final int ENODATA = 61;

	/** Protocol not available (socket option unknown to this kernel or LSM). */
	public static final int ENOPROTOOPT = 92;

	/** Operation not supported. */
	public static final int EOPNOTSUPP = 95;

	private Errno() {
	}

	/** Symbolic name for the values above, else {@code errno N}. */
	public static String name(int errno) {
		return switch (errno) {
			case EPERM -> "EPERM";
			case ESRCH -> "ESRCH";
			case EBADF -> "EBADF";
			case EACCES -> "EACCES";
			case EINVAL -> "EINVAL";
			case ENOTTY -> "ENOTTY";
			case ERANGE -> "ERANGE";
			case ENOSYS -> "ENOSYS";
			case ENODATA -> "ENODATA";
			case ENOPROTOOPT -> "ENOPROTOOPT";
			case EOPNOTSUPP -> "EOPNOTSUPP";
			default -> "errno " + errno;
		};
	}

}
