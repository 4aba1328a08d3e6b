package dev.peergate.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.peergate.handler.CallAuthorization;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcClientConnection;
import dev.peergate.xpc.jna.XpcEndpoint;
import dev.peergate.xpc.jna.XpcEvent;
import dev.peergate.xpc.jna.XpcNative;
import org.jspecify.annotations.Nullable;

/**
 * A client of an XPC Peergate listener, speaking the wire contract shared with varlink: request
 * {@code {method, parameters, more?, id}}, replies {@code {parameters}} / {@code {error, parameters}}, stream items
 * {@code {parameters, continues: true, id}}.
 * <p>
 * A {@link dev.peergate.handler.IpcFileDescriptor} in the parameters is sent as an {@code xpc_fd} and closed here
 * (the server gets its own descriptor); one in a reply belongs to the caller, who closes it.
 * <p>
 * Verify the server: pass a code-signing requirement the server must satisfy (set on the client connection, so
 * libxpc refuses a server that does not match with {@code XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT}); for a root
 * daemon pass {@code privileged} so the name is looked up in the system bootstrap and cannot be squatted.
 *
 * <pre>{@code
 * try (XpcClient client = XpcClient.connect(XpcClient.Options.of("com.example.helper")
 *         .withServerRequirement("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\""))) {
 *     Map<String, Object> status = client.call("com.example.helper.Status", Map.of());
 * }
 * }</pre>
 */
public final class XpcClient implements AutoCloseable {

	private final Options options;

	private final XpcClientConnection connection;

	private final AtomicLong ids = new AtomicLong();

	private final Map<Long, Consumer<Map<String, @Nullable Object>>> streams = new ConcurrentHashMap<>();

	private XpcClient(Options options) {
		this.options = options;
		XpcEndpoint endpoint = options.endpoint();
		this.connection = (endpoint != null)
				? XpcClientConnection.connect(endpoint, options.serverRequirement(), this::onMessage, this::onEvent)
				: XpcClientConnection.connect(XpcNative.load(options.libraries()),
						Objects.requireNonNull(options.serviceName()), options.privileged(), options.serverRequirement(),
						this::onMessage, this::onEvent);
	}

	/** Connects (lazily: libxpc looks the service up on the first message). */
	public static XpcClient connect(Options options) {
		return new XpcClient(options);
	}

	/**
	 * Calls a method and waits for its reply parameters.
	 * @throws IpcError for an error reply, or a {@code dev.peergate.xpc.*} error for a connection failure
	 */
	public Map<String, @Nullable Object> call(String method, Map<String, ?> parameters) {
		return await(callAsync(method, parameters, false));
	}

	/**
	 * Calls a streaming method: each item's parameters go to the consumer (on a native thread, in order), the
	 * final reply's parameters are returned.
	 */
	public Map<String, @Nullable Object> stream(String method, Map<String, ?> parameters,
			Consumer<Map<String, @Nullable Object>> items) {
		long id = this.ids.incrementAndGet();
		this.streams.put(id, items);
		try {
			return await(send(method, parameters, true, id));
		}
		finally {
			this.streams.remove(id);
		}
	}

