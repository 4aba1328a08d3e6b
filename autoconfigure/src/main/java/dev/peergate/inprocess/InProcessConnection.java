package dev.peergate.inprocess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.peergate.core.Peer;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.Verdict;
import dev.peergate.handler.CallContext;
import dev.peergate.handler.IpcClients;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.ReplySink;
import dev.peergate.handler.StandardErrors;
import dev.peergate.handler.Values;
import org.jspecify.annotations.Nullable;

/**
 * One in-process connection, opened by {@link InProcessListener#connect}. Calls block until their final reply
 * (default wait 30 seconds); replies are the same maps a socket peer would receive.
 *
 * <pre>{@code
 * try (InProcessConnection connection = listener.connect(PeerCredentials.builder("in-process").uid(1000).build())) {
 *     Status status = connection.call("com.example.helper.Status", Map.of(), Status.class);
 *     List<Map<String, Object>> samples = connection.stream("com.example.helper.WatchLoad", Map.of("samples", 3));
 * }
 * }</pre>
 */
public final class InProcessConnection implements AutoCloseable {

	private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

	private final InProcessListener listener;

	private final Verdict verdict;

	private final PeerCredentials credentials;

	private final CallContext context;

	private volatile boolean open = true;

	InProcessConnection(InProcessListener listener, Verdict verdict, PeerCredentials credentials) {
		this.listener = listener;
		this.verdict = verdict;
		this.credentials = credentials;
		this.context = new CallContext(listener.name(), InProcessListener.TRANSPORT, verdict.peer());
	}

	/** The gate's decision about this connection. */
	public Verdict verdict() {
		return this.verdict;
	}

	/** The peer as handlers see it. */
	public Peer peer() {
		return this.verdict.peer();
	}

	/**
	 * Calls a method and returns its reply parameters.
	 * @throws IpcError when the reply is an error
	 */
	public Map<String, @Nullable Object> call(String method, Map<String, ? extends @Nullable Object> parameters) {
		List<IpcReply> replies = exchange(new IpcRequest(method, copy(parameters), false, false, false), DEFAULT_WAIT);
		return single(replies).parameters();
	}

	/**
	 * Calls a method with a record or map of parameters and binds the reply to {@code replyType}.
	 * @throws IpcError when the reply is an error
	 */
	public <T> T call(String method, Object parameters, Class<T> replyType) {
		Map<String, @Nullable Object> reply = call(method, Values.toMap(parameters));
		return replyType.cast(Values.bind(reply, replyType));
	}

	/**
	 * Calls a streaming method with {@code more} and returns every reply, the last one without {@code continues}.
	 * @throws IpcError when a reply is an error
	 */
	public List<Map<String, @Nullable Object>> stream(String method, Map<String, ? extends @Nullable Object> parameters) {
		List<IpcReply> replies = exchange(new IpcRequest(method, copy(parameters), false, true, false), DEFAULT_WAIT);
		List<Map<String, @Nullable Object>> result = new ArrayList<>();
		for (IpcReply reply : replies) {
			throwIfError(reply);
			result.add(reply.parameters());
		}
		return result;
	}

	/**
	 * This connection as the caller of a typed client.
	 *
	 * <pre>{@code
	 * Helper helper = IpcClients.create(Helper.class, connection.caller());
	 * }</pre>
	 */
	public IpcClients.Caller caller() {
		return new IpcClients.Caller() {

			@Override
			public Map<String, @Nullable Object> call(String method, Map<String, @Nullable Object> parameters) {
				return InProcessConnection.this.call(method, parameters);
			}

			@Override
			public Iterable<Map<String, @Nullable Object>> more(String method, Map<String, @Nullable Object> parameters) {
				return stream(method, parameters);
			}

			@Override
			public void oneway(String method, Map<String, @Nullable Object> parameters) {
				InProcessConnection.this.oneway(method, parameters);
			}

		};
	}

	/** Sends a oneway call; returns once it is dispatched. */
	public void oneway(String method, Map<String, ? extends @Nullable Object> parameters) {
		send(new IpcRequest(method, copy(parameters), true, false, false), new ReplySink() {

			@Override
			public void reply(IpcReply reply) {
			}

		});
	}

	/**
	 * Sends a raw request and collects every reply until the final one (or none for oneway), waiting at most
	 * {@code wait}. Errors are returned as error replies, not thrown.
	 */
	public List<IpcReply> exchange(IpcRequest request, Duration wait) {
		List<IpcReply> replies = Collections.synchronizedList(new ArrayList<>());
		CompletableFuture<Void> done = new CompletableFuture<>();
		send(request, new ReplySink() {

			@Override
			public void reply(IpcReply reply) {
				replies.add(reply);
				if (!reply.continues()) {
					done.complete(null);
				}
			}

			@Override
			public boolean isOpen() {
				return InProcessConnection.this.open;
			}

		});
		if (request.oneway()) {
			return List.of();
		}
		try {
			done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + request.method(), ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("No final reply to " + request.method() + " within " + wait, ex);
		}
		return List.copyOf(replies);
	}

	private void send(IpcRequest request, ReplySink sink) {
		if (!this.verdict.accepted()) {
			// Same contract as the socket transports: a refused peer learns nothing but the refusal.
			if (!request.oneway()) {
				sink.reply(IpcReply.error(StandardErrors.permissionDenied()));
			}
			return;
		}
		if (!this.open) {
			throw new IllegalStateException("Connection to '" + this.listener.name() + "' is closed");
		}
		this.listener.serve(this, this.context, request, sink);
	}

	private static IpcReply single(List<IpcReply> replies) {
		IpcReply last = replies.get(replies.size() - 1);
		throwIfError(last);
		return last;
	}

	private static void throwIfError(IpcReply reply) {
		if (reply.error() != null) {
			throw new IpcError(reply.error(), reply.parameters());
		}
	}

	private static Map<String, @Nullable Object> copy(Map<String, ? extends @Nullable Object> parameters) {
		return new java.util.LinkedHashMap<>(parameters);
	}

	/** Closes the connection and releases the peer's process handle. */
	@Override
	public void close() {
		if (this.open) {
			this.open = false;
			this.listener.closed(this);
			this.credentials.close();
		}
	}

}
