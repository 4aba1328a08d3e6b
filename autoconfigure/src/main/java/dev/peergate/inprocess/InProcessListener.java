package dev.peergate.inprocess;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.peergate.core.AbstractPeerListener;
import dev.peergate.core.Gate;
import dev.peergate.core.ListenerLifecycle;
import dev.peergate.core.LiveConnection;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerListener;
import dev.peergate.handler.CallContext;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.ReplySink;
import dev.peergate.handler.StandardErrors;

/**
 * A {@link PeerListener} reachable only from this JVM. A connection is opened with credentials the caller states;
 * the listener's {@link Gate} decides about them exactly as for a socket peer, and accepted calls go through the
 * same {@link Dispatcher}, with the same lifecycle ({@link ListenerLifecycle}): calls that arrive while the listener
 * stops, and calls still running after the drain, are answered {@value StandardErrors#SHUTTING_DOWN}.
 *
 * <pre>{@code
 * InProcessListener listener = new InProcessListener("helper", gate, dispatcher);
 * listener.start();
 * try (InProcessConnection connection = listener.connect(PeerCredentials.builder("in-process").uid(1000).build())) {
 *     Map<String, Object> status = connection.call("com.example.helper.Status", Map.of());
 * }
 * }</pre>
 */
public final class InProcessListener extends AbstractPeerListener {

	/** Transport name. */
	public static final String TRANSPORT = "in-process";

	private final Dispatcher dispatcher;

	/** Accepted connections open now, and their place in the inventory. */
	private final Map<InProcessConnection, LiveConnection> connections = new ConcurrentHashMap<>();

	/** Calls awaiting their final reply, to be cut short at the end of a drain. */
	private final Set<Call> calls = ConcurrentHashMap.newKeySet();

	/** A listener with the given name, gate and dispatcher. */
	public InProcessListener(String name, Gate gate, Dispatcher dispatcher) {
		super(name, gate);
		this.dispatcher = Objects.requireNonNull(dispatcher, "'dispatcher' must not be null");
	}

	/**
	 * Opens a connection as the peer the credentials describe. The gate decides at once; a refused connection
	 * answers every call with {@code org.varlink.service.PermissionDenied}.
	 * @throws IllegalStateException when the listener is not running
	 */
	public InProcessConnection connect(PeerCredentials credentials) {
		if (!lifecycle().accepting()) {
			throw new IllegalStateException("Listener '" + name() + "' is " + state().tag());
		}
		InProcessConnection connection = new InProcessConnection(this, gate().admit(credentials), credentials);
		if (connection.verdict().accepted()) {
			this.connections.put(connection, lifecycle().connectionAccepted(connection.peer(), null,
					() -> disconnect(connection)));
		}
		return connection;
	}

	/** Serves one call of an accepted connection. */
	void serve(InProcessConnection connection, CallContext context, IpcRequest request, ReplySink sink) {
		LiveConnection live = this.connections.get(connection);
		if (live == null) {
			throw new IllegalStateException("Connection to '" + name() + "' is closed");
		}
		if (!lifecycle().accepting()) {
			lifecycle().refusedWhileStopping();
			if (!request.oneway()) {
				sink.reply(IpcReply.error(new IpcError(StandardErrors.SHUTTING_DOWN)));
			}
			return;
		}
		live.callStarted();
		Call call = new Call(connection, live, sink, request.oneway());
		if (!request.oneway()) {
			this.calls.add(call);
		}
		this.dispatcher.dispatch(context, request, call);
	}

	void closed(InProcessConnection connection) {
		LiveConnection live = this.connections.remove(connection);
		if (live != null) {
			lifecycle().acceptedConnectionClosed(live);
		}
	}

	/** An operator disconnects the connection: its calls in flight are answered first, then it is closed. */
	private void disconnect(InProcessConnection connection) {
		for (Call call : Set.copyOf(this.calls)) {
			if (call.connection == connection) {
				call.reply(IpcReply.error(new IpcError(StandardErrors.DISCONNECTED)));
			}
		}
		connection.close();
	}

	@Override
	public String transport() {
		return TRANSPORT;
	}

	@Override
	public String address() {
		return "in-process:" + name();
	}

	@Override
	public void start() {
		startUnchecked(new Endpoint());
	}

	/** The transport's side of the lifecycle: nothing to bind; connections and calls to end. */
	private final class Endpoint implements ListenerLifecycle.Endpoint {

		@Override
		public void cutCalls(long deadline) {
			for (Call call : Set.copyOf(InProcessListener.this.calls)) {
				call.reply(IpcReply.error(new IpcError(StandardErrors.SHUTTING_DOWN)));
			}
		}

		@Override
		public void release() {
			for (InProcessConnection connection : Set.copyOf(InProcessListener.this.connections.keySet())) {
				connection.close();
			}
		}

		@Override
		public int openConnections() {
			return InProcessListener.this.connections.size();
		}

	}

	/** One call's replies: counted until the final one, which a drain may send instead of the handler. */
	private final class Call implements ReplySink {

		private final InProcessConnection connection;

		private final LiveConnection live;

		private final ReplySink sink;

		private final boolean oneway;

		private final AtomicBoolean finished = new AtomicBoolean();

		Call(InProcessConnection connection, LiveConnection live, ReplySink sink, boolean oneway) {
			this.connection = connection;
			this.live = live;
			this.sink = sink;
			this.oneway = oneway;
		}

		@Override
		public void reply(IpcReply reply) {
			if (this.finished.get()) {
				return; // cut short by a drain: the handler's late replies are dropped
			}
			if (reply.continues()) {
				this.sink.reply(reply);
				return;
			}
			if (this.finished.compareAndSet(false, true)) {
				ended(); // before the caller has the reply: it sees its call counted as served
				this.sink.reply(reply);
			}
		}

		@Override
		public void completed() {
			if (this.oneway && this.finished.compareAndSet(false, true)) {
				ended(); // a oneway call has no final reply; it counts until its handler is done
			}
		}

		private void ended() {
			InProcessListener.this.calls.remove(this);
			this.live.callsEnded(1);
		}

		@Override
		public boolean isOpen() {
			return !this.finished.get() && this.sink.isOpen();
		}

	}

}