	/**
	 * Calls a method oneway ({@code oneway: true}, sent with {@code xpc_connection_send_message}): the listener runs
	 * the handler and sends nothing back, not even a refusal. Returns once libxpc has the message.
	 * @throws IpcError {@code dev.peergate.xpc.ConnectionInvalid} when the connection has already ended
	 */
	public void oneway(String method, Map<String, ?> parameters) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("method", method);
		body.put("parameters", parameters);
		body.put("oneway", true);
		putAuthorization(body);
		if (!this.connection.send(body)) {
			throw new IpcError("dev.peergate.xpc.ConnectionInvalid", Map.of());
		}
	}

	/** Calls a method; the future completes with the reply parameters or fails with {@link IpcError}. */
	public CompletableFuture<Map<String, @Nullable Object>> callAsync(String method, Map<String, ?> parameters,
			boolean more) {
		return send(method, parameters, more, this.ids.incrementAndGet());
	}

	@SuppressWarnings("unchecked")
	private CompletableFuture<Map<String, @Nullable Object>> send(String method, Map<String, ?> parameters,
			boolean more, long id) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("method", method);
		body.put("parameters", parameters);
		if (more) {
			body.put("more", true);
		}
		body.put("id", id);
		putAuthorization(body);
		CompletableFuture<Map<String, @Nullable Object>> result = new CompletableFuture<>();
		this.connection.request(body).whenComplete((reply, failure) -> {
			if (failure != null) {
				result.completeExceptionally(failure);
				return;
			}
			Map<String, @Nullable Object> values = (reply.get("parameters") instanceof Map<?, ?> map)
					? (Map<String, @Nullable Object>) map : Map.of();
			if (reply.get("error") instanceof String error) {
				// an error carries no descriptor anybody would take over
				IpcFileDescriptor.closeAllIn(reply);
				result.completeExceptionally(new IpcError(error, values));
			}
			else if (!result.complete(values)) {
				// the caller stopped waiting (timeout): nobody else will close what the reply brought
				IpcFileDescriptor.closeAllIn(reply);
			}
			else {
				// descriptors outside the parameters never reach the caller
				reply.forEach((key, value) -> {
					if (!key.equals("parameters")) {
						IpcFileDescriptor.closeAllIn(value);
					}
				});
			}
		});
		return result;
	}

	private void putAuthorization(Map<String, Object> body) {
		XpcAuthorization authorization = this.options.authorization();
		if (authorization != null) {
			body.put(CallAuthorization.EXTERNAL_FORM_KEY, authorization.externalForm());
			if (this.options.interactive()) {
				body.put(CallAuthorization.INTERACTIVE_KEY, true);
			}
		}
	}

	private Map<String, @Nullable Object> await(CompletableFuture<Map<String, @Nullable Object>> future) {
		try {
			return future.get(this.options.timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			throw new IpcError("dev.peergate.client.Timeout", Map.of("timeoutMillis", this.options.timeout().toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IpcError("dev.peergate.client.Interrupted");
		}
	}

	@SuppressWarnings("unchecked")
	private void onMessage(Map<String, @Nullable Object> message) {
		if (message.get("id") instanceof Long id && Boolean.TRUE.equals(message.get("continues"))) {
			Consumer<Map<String, @Nullable Object>> items = this.streams.get(id);
			if (items != null && message.get("parameters") instanceof Map<?, ?> parameters) {
				items.accept((Map<String, @Nullable Object>) parameters);
				return;
			}
		}
		IpcFileDescriptor.closeAllIn(message);
	}

	private void onEvent(XpcEvent event) {
		// Replies in flight learn of failures through their own reply handler.
	}

	/**
	 * Whether a call failed because libxpc refused the server: it does not satisfy the requirement set with
	 * {@link Options#withServerRequirement} ({@code XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT}; nothing was delivered).
	 */
	public static boolean isServerRefusal(Throwable failure) {
		return failure instanceof XpcClientConnection.XpcErrorEventException event
				&& event.event() == XpcEvent.PEER_CODE_SIGNING_REQUIREMENT;
	}

	/** Closes the connection and waits briefly for libxpc to finalize it. */
	@Override
	public void close() {
		try {
			this.connection.close(Duration.ofSeconds(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Client options: a Mach service by name, or an anonymous listener by its endpoint.
	 *
	 * @param serviceName Mach service name, {@code null} with an endpoint
	 * @param privileged look up in the system bootstrap ({@code XPC_CONNECTION_MACH_SERVICE_PRIVILEGED}); names only
	 * @param serverRequirement code-signing requirement the server must satisfy, or {@code null}
	 * @param timeout how long {@link #call} waits
	 * @param libraries native library paths (with an endpoint, the endpoint's own are used)
	 * @param authorization the authorization sent with each call, or {@code null}
	 * @param interactive whether calls let Authorization Services ask the user to authenticate
	 * @param endpoint the endpoint of an anonymous listener ({@code XpcListener.endpoint()}), {@code null} with a
	 * service name
	 */
	public record Options(@Nullable String serviceName, boolean privileged, @Nullable String serverRequirement,
			Duration timeout, NativeLibraries libraries, @Nullable XpcAuthorization authorization, boolean interactive,
			@Nullable XpcEndpoint endpoint) {

		public Options {
			if ((serviceName == null) == (endpoint == null)) {
				throw new IllegalArgumentException("exactly one of 'serviceName' and 'endpoint' must be given");
			}
			Objects.requireNonNull(timeout, "'timeout' must not be null");
			Objects.requireNonNull(libraries, "'libraries' must not be null");
		}

		/** Defaults: not privileged, no server requirement, 30 s timeout, system libraries, no authorization. */
		public static Options of(String serviceName) {
			return new Options(Objects.requireNonNull(serviceName, "'serviceName' must not be null"), false, null,
					Duration.ofSeconds(30), NativeLibraries.fromSystemProperties(), null, false, null);
		}

		/**
		 * The defaults of {@link #of(String)} for an anonymous listener, e.g.
		 * {@code XpcClient.connect(XpcClient.Options.of(listener.endpoint()))}.
		 */
		public static Options of(XpcEndpoint endpoint) {
			return new Options(null, false, null, Duration.ofSeconds(30), NativeLibraries.fromSystemProperties(), null,
					false, Objects.requireNonNull(endpoint, "'endpoint' must not be null"));
		}

		/** With {@code XPC_CONNECTION_MACH_SERVICE_PRIVILEGED}. */
		public Options withPrivileged(boolean privileged) {
			return new Options(this.serviceName, privileged, this.serverRequirement, this.timeout, this.libraries,
					this.authorization, this.interactive, this.endpoint);
		}

		/** With a requirement the server must satisfy. */
		public Options withServerRequirement(@Nullable String requirement) {
			return new Options(this.serviceName, this.privileged, requirement, this.timeout, this.libraries,
					this.authorization, this.interactive, this.endpoint);
		}

		/** With another call timeout. */
		public Options withTimeout(Duration timeout) {
			return new Options(this.serviceName, this.privileged, this.serverRequirement, timeout, this.libraries,
					this.authorization, this.interactive, this.endpoint);
		}

		/** With other native libraries. */
		public Options withLibraries(NativeLibraries libraries) {
			return new Options(this.serviceName, this.privileged, this.serverRequirement, this.timeout, libraries,
					this.authorization, this.interactive, this.endpoint);
		}

		/**
		 * With an authorization sent with each call, for methods that require an authorization right; with
		 * {@code interactive}, the helper may ask the user to authenticate (the call then waits for the user).
		 */
		public Options withAuthorization(XpcAuthorization authorization, boolean interactive) {
			return new Options(this.serviceName, this.privileged, this.serverRequirement, this.timeout, this.libraries,
					authorization, interactive, this.endpoint);
		}

	}

}
