package dev.peergate.systemd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The address in {@code NOTIFY_SOCKET} as a {@code struct sockaddr_un}: an absolute path ({@code /run/...}), or an
 * abstract name written with a leading {@code @} (the kernel's leading NUL). systemd's other forms ({@code vsock:})
 * are not Unix sockets and are refused.
 *
 * <pre>{@code
 * NotifyAddress address = NotifyAddress.parse("@/org/freedesktop/systemd1/notify/42");
 * address.abstractName(); // true
 * }</pre>
 *
 * @param text the variable's value
 * @param abstractName whether the address is in the abstract namespace
 */
public record NotifyAddress(String text, boolean abstractName) {

	/** {@code sizeof(sun_path)} on Linux. */
	static final int SUN_PATH_SIZE = 108;

	private static final short AF_UNIX = 1;

	/**
	 * Parses {@code NOTIFY_SOCKET}.
	 * @throws IllegalArgumentException for an empty, relative, non-Unix or too long address
	 */
	public static NotifyAddress parse(String text) {
		boolean abstractName = text.startsWith("@");
		if (!abstractName && !text.startsWith("/")) {
			throw new IllegalArgumentException("NOTIFY_SOCKET is '" + text + "': Peergate sends notifications to an "
					+ "absolute socket path or an abstract name (@name) only");
		}
		int length = text.getBytes(StandardCharsets.UTF_8).length;
		if (length < 2 || length + (abstractName ? 0 : 1) > SUN_PATH_SIZE) {
			throw new IllegalArgumentException("NOTIFY_SOCKET is '" + text + "': a socket address needs 1 to "
					+ (SUN_PATH_SIZE - 1) + " bytes after the first");
		}
		return new NotifyAddress(text, abstractName);
	}

	/**
	 * The {@code struct sockaddr_un} to send to, exactly {@code addrlen} bytes: the family in native byte order,
	 * then for a path its bytes and a terminating NUL, for an abstract name a NUL and the name (no terminator: the
	 * length delimits it).
	 */
	public byte[] sockaddr() {
		byte[] name = this.text.getBytes(StandardCharsets.UTF_8);
		if (this.abstractName) {
			name[0] = 0; // '@' stands for the leading NUL
		}
		else {
			name = Arrays.copyOf(name, name.length + 1);
		}
		ByteBuffer address = ByteBuffer.allocate(2 + name.length).order(ByteOrder.nativeOrder());
		address.putShort(AF_UNIX).put(name);
		return address.array();
	}

}
