package dev.peergate.polkit;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.jspecify.annotations.Nullable;

/**
 * Asks polkitd on the system bus whether a process may perform an action. One connection, opened at the first
 * question and again after a failure; every question bounded by a timeout. Without a pidfd-capable D-Bus transport
 * (dbus-java's native one cannot pass file descriptors) the subject is {@code unix-process} with pid, start time and
 * uid: the caller must prove through the peer's pidfd that the pid still names the peer before and after.
 *
 * <pre>{@code
 * PolkitClient polkit = new PolkitClient(Duration.ofSeconds(25));
 * PolkitClient.Answer answer = polkit.check("com.example.helper.install", pid, startTime, uid, false);
 * }</pre>
 */
public final class PolkitClient implements PolkitQuestion, AutoCloseable {

	/**
	 * Where questions wait for polkitd, so that a silent one can be abandoned at the timeout: daemon threads of
	 * their own, not the common pool, which a slow bus would otherwise fill for the whole application.
	 */
	private static final ExecutorService QUESTIONS = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "peergate-polkit");
		thread.setDaemon(true);
		return thread;
	});

	private final Duration timeout;

	private @Nullable DBusConnection connection;

	/** A client asking with the given timeout per question. */
	public PolkitClient(Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public Answer check(String action, long pid, long startTime, long uid, boolean interactive) {
		PolkitAuthorityBus authority = authority();
		PolkitAuthorityBus.Subject subject = new PolkitAuthorityBus.Subject("unix-process",
				Map.of("pid", new Variant<>(new UInt32(pid)), "start-time", new Variant<>(new UInt64(startTime)),
						"uid", new Variant<>((int) uid)));
		UInt32 flags = new UInt32(interactive ? PolkitAuthorityBus.ALLOW_USER_INTERACTION : 0);
		CompletableFuture<PolkitAuthorityBus.AuthorizationResult> question = CompletableFuture
			.supplyAsync(() -> authority.CheckAuthorization(subject, action, Map.of(), flags, ""), QUESTIONS);
		try {
			PolkitAuthorityBus.AuthorizationResult result = question.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			return new Answer(result.authorized, result.challenge, Map.copyOf(result.details));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PolkitUnavailableException("interrupted while waiting for polkit", ex);
		}
		catch (TimeoutException ex) {
			question.cancel(true);
			throw new PolkitUnavailableException("polkit did not answer within " + this.timeout.toMillis() + " ms", ex);
		}
		catch (ExecutionException ex) {
			reset();
			throw new PolkitUnavailableException("polkit failed: " + ex.getCause().getMessage(), ex.getCause());
		}
	}

	private synchronized PolkitAuthorityBus authority() {
		try {
			if (this.connection == null || !this.connection.isConnected()) {
				this.connection = DBusConnectionBuilder.forSystemBus().withShared(false).build();
			}
			return this.connection.getRemoteObject(PolkitAuthorityBus.BUS_NAME, PolkitAuthorityBus.OBJECT_PATH,
					PolkitAuthorityBus.class);
		}
		catch (DBusException | RuntimeException ex) {
			reset();
			throw new PolkitUnavailableException("the system bus is not reachable: " + ex.getMessage(), ex);
		}
	}

	private synchronized void reset() {
		DBusConnection current = this.connection;
		this.connection = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (IOException | RuntimeException ex) {
				// going away anyway
			}
		}
	}

	@Override
	public void close() {
		reset();
	}

	/**
	 * polkit's answer.
	 *
	 * @param authorized whether the process is authorized
	 * @param challenge whether authentication would authorize it
	 * @param details what polkit added, e.g. {@code polkit.dismissed}
	 */
	public record Answer(boolean authorized, boolean challenge, Map<String, String> details) {
	}

	/** polkit could not be asked: the call is refused. */
	public static final class PolkitUnavailableException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		PolkitUnavailableException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

}
