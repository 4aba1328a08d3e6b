package dev.peergate.xpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.AbstractPeerListener;
import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.Gate;
import dev.peergate.core.ListenerLifecycle;
import dev.peergate.core.Mechanism;
import dev.peergate.core.Reason;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.VerdictSink;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcEndpoint;
import dev.peergate.xpc.jna.XpcEvent;
import dev.peergate.xpc.jna.XpcPeerConnection;
import dev.peergate.xpc.jna.XpcServer;
import org.jspecify.annotations.Nullable;

/**
 * An XPC Mach-service listener: {@code xpc_connection_create_mach_service(name, queue, LISTENER)}, one event
 * handler per peer connection, the mechanism picked by {@link MechanismSelector} for the running macOS. Created
 * with {@link XpcListenerOptions#anonymous} it is an anonymous listener ({@code xpc_connection_create(NULL, queue)})
 * instead, needing no launchd job, whose clients connect through its {@link #endpoint()}.
 * <p>
 * Per peer connection: the requirement setter of an {@code os} mechanism exactly once before resume, then resume;
 * per message (observed mechanisms): the OS checks the sender, Peergate reports the verdict through the
 * {@link Gate} (accepted once per connection, every rejection), a refused sender gets a
 * {@value StandardErrors#PERMISSION_DENIED} reply and its connection is cancelled. Verification and decoding run
 * on the connection's native thread (serially, in order); handlers run on the {@link Dispatcher}'s executor.
 * <p>
 * On macOS 10.x the opt-in fallbacks ({@link Mechanism#PRIVATE_AUDIT_TOKEN}, {@link Mechanism#PID_UNSAFE}) locate
 * the sender's code themselves and then take the same verdict path as {@link Mechanism#SEC_CODE_XPC_MESSAGE}; the
 * start logs a warning for each.
 * <p>
 * Wire contract (shared with varlink): request {@code {method, parameters, more?, id?}}; replies
 * {@code {parameters}} or {@code {error, parameters}}; items of a stream are sent as messages
 * {@code {parameters, continues: true, id?}} before the final reply.
 *
 * <pre>{@code
 * XpcListener listener = new XpcListener(XpcListenerOptions.of("helper", "com.example.helper",
 *         XpcRequirement.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"")),
 *     dispatcher, verdictSink, TransportEvents.none());
 * listener.start();
 *
 * // anonymous: no launchd job; clients connect through the endpoint
 * XpcListener inProcess = new XpcListener(XpcListenerOptions.anonymous("helper", XpcRequirement.sameTeam()),
 *     dispatcher, verdictSink, TransportEvents.none());
 * inProcess.start();
 * XpcClient client = XpcClient.connect(XpcClient.Options.of(inProcess.endpoint()));
 * }</pre>
 * <p>
 * The pieces: {@link XpcListenerSetup} (mechanism, {@code same-team}), {@link XpcRequirementBinding} (the native
 * requirement objects), {@link XpcPeerSession} (one peer connection), {@link XpcCallReplies} (one call's replies);
 * the lifecycle is {@link ListenerLifecycle}, shared with every transport.
 */
public final class XpcListener extends AbstractPeerListener {

	/** Transport name in verdicts and call contexts. */
	public static final String TRANSPORT = "xpc";

	private static final System.Logger logger = System.getLogger(XpcListener.class.getName());

	/** How long a stop waits for libxpc to invalidate the peer connections and the listener it cancelled. */
	private static final Duration INVALIDATION_WAIT = Duration.ofSeconds(5);

	private final XpcServing serving;

	private volatile @Nullable XpcServer server;

	private final XpcIdleConnections idle;

	/**
	 * A listener whose gate is built here from {@link XpcListenerSetup#prepare}: loads the native libraries, reads the
	 * macOS version, resolves {@link XpcRequirement.SameTeam} from this process's own signature and selects the
	 * mechanism.
	 * @throws MechanismUnavailableException when this macOS cannot enforce the requirement as configured
	 * @throws SameTeamUnavailableException when {@code SameTeam} is asked for but this process has no team
	 */
	public XpcListener(XpcListenerOptions options, Dispatcher dispatcher, VerdictSink sink,
			TransportEvents transportEvents) {
		this(XpcListenerSetup.prepare(options), sink, dispatcher, transportEvents);
	}

	private XpcListener(XpcListenerSetup setup, VerdictSink sink, Dispatcher dispatcher, TransportEvents events) {
		this(setup, new Gate(setup.options().name(), setup.mechanism(), setup.gateRequirement(), sink), dispatcher,
				events);
	}

