package dev.peergate.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.peergate.systemd.jna.NotifyDatagrams;

/**
 * Tells systemd how the service is doing, as {@code sd_notify(3)} does: one {@code AF_UNIX} datagram per
 * notification to the socket named by {@code NOTIFY_SOCKET}, each a few {@code KEY=value} lines. Exists only when
 * systemd asked for notifications ({@code Type=notify}); a failed send is logged and dropped, as systemd's own
 * client does, since the service manager may be gone during shutdown.
 *
 * <pre>{@code
 * Optional<SystemdNotifier> notifier = SystemdNotifier.fromEnvironment(System.getenv(), ProcessHandle.current().pid());
 * notifier.ifPresent(systemd -> systemd.ready("1 listener serving"));
 * }</pre>
 */
public final class SystemdNotifier implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(SystemdNotifier.class.getName());

	private static final int MAX_STATUS = 512;

	private final NotifyAddress address;

	private final byte[] sockaddr;

	private final NotifyDatagrams datagrams;

	private SystemdNotifier(NotifyAddress address, NotifyDatagrams datagrams) {
		this.address = address;
		this.sockaddr = address.sockaddr();
		this.datagrams = datagrams;
	}

	/**
	 * A notifier when {@code NOTIFY_SOCKET} is set, else empty.
	 * @throws IllegalStateException when the address is not one Peergate can send to, or the socket cannot be
	 * created: systemd waits for {@code READY=1} that would never come
	 */
	public static Optional<SystemdNotifier> fromEnvironment(Map<String, String> environment, long pid) {
		String socket = environment.get("NOTIFY_SOCKET");
		if (socket == null || socket.isEmpty()) {
			return Optional.empty();
		}
		NotifyAddress address;
		try {
			address = NotifyAddress.parse(socket);
			return Optional.of(new SystemdNotifier(address, NotifyDatagrams.open()));
		}
		catch (IllegalArgumentException | IOException | UnsupportedOperationException ex) {
			throw new IllegalStateException("Cannot notify systemd: " + ex.getMessage(), ex);
		}
	}

	/**
	 * How often to send {@code WATCHDOG=1}: half of {@code WATCHDOG_USEC}, when it is set and {@code WATCHDOG_PID}
	 * is unset or names this process.
	 * @throws IllegalStateException when a variable is set but not a number: the watchdog would kill the service
	 */
	public static Optional<Duration> watchdogInterval(Map<String, String> environment, long pid) {
		String usec = environment.get("WATCHDOG_USEC");
		if (usec == null || usec.isEmpty()) {
			return Optional.empty();
		}
		String watchdogPid = environment.get("WATCHDOG_PID");
		try {
			if (watchdogPid != null && !watchdogPid.isEmpty() && Long.parseLong(watchdogPid.trim()) != pid) {
				return Optional.empty(); // the watchdog is another process's (e.g. our parent's)
			}
			long micros = Long.parseLong(usec.trim());
			if (micros <= 0) {
				throw new NumberFormatException("not positive");
			}
			return Optional.of(Duration.ofNanos(micros * 1000 / 2));
		}
		catch (NumberFormatException ex) {
			throw new IllegalStateException("WATCHDOG_USEC=" + usec + ", WATCHDOG_PID=" + watchdogPid
					+ ": not a positive number of microseconds and a pid (" + ex.getMessage() + ")", ex);
		}
	}

	/** {@code READY=1} with the status line, in one datagram: the service is up and says how. */
	public void ready(String status) {
		send("READY=1\n" + statusLine(status));
	}

	/** {@code STATUS=}: what {@code systemctl status} shows. */
	public void status(String status) {
		send(statusLine(status));
	}

	/** {@code STOPPING=1}: shutdown has begun, the watchdog no longer applies. */
	public void stopping(String status) {
		send("STOPPING=1\n" + statusLine(status));
	}

	/** {@code WATCHDOG=1}: still alive and well. */
	public void watchdog() {
		send("WATCHDOG=1");
	}

	/** The address notifications go to. */
	public NotifyAddress address() {
		return this.address;
	}

	/**
	 * {@code STATUS=} and the text on one line: control characters (a line break would start a new assignment)
	 * become spaces, and the text is cut to a length {@code systemctl status} shows.
	 */
	static String statusLine(String status) {
		StringBuilder line = new StringBuilder("STATUS=");
		status.codePoints()
			.limit(MAX_STATUS)
			.forEach(c -> line.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
		return line.toString();
	}

	private void send(String message) {
		try {
			this.datagrams.send(this.sockaddr, message.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			logger.log(System.Logger.Level.WARNING, "Could not notify systemd at " + this.address.text() + " ("
					+ message.lines().findFirst().orElse("") + "): " + ex.getMessage());
		}
	}

	@Override
	public void close() {
		this.datagrams.close();
	}

}
