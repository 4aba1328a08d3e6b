package dev.peergate.test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.core.PeerListener;
import dev.peergate.core.Verdict;
import dev.peergate.handler.IpcClients;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import org.jspecify.annotations.Nullable;

/**
 * Calls the application's in-process listeners as a stated peer, in a {@link PeergateTest}: typed clients of
 * {@link dev.peergate.handler.IpcInterface} interfaces and raw connections. The listener's gate decides about the
 * peer (verdict, events, metrics as in production); a refused peer's calls fail with
 * {@code org.varlink.service.PermissionDenied}. Connections opened for a test are closed after it.
 *
 * <pre>{@code
 * @Autowired
 * PeergateTester peergate;
 *
 * @Test
 * @WithPeer(uid = 1000)
 * void statusNamesTheCaller() {
 *     assertThat(this.peergate.client(Helper.class).status().callerUid()).isEqualTo(1000);
 *     assertThatExceptionOfType(IpcError.class)
 *         .isThrownBy(() -> this.peergate.as(TestPeer.uid(4242)).client(Helper.class).status())
 *         .satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
 * }
 * }</pre>
 */
public final class PeergateTester {

	private final PeergateListeners listeners;

	private final Set<InProcessConnection> connections = ConcurrentHashMap.newKeySet();

	private volatile @Nullable WithPeer stated;

	/** A tester of the given listeners. */
	public PeergateTester(PeergateListeners listeners) {
		this.listeners = listeners;
	}

	/**
	 * A typed client calling as the peer the test's {@link WithPeer} states.
	 * @throws IllegalStateException when the test states no peer
	 */
	public <T> T client(Class<T> api) {
		return stated().client(api);
	}

	/** A connection as the peer the test's {@link WithPeer} states, for its verdict or raw calls. */
	public InProcessConnection connect() {
		return stated().connect();
	}

	/** Calls as the given peer, whatever the test's {@link WithPeer} states. */
	public As as(TestPeer peer) {
		WithPeer annotation = this.stated;
		return new As(peer, (annotation != null) ? annotation.listener() : "");
	}

	private As stated() {
		WithPeer annotation = this.stated;
		if (annotation == null) {
			throw new IllegalStateException("No peer stated: annotate the test method or class with @WithPeer, "
					+ "or call as(TestPeer.uid(...))");
		}
		return new As(TestPeer.of(annotation), annotation.listener());
	}

	/** Called before each test method with the peer it states, or {@code null}. */
	void state(@Nullable WithPeer annotation) {
		this.stated = annotation;
	}

	/** Called after each test method: closes what it opened. */
	void finish() {
		this.stated = null;
		for (InProcessConnection connection : List.copyOf(this.connections)) {
			connection.close();
			this.connections.remove(connection);
		}
	}

	private InProcessListener listener(String name) {
		List<InProcessListener> inProcess = this.listeners.listeners()
			.stream()
			.filter(InProcessListener.class::isInstance)
			.map(InProcessListener.class::cast)
			.toList();
		List<String> names = this.listeners.listeners().stream().map(PeerListener::name).toList();
		if (name.isEmpty()) {
			if (inProcess.size() == 1) {
				return inProcess.get(0);
			}
			throw new IllegalStateException((inProcess.isEmpty() ? "No in-process listener is configured"
					: "Several listeners are configured " + names)
					+ ": configure one (peergate.listeners.<name>.requirement...) or name it with "
					+ "@WithPeer(listener = ...) or as(peer).on(...)");
		}
		return inProcess.stream()
			.filter(listener -> listener.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(
					"No in-process listener '" + name + "'; the listeners are " + names));
	}

	/**
	 * Calls as one peer, on one listener.
	 *
	 * <pre>{@code
	 * Verdict verdict = peergate.as(TestPeer.uid(4242)).on("admin").verdict();
	 * }</pre>
	 */
	public final class As {

		private final TestPeer peer;

		private final String listener;

		private As(TestPeer peer, String listener) {
			this.peer = peer;
			this.listener = listener;
		}

		/** The same peer on the named listener. */
		public As on(String listener) {
			return new As(this.peer, listener);
		}

		/** A typed client over a new connection; a refused peer's calls throw PermissionDenied. */
		public <T> T client(Class<T> api) {
			return IpcClients.create(api, connect().caller());
		}

		/** A new connection, closed after the test. */
		public InProcessConnection connect() {
			InProcessConnection connection = listener(this.listener).connect(this.peer.credentials());
			PeergateTester.this.connections.add(connection);
			return connection;
		}

		/** The gate's decision about this peer (the connection is closed after the test). */
		public Verdict verdict() {
			return connect().verdict();
		}

	}

}