	/**
	 * A listener over a prepared setup and a gate built with its mechanism and {@link XpcListenerSetup#gateRequirement()}.
	 */
	public XpcListener(XpcListenerSetup setup, Gate gate, Dispatcher dispatcher, TransportEvents events) {
		this(setup, gate, dispatcher, events, CallVerdictSink.none());
	}

	/**
	 * A listener that also reports the decisions of its methods' own requirements
	 * ({@link XpcListenerOptions#methodRequirements()}) to {@code callSink}.
	 */
	public XpcListener(XpcListenerSetup setup, Gate gate, Dispatcher dispatcher, TransportEvents events,
			CallVerdictSink callSink) {
		super(setup.options().name(), gate);
		this.serving = new XpcServing(setup, gate, dispatcher, events, callSink, lifecycle());
		this.idle = new XpcIdleConnections(this.serving, setup.options().idleTimeout());
	}

	/** The requirement peers are checked against ({@code same-team} resolved to its code-signing string). */
	public XpcRequirement requirement() {
		return this.serving.setup().requirement();
	}

	@Override
	public String transport() {
		return TRANSPORT;
	}

	/** The Mach service name, or {@code anonymous:<name>} for an anonymous listener. */
	@Override
	public String address() {
		String serviceName = options().serviceName();
		return (serviceName != null) ? serviceName : "anonymous:" + name();
	}

	/**
	 * The endpoint of an anonymous listener ({@link XpcListenerOptions#anonymous}), valid while it runs: pass it to
	 * {@code XpcClient.Options.of(endpoint)}, or send it in an XPC message to another process.
	 * @throws IllegalStateException for a Mach-service listener, or before {@link #start()}
	 */
	public XpcEndpoint endpoint() {
		XpcServer current = this.server;
		if (current == null) {
			throw new IllegalStateException("listener '" + name() + "' has not started");
		}
		return current.endpoint();
	}

	/** The mechanism chosen for this macOS. */
	public Mechanism mechanism() {
		return this.serving.setup().mechanism();
	}

	/** The macOS version the mechanism was chosen for. */
	public MacOsVersion macOsVersion() {
		return this.serving.setup().version();
	}

	/** The options. */
	public XpcListenerOptions options() {
		return this.serving.setup().options();
	}

	@Override
	public void start() {
		startUnchecked(new Endpoint());
	}

	/** The macOS 10.x fallbacks are opt-in and weaker; say so every time one starts. */
	private void warnAboutFallback() {
		if (mechanism() == Mechanism.PRIVATE_AUDIT_TOKEN) {
			logger.log(System.Logger.Level.WARNING, "Peergate listener ''{0}'' uses PRIVATE libxpc API on macOS {1} "
					+ "(xpc_dictionary_get_audit_token, allow-private-api: true): it is in no public header and may "
					+ "change or disappear in any macOS update", name(), macOsVersion());
		}
		else if (mechanism() == Mechanism.PID_UNSAFE) {
			logger.log(System.Logger.Level.WARNING, "Peergate listener ''{0}'' identifies senders by PID on macOS {1} "
					+ "(allow-insecure-pid: true): PID checks are RACY, a sender that exits before the check and whose "
					+ "PID is reused is checked as the new process", name(), macOsVersion());
		}
	}

	private void onListenerEvent(XpcEvent event) {
		if (event == XpcEvent.CONNECTION_INVALID) {
			if (lifecycle().accepting() && options().isAnonymous()) {
				logger.log(System.Logger.Level.ERROR, "Peergate listener ''{0}'': libxpc invalidated the anonymous "
						+ "listener", name());
				lifecycle().fail("libxpc invalidated the anonymous listener " + address());
			}
			else if (lifecycle().accepting()) {
				logger.log(System.Logger.Level.ERROR, "Peergate listener ''{0}'': libxpc invalidated the listener for "
						+ "Mach service {1}. Is the service declared in this process''s launchd plist (MachServices)?",
						name(), address());
				lifecycle().fail("libxpc invalidated the listener for Mach service " + address()
						+ ": the service is not registered for this process; declare it under MachServices in the "
						+ "launchd plist (see dev.peergate.xpc.LaunchdPlist)");
			}
		}
		else {
			logger.log(System.Logger.Level.WARNING, "Peergate listener ''{0}'': listener event {1}", name(), event);
		}
	}

