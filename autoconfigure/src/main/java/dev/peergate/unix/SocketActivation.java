package dev.peergate.unix;

import java.util.Map;
import java.util.OptionalInt;

import dev.peergate.unix.jna.LinuxNative;
import dev.peergate.unix.jna.NativeCallException;
import org.jspecify.annotations.Nullable;

/**
 * systemd socket activation ({@code sd_listen_fds} semantics): finds the listening socket systemd passed to this
 * process for a listener. Passed descriptors start at 3; {@code LISTEN_PID} must be our PID, and when
 * {@code LISTEN_FDNAMES} is set the descriptor is chosen by name ({@code FileDescriptorName=} in the
 * {@code .socket} unit), so several listeners can share one service.
 *
 * <pre>{@code
 * OptionalInt fd = SocketActivation.find("helper");
 * }</pre>
 */
public final class SocketActivation {

	/** First passed descriptor ({@code SD_LISTEN_FDS_START}). */
	public static final int LISTEN_FDS_START = 3;

	private SocketActivation() {
	}

	/** The descriptor passed for {@code listenerName}, from this process's environment. */
	public static OptionalInt find(String listenerName) {
		return find(listenerName, System.getenv(), ProcessHandle.current().pid());
	}

	/**
	 * The descriptor passed for {@code listenerName} given an environment and our PID.
	 * @throws IllegalStateException when several unnamed descriptors make the choice ambiguous
	 */
	static OptionalInt find(String listenerName, Map<String, String> environment, long pid) {
		String listenPid = environment.get("LISTEN_PID");
		String listenFds = environment.get("LISTEN_FDS");
		if (listenPid == null || listenFds == null) {
			return OptionalInt.empty();
		}
		int count;
		try {
			if (Long.parseLong(listenPid.trim()) != pid) {
				return OptionalInt.empty(); // meant for another process (e.g. our parent)
			}
			count = Integer.parseInt(listenFds.trim());
		}
		catch (NumberFormatException ex) {
			return OptionalInt.empty();
		}
		if (count <= 0) {
			return OptionalInt.empty();
		}
		@Nullable String names = environment.get("LISTEN_FDNAMES");
		if (names != null && !names.isEmpty()) {
			String[] split = names.split(":", -1);
			for (int i = 0; i < Math.min(split.length, count); i++) {
				if (split[i].equals(listenerName)) {
					return OptionalInt.of(LISTEN_FDS_START + i);
				}
			}
			if (count == 1 && split.length == 1 && split[0].endsWith(".socket")) {
				return OptionalInt.of(LISTEN_FDS_START); // default name: the unit's, with no FileDescriptorName=
			}
			return OptionalInt.empty();
		}
		if (count == 1) {
			return OptionalInt.of(LISTEN_FDS_START);
		}
		throw new IllegalStateException("systemd passed " + count + " sockets without LISTEN_FDNAMES; set "
				+ "FileDescriptorName=" + listenerName + " in the .socket unit to pick one");
	}

	/**
	 * Checks that {@code fd} is a listening {@code AF_UNIX} stream socket.
	 * @throws IllegalStateException otherwise
	 */
	static void validate(LinuxNative linux, int fd) {
		try {
			int domain = linux.intSocketOption(fd, LinuxNative.SO_DOMAIN);
			int type = linux.intSocketOption(fd, LinuxNative.SO_TYPE);
			int listening = linux.intSocketOption(fd, LinuxNative.SO_ACCEPTCONN);
			if (domain != LinuxNative.AF_UNIX || type != LinuxNative.SOCK_STREAM || listening == 0) {
				throw new IllegalStateException("Inherited fd " + fd + " is not a listening AF_UNIX stream socket (domain "
						+ domain + ", type " + type + ", listening " + (listening != 0) + ")");
			}
		}
		catch (NativeCallException ex) {
			throw new IllegalStateException("Inherited fd " + fd + " is not a usable socket: " + ex.getMessage(), ex);
		}
	}

}
