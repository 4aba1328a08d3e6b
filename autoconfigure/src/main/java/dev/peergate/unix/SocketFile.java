package dev.peergate.unix;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The safety rules for a listener's socket file: where it may be created, when an existing file may be replaced,
 * and removing exactly our own socket on stop.
 */
final class SocketFile {

	private static final int S_IFMT = 0170000;

	private static final int S_IFSOCK = 0140000;

	private static final int S_ISVTX = 01000;

	private static final int S_IWOTH = 02;

	private SocketFile() {
	}

	/** Parses an octal mode such as {@code 0660} into permissions (setuid, setgid and sticky bits are refused). */
	static Set<PosixFilePermission> parseMode(String mode) {
		int bits;
		try {
			bits = Integer.parseInt(mode, 8);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Socket mode '" + mode + "' is not an octal number such as 0660", ex);
		}
		if (bits < 0 || bits > 0777) {
			throw new IllegalArgumentException("Socket mode '" + mode + "' must be between 0000 and 0777");
		}
		Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
		PosixFilePermission[] order = { PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
				PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
				PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
				PosixFilePermission.OWNER_READ };
		for (int i = 0; i < order.length; i++) {
			if ((bits & (1 << i)) != 0) {
				permissions.add(order[i]);
			}
		}
		return permissions;
	}

	/**
	 * Checks that a socket may be created at {@code path} and removes a stale socket there.
	 * @throws IOException naming the rule that refuses the path
	 */
	static void prepare(Path path) throws IOException {
		Path parent = path.toAbsolutePath().getParent();
		if (parent == null) {
			throw new IOException("Socket path " + path + " has no parent directory");
		}
		if (!Files.isDirectory(parent)) {
			throw new IOException("The directory of socket " + path + " does not exist");
		}
		Path realParent = parent.toRealPath();
		long owner = ((Number) Files.getAttribute(realParent, "unix:uid")).longValue();
		long self = currentUid();
		if (owner != 0 && owner != self) {
			throw new IOException("Refusing to create socket " + path + ": its directory " + parent + " belongs to uid "
					+ owner + ", who could replace the socket; use a directory owned by root or uid " + self);
		}
		int parentMode = mode(realParent);
		if ((parentMode & S_IWOTH) != 0 && (parentMode & S_ISVTX) == 0) {
			throw new IOException("Refusing to create socket " + path + ": its directory " + parent
					+ " is writable by others without the sticky bit (mode " + Integer.toOctalString(parentMode & 07777)
					+ "), so another user could replace the socket");
		}
		if (Files.isSymbolicLink(path)) {
			throw new IOException("Refusing to use socket path " + path + ": it is a symbolic link");
		}
		if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		if ((mode(path) & S_IFMT) != S_IFSOCK) {
			throw new IOException("Refusing to replace " + path + ": it exists and is not a socket");
		}
		if (isAnswering(path)) {
			throw new IOException("Refusing to start: a live listener already answers on " + path);
		}
		Files.deleteIfExists(path); // stale: a socket nobody listens on
	}

	/** Whether something accepts connections on the socket at {@code path}. */
	static boolean isAnswering(Path path) throws IOException {
		try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			probe.connect(UnixDomainSocketAddress.of(path));
			return true;
		}
		catch (ConnectException ex) {
			return false; // ECONNREFUSED: bound once, nobody listening now
		}
	}

	/** Device and inode of the file, to recognise our own socket at stop time. */
	static long[] identity(Path path) throws IOException {
		Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
		return new long[] { ((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue() };
	}

	/** Removes the socket if it is still the one we created. */
	static void removeIfOurs(Path path, long[] identity) {
		try {
			long[] current = identity(path);
			if (current[0] == identity[0] && current[1] == identity[1]) {
				Files.deleteIfExists(path);
			}
		}
		catch (NoSuchFileException ex) {
			// already gone
		}
		catch (IOException ex) {
			System.getLogger(SocketFile.class.getName())
				.log(System.Logger.Level.WARNING, "Could not remove socket " + path + ": " + ex.getMessage());
		}
	}

	private static long currentUid() {
		return new com.sun.security.auth.module.UnixSystem().getUid();
	}

	private static int mode(Path path) throws IOException {
		return ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
	}

}