	private void onPeer(XpcPeerConnection peer) {
		XpcPeerSession session = new XpcPeerSession(this.serving, peer);
		if (!lifecycle().accepting()) {
			peer.refuseBeforeStart((event) -> {
			});
			return;
		}
		int maxConnections = this.serving.setup().options().maxConnections();
		if (this.serving.slots().incrementAndGet() > maxConnections) {
			this.serving.slots().decrementAndGet();
			this.serving.events().limitExceeded(name(), "max-connections");
			gate().refuse(Reason.LIMIT_EXCEEDED,
					"listener has " + maxConnections + " connections open (max-connections)", session.credentials());
			peer.refuseBeforeStart((event) -> {
			});
			return;
		}
		long uid = peer.uid();
		if (!this.serving.slotsPerUid().tryAcquire(uid)) {
			this.serving.slots().decrementAndGet();
			this.serving.events().limitExceeded(name(), "max-connections-per-uid");
			gate().refuse(Reason.LIMIT_EXCEEDED, "uid " + uid + " has " + this.serving.slotsPerUid().max()
					+ " connections open (max-connections-per-uid)", session.credentials());
			peer.refuseBeforeStart((event) -> {
			});
			return;
		}
		if (mechanism().enforcedByOs()) {
			String failure;
			try {
				int result = this.serving.binding().applyTo(peer);
				failure = (result != 0) ? "libxpc refused to set the peer requirement (error " + result + ")" : null;
			}
			catch (RuntimeException ex) {
				failure = "setting the peer requirement failed: " + ex.getMessage();
			}
			if (failure != null) {
				this.serving.slots().decrementAndGet();
				this.serving.slotsPerUid().release(uid);
				gate().refuse(Reason.VERIFICATION_FAILED, failure, session.credentials());
				peer.refuseBeforeStart((event) -> {
				});
				return;
			}
		}
		this.serving.sessions().add(session);
		peer.start(session::onMessage, session::onEvent);
	}

	/** The XPC side of the lifecycle: the Mach-service listener and its peer connections. */
	private final class Endpoint implements ListenerLifecycle.Endpoint {

		@Override
		public void open() {
			XpcListener.this.serving.binding().prepare();
			XpcListenerSetup setup = XpcListener.this.serving.setup();
			String serviceName = options().serviceName();
			XpcListener.this.server = (serviceName != null)
					? XpcServer.listen(setup.nativeXpc(), serviceName, XpcListener.this::onPeer,
							XpcListener.this::onListenerEvent)
					: XpcServer.anonymous(setup.nativeXpc(), name(), XpcListener.this::onPeer,
							XpcListener.this::onListenerEvent);
			// DEBUG: the application's own start line (PeergateListeners) says the same at INFO
			logger.log(System.Logger.Level.DEBUG,
					"Peergate listener ''{0}'' on {1}: macOS {2}, mechanism {3}, enforcement {4}, requirement {5}",
					name(), address(), setup.version(), mechanism().tag(), options().enforcement().tag(),
					setup.requirement().describe());
			warnAboutFallback();
			XpcListener.this.idle.start();
		}

		@Override
		public void stopAccepting() {
			XpcServer current = XpcListener.this.server;
			if (current != null) {
				current.cancel();
			}
		}

		@Override
		public void cutCalls(long deadline) {
			Set<XpcPeerSession> sessions = XpcListener.this.serving.sessions();
			for (XpcPeerSession session : List.copyOf(sessions)) {
				// every call still in flight gets its final reply before the cancel
				session.cut(StandardErrors.SHUTTING_DOWN);
			}
			long until = Math.max(deadline, System.nanoTime() + INVALIDATION_WAIT.toNanos());
			synchronized (sessions) {
				long remaining;
				while (!sessions.isEmpty() && (remaining = until - System.nanoTime()) > 0) {
					try {
						TimeUnit.NANOSECONDS.timedWait(sessions, remaining);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		}

		@Override
		public void release() {
			XpcListener.this.idle.stop();
			XpcServer current = XpcListener.this.server;
			if (current != null) {
				current.cancel();
				try {
					current.awaitInvalid(INVALIDATION_WAIT);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			for (XpcPeerSession session : List.copyOf(XpcListener.this.serving.sessions())) {
				session.peer().cancel();
			}
			if (XpcListener.this.serving.sessions().isEmpty()) {
				// Connections hold the requirement objects only while alive; release them once they are all gone.
				XpcListener.this.serving.binding().close();
			}
		}

		@Override
		public int openConnections() {
			return XpcListener.this.serving.sessions().size();
		}

	}

}
