package dev.peergate.xpc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.peergate.core.DrainSummary;
import dev.peergate.core.Evaluation;
import dev.peergate.core.Gate;
import dev.peergate.core.ListenerState;
import dev.peergate.core.Mechanism;
import dev.peergate.core.Peer;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.PeerListener;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.Verdict;
import dev.peergate.core.VerdictSink;
import dev.peergate.handler.CallContext;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.ReplySink;
import dev.peergate.handler.StandardErrors;
import dev.peergate.requirement.InvalidRequirementException;
import dev.peergate.requirement.codesigning.CodeRequirement;
import dev.peergate.requirement.codesigning.CodeRequirements;
import dev.peergate.xpc.jna.XpcConversionException;
import dev.peergate.xpc.jna.XpcEvent;
import dev.peergate.xpc.jna.XpcMessage;
import dev.peergate.xpc.jna.XpcNative;
import dev.peergate.xpc.jna.XpcPeerConnection;
import dev.peergate.xpc.jna.XpcSecurity;
import dev.peergate.xpc.jna.XpcServer;
import org.jspecify.annotations.Nullable;

/**
 * An XPC Mach-service listener: {@code xpc_connection_create_mach_service(name, queue, LISTENER)}, one event
 * handler per peer connection, the mechanism picked by {@link MechanismSelector} for the running macOS.
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
 * }</pre>
 */
public final class XpcListener implements PeerListener {

	/** Transport name in verdicts and call contexts. */
	public static final String TRANSPORT = "xpc";

	private static final System.Logger logger = System.getLogger(XpcListener.class.getName());

	/**
	 * A blocking handler's stream waits while this many of its connection's stream messages are still in libxpc's
	 * send queue here (the peer's Mach port holds 5 more): enough to keep a reading peer busy, little to hold for
	 * one that does not read.
	 */
	static final int MAX_UNSENT_STREAM_MESSAGES = 16;

	/**
	 * Unsent stream messages past which the peer connection is cancelled ({@code reply-buffer}): only streams that
	 * cannot wait get here (a non-blocking handler's, whose barriers cannot run while it runs on their queue).
	 */
	static final int MAX_UNSENT_STREAM_MESSAGES_HARD = 1_024;

	private final XpcListenerOptions options;

	private final Dispatcher dispatcher;

	private final TransportEvents transportEvents;

	private final XpcNative nativeXpc;

	private final XpcSecurity security;

	private final MacOsVersion version;

	private final Mechanism mechanism;

	/** The requirement peers are checked against: the options' one, or the one {@code SameTeam} resolved to. */
	private final XpcRequirement requirement;

	private final RejectionExplainer explainer;

	private final NativeDecision decision;

	private final Gate gate;

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	/** Calls answered {@value StandardErrors#SHUTTING_DOWN} because they arrived while the listener stopped. */
	private final AtomicInteger refusedWhileStopping = new AtomicInteger();

	private volatile @Nullable DrainSummary lastDrain;

	private volatile ListenerState state = ListenerState.NEW;

	private volatile @Nullable XpcServer server;

	private volatile @Nullable String failure;

	private volatile Consumer<String> whenFailed = reason -> {
	};

	private volatile XpcSecurity.@Nullable CompiledRequirement compiled;

	private volatile XpcSecurity.@Nullable PeerRequirementObject requirementObject;

	/**
	 * A listener; loads the native libraries, reads the macOS version, resolves {@link XpcRequirement.SameTeam}
	 * from this process's own signature and selects the mechanism.
	 * @throws MechanismUnavailableException when this macOS cannot enforce the requirement as configured
	 * @throws SameTeamUnavailableException when {@code SameTeam} is asked for but this process has no team
	 */
	public XpcListener(XpcListenerOptions options, Dispatcher dispatcher, VerdictSink sink,
			TransportEvents transportEvents) {
		this.options = options;
		this.dispatcher = dispatcher;
		this.transportEvents = transportEvents;
		this.nativeXpc = XpcNative.load(options.libraries());
		this.security = new XpcSecurity(this.nativeXpc);
		this.version = MacOsVersion.parse(this.nativeXpc.productVersion()
			.orElseThrow(() -> new IllegalStateException("Cannot read kern.osproductversion")));
		if (options.requirement() instanceof XpcRequirement.SameTeam) {
			CodeRequirement own = sameTeamRequirement(this.security);
			this.requirement = XpcRequirement.codeSigning(own.canonical());
			// the default explainer only summarises; the requirement built here can be explained clause by clause
			this.explainer = (options.explainer() instanceof RejectionExplainer.FactsSummary)
					? new ClauseRejectionExplainer(own) : options.explainer();
		}
		else {
			this.requirement = options.requirement();
			this.explainer = options.explainer();
		}
		this.mechanism = MechanismSelector.select(new MechanismSelector.Query(this.version, this.requirement,
				options.enforcement(), options.allowPrivateApi(), options.allowInsecurePid()),
				this.nativeXpc.availability()::has)
			.mechanism();
		this.decision = new NativeDecision(this.requirement.describe());
		this.gate = new Gate(options.name(), this.mechanism, this.decision, sink);
	}

	/**
	 * {@code same-team}: the team of this process's own signature as the code-signing requirement
	 * {@code anchor apple generic and certificate leaf[subject.OU] = <team>}, in canonical form. A code-signing
	 * string rather than libxpc's team identity: it works from macOS 11 ({@code observed}) and 12 ({@code os}) where
	 * team identity needs 14.4 / 26, and its rejections are explained clause by clause.
	 */
	static CodeRequirement sameTeamRequirement(XpcSecurity security) {
		String property = "requirement.same-team";
		String action = "Sign this program with a Developer ID (or Apple Development) certificate of your team, or "
				+ "replace same-team with an explicit requirement, e.g. code-signing: 'anchor apple generic and "
				+ "certificate leaf[subject.OU] = \"<your team id>\"'.";
		Map<String, Object> self;
		try {
			self = security.selfFacts();
		}
		catch (IllegalStateException ex) {
			throw new SameTeamUnavailableException(property + " needs this process's team identifier, but its code "
					+ "could not be read (" + ex.getMessage() + ").", action);
		}
		Object team = self.get("team-identifier");
		if (!(team instanceof String text) || text.isBlank()) {
			Object identifier = self.get("signing-identifier");
			throw new SameTeamUnavailableException(property + " needs this process's team identifier, but its "
					+ "signature has none: it is unsigned or ad-hoc signed ("
					+ ((identifier != null) ? "signing identifier " + identifier : "no signing identifier") + ").",
					action);
		}
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				quoted.append('\\');
			}
			quoted.append(c);
		}
		quoted.append('"');
		try {
			return CodeRequirements.parse("anchor apple generic and certificate leaf[subject.OU] = " + quoted);
		}
		catch (InvalidRequirementException ex) {
			throw new SameTeamUnavailableException(property + " cannot use this process's team identifier "
					+ quoted + " in a requirement: " + ex.getMessage(), action);
		}
	}

	/** The requirement peers are checked against ({@code same-team} resolved to its code-signing string). */
	public XpcRequirement requirement() {
		return this.requirement;
	}

	@Override
	public String name() {
		return this.options.name();
	}

	@Override
	public String transport() {
		return TRANSPORT;
	}

	@Override
	public String address() {
		return this.options.serviceName();
	}

	@Override
	public Gate gate() {
		return this.gate;
	}

	@Override
	public ListenerState state() {
		return this.state;
	}

	@Override
	public void whenFailed(Consumer<String> callback) {
		this.whenFailed = Objects.requireNonNull(callback, "'callback' must not be null");
	}

	@Override
	public java.util.Optional<String> failure() {
		return (this.state == ListenerState.FAILED) ? java.util.Optional.ofNullable(this.failure)
				: java.util.Optional.empty();
	}

	@Override
	public int activeConnections() {
		return this.accepted.get();
	}

	/** The mechanism chosen for this macOS. */
	public Mechanism mechanism() {
		return this.mechanism;
	}

	/** The macOS version the mechanism was chosen for. */
	public MacOsVersion macOsVersion() {
		return this.version;
	}

	/** The options. */
	public XpcListenerOptions options() {
		return this.options;
	}

	@Override
	public synchronized void start() {
		if (this.state != ListenerState.NEW) {
			throw new IllegalStateException("Listener " + name() + " is " + this.state.tag());
		}
		try {
			prepareRequirement();
			this.state = ListenerState.RUNNING;
			this.server = XpcServer.listen(this.nativeXpc, this.options.serviceName(), this::onPeer,
					this::onListenerEvent);
			// DEBUG: the application's own start line (PeergateListeners) says the same at INFO
			logger.log(System.Logger.Level.DEBUG,
					"Peergate listener ''{0}'' on Mach service {1}: macOS {2}, mechanism {3}, enforcement {4}, requirement {5}",
					name(), address(), this.version, this.mechanism.tag(), this.options.enforcement().tag(),
					this.requirement.describe());
			warnAboutFallback();
		}
		catch (RuntimeException ex) {
			this.failure = ex.getMessage();
			this.state = ListenerState.FAILED;
			closeRequirement();
			throw ex;
		}
	}

	/** The macOS 10.x fallbacks are opt-in and weaker; say so every time one starts. */
	private void warnAboutFallback() {
		if (this.mechanism == Mechanism.PRIVATE_AUDIT_TOKEN) {
			logger.log(System.Logger.Level.WARNING, "Peergate listener ''{0}'' uses PRIVATE libxpc API on macOS {1} "
					+ "(xpc_dictionary_get_audit_token, allow-private-api: true): it is in no public header and may "
					+ "change or disappear in any macOS update", name(), this.version);
		}
		else if (this.mechanism == Mechanism.PID_UNSAFE) {
			logger.log(System.Logger.Level.WARNING, "Peergate listener ''{0}'' identifies senders by PID on macOS {1} "
					+ "(allow-insecure-pid: true): PID checks are RACY, a sender that exits before the check and whose "
					+ "PID is reused is checked as the new process", name(), this.version);
		}
	}

	/** Whether the mechanism checks each message against a compiled code-signing requirement in this process. */
	private boolean checksCompiledRequirement() {
		return switch (this.mechanism) {
			case SEC_CODE_XPC_MESSAGE, PRIVATE_AUDIT_TOKEN, PID_UNSAFE -> true;
			default -> false;
		};
	}

	/** Compiles or creates the requirement once, so that a bad one fails the start rather than every peer. */
	private void prepareRequirement() {
		XpcRequirement requirement = this.requirement;
		if (requirement instanceof XpcRequirement.CodeSigning codeSigning) {
			// Also for the os mechanism: libxpc would only fail per connection (pitfall: pre-compile the string).
			XpcSecurity.CompiledRequirement compiledRequirement;
			try {
				compiledRequirement = this.security.compile(codeSigning.text());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRequirementException(null, 0, 0,
						"Security.framework rejected the code-signing requirement: " + ex.getMessage(), null, null,
						codeSigning.text());
			}
			if (checksCompiledRequirement()) {
				this.compiled = compiledRequirement;
			}
			else {
				compiledRequirement.close();
			}
			return;
		}
		if (this.mechanism == Mechanism.XPC_PEER_REQUIREMENT_MATCH || this.mechanism == Mechanism.XPC_PEER_REQUIREMENT) {
			try {
				this.requirementObject = createRequirementObject(requirement);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRequirementException(null, 0, 0,
						"libxpc rejected the requirement: " + ex.getMessage(), null, null, requirement.describe());
			}
		}
	}

	private XpcSecurity.PeerRequirementObject createRequirementObject(XpcRequirement requirement) {
		if (requirement instanceof XpcRequirement.Lightweight lwcr) {
			return this.security.lightweight(lwcr.facts());
		}
		if (requirement instanceof XpcRequirement.TeamIdentity team) {
			return this.security.teamIdentity(team.signingIdentifier());
		}
		if (requirement instanceof XpcRequirement.PlatformIdentity platform) {
			return this.security.platformIdentity(platform.signingIdentifier());
		}
		if (requirement instanceof XpcRequirement.EntitlementExists entitlement) {
			return this.security.entitlementExists(entitlement.entitlement());
		}
		if (requirement instanceof XpcRequirement.EntitlementMatches entitlement) {
			return this.security.entitlementMatches(entitlement.entitlement(), entitlement.value());
		}
		throw new IllegalArgumentException("Not a lightweight requirement: " + requirement.describe());
	}

	private void onListenerEvent(XpcEvent event) {
		if (event == XpcEvent.CONNECTION_INVALID) {
			if (this.state == ListenerState.RUNNING) {
				String failure = "libxpc invalidated the listener for Mach service " + address()
						+ ": the service is not registered for this process; declare it under MachServices in the "
						+ "launchd plist (see dev.peergate.xpc.LaunchdPlist)";
				this.failure = failure;
				this.state = ListenerState.FAILED;
				logger.log(System.Logger.Level.ERROR, "Peergate listener ''{0}'': libxpc invalidated the listener for "
						+ "Mach service {1}. Is the service declared in this process''s launchd plist (MachServices)?",
						name(), address());
				this.whenFailed.accept(failure);
			}
		}
		else {
			logger.log(System.Logger.Level.WARNING, "Peergate listener ''{0}'': listener event {1}", name(), event);
		}
	}

	private void onPeer(XpcPeerConnection peer) {
		Connection connection = new Connection(peer);
		if (this.state != ListenerState.RUNNING) {
			peer.refuseBeforeStart((event) -> {
			});
			return;
		}
		if (this.mechanism.enforcedByOs()) {
			String failure;
			try {
				int result = applyOsRequirement(peer);
				failure = (result != 0) ? "libxpc refused to set the peer requirement (error " + result + ")" : null;
			}
			catch (RuntimeException ex) {
				failure = "setting the peer requirement failed: " + ex.getMessage();
			}
			if (failure != null) {
				this.gate.refuse(Reason.VERIFICATION_FAILED, failure, connection.credentials(Map.of()));
				peer.refuseBeforeStart((event) -> {
				});
				return;
			}
		}
		this.connections.add(connection);
		peer.start(connection::onMessage, connection::onEvent);
	}

	/** The one requirement setter of an os mechanism; called exactly once per connection, before resume. */
	private int applyOsRequirement(XpcPeerConnection peer) {
		XpcRequirement requirement = this.requirement;
		if (this.mechanism == Mechanism.XPC_PEER_REQUIREMENT) {
			XpcSecurity.PeerRequirementObject object = this.requirementObject;
			if (object == null) {
				throw new IllegalStateException("requirement object missing");
			}
			return peer.setPeerRequirement(object);
		}
		if (requirement instanceof XpcRequirement.CodeSigning codeSigning) {
			return peer.setCodeSigningRequirement(codeSigning.text());
		}
		if (requirement instanceof XpcRequirement.Lightweight lwcr) {
			return peer.setLightweightRequirement(lwcr.facts());
		}
		if (requirement instanceof XpcRequirement.TeamIdentity team) {
			return peer.setTeamIdentityRequirement(team.signingIdentifier());
		}
		if (requirement instanceof XpcRequirement.PlatformIdentity platform) {
			return peer.setPlatformIdentityRequirement(platform.signingIdentifier());
		}
		if (requirement instanceof XpcRequirement.EntitlementExists entitlement) {
			return peer.setEntitlementExistsRequirement(entitlement.entitlement());
		}
		if (requirement instanceof XpcRequirement.EntitlementMatches entitlement) {
			return peer.setEntitlementMatchesValueRequirement(entitlement.entitlement(), entitlement.value());
		}
		throw new IllegalStateException("No setter for " + requirement.describe());
	}

	@Override
	public void stop(Duration drainTimeout) {
		synchronized (this) {
			if (this.state != ListenerState.RUNNING && this.state != ListenerState.FAILED) {
				return;
			}
			this.state = ListenerState.STOPPING;
		}
		long started = System.nanoTime();
		int connectionsAtStart = this.connections.size();
		int callsAtStart = this.inFlight.get();
		int cut = 0;
		XpcServer current = this.server;
		if (current != null) {
			current.cancel();
		}
		long deadline = started + drainTimeout.toNanos();
		try {
			while (this.inFlight.get() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			cut = this.inFlight.get();
			for (Connection connection : List.copyOf(this.connections)) {
				connection.cutShort(); // every call still in flight gets its final reply before the cancel
				connection.peer.cancel();
			}
			long finalDeadline = Math.max(deadline, System.nanoTime() + Duration.ofSeconds(5).toNanos());
			while (!this.connections.isEmpty() && System.nanoTime() < finalDeadline) {
				Thread.sleep(10);
			}
			if (current != null) {
				current.awaitInvalid(Duration.ofSeconds(5));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.connections.isEmpty()) {
			// Connections hold the requirement object only while alive; release it once they are all gone.
			closeRequirement();
		}
		this.lastDrain = new DrainSummary(connectionsAtStart, callsAtStart, cut, this.refusedWhileStopping.get(),
				Duration.ofNanos(System.nanoTime() - started));
		this.state = ListenerState.STOPPED;
	}

	@Override
	public Optional<DrainSummary> lastDrain() {
		return Optional.ofNullable(this.lastDrain);
	}

	private void closeRequirement() {
		XpcSecurity.CompiledRequirement compiledRequirement = this.compiled;
		this.compiled = null;
		if (compiledRequirement != null) {
			compiledRequirement.close();
		}
		XpcSecurity.PeerRequirementObject object = this.requirementObject;
		this.requirementObject = null;
		if (object != null) {
			object.close();
		}
	}

	/** One peer connection's state; its methods run serially on the connection's native thread. */
	private final class Connection {

		private final XpcPeerConnection peer;

		private volatile @Nullable Peer acceptedPeer;

		private volatile Map<String, Object> signingFacts = Map.of();

		private final AtomicBoolean closed = new AtomicBoolean();

		/** Calls of this peer connection awaiting their final reply. */
		private final AtomicInteger pending = new AtomicInteger();

		/** Calls awaiting their final reply, to be answered {@value StandardErrors#SHUTTING_DOWN} at the end of a drain. */
		private final Set<MessageReplySink> calls = ConcurrentHashMap.newKeySet();

		void cutShort() {
			for (MessageReplySink call : this.calls) {
				call.reply(IpcReply.error(new IpcError(StandardErrors.SHUTTING_DOWN)));
			}
		}

		Connection(XpcPeerConnection peer) {
			this.peer = peer;
		}

		PeerCredentials credentials(Map<String, Object> signing) {
			PeerFacts.Builder facts = PeerFacts.builder()
				.verified("uid", this.peer.uid())
				.verified("gid", this.peer.gid());
			signing.forEach(facts::verified);
			return PeerCredentials.builder(TRANSPORT)
				.uid(this.peer.uid())
				.gid(this.peer.gid())
				.pidHint(this.peer.pidHint())
				.facts(facts.build())
				.build();
		}

		void onMessage(XpcMessage message) {
			XpcSecurity.Check check;
			try {
				check = verify(message);
			}
			catch (RuntimeException ex) {
				refuse(message, Reason.VERIFICATION_FAILED, "verification failed: " + ex.getMessage(), Map.of());
				return;
			}
			if (!check.satisfied()) {
				Reason reason = switch (check.status()) {
					case SecurityCodes.REQ_FAILED, SecurityCodes.NO_MATCH -> Reason.REQUIREMENT_NOT_SATISFIED;
					case SecurityCodes.NO_SUCH_CODE -> Reason.PEER_GONE;
					default -> Reason.INVALID_SIGNATURE;
				};
				refuse(message, reason, routeNote() + XpcListener.this.explainer
					.explain(XpcListener.this.requirement.describe(), check.facts(), check.error()),
						check.facts());
				return;
			}
			Peer peer = this.acceptedPeer;
			if (peer == null) {
				this.signingFacts = check.facts();
				Verdict verdict = XpcListener.this.decision.admit(XpcListener.this.gate, credentials(this.signingFacts),
						Evaluation.satisfied(XpcListener.this.mechanism.enforcedByOs()
								? "libxpc enforced the requirement set on the connection"
								: routeNote() + "the OS found the sender satisfies "
										+ XpcListener.this.requirement.describe()));
				if (!verdict.accepted()) {
					message.reply(Map.of("error", StandardErrors.PERMISSION_DENIED, "parameters", Map.of()));
					message.close();
					this.peer.cancel();
					return;
				}
				peer = verdict.peer();
				this.acceptedPeer = peer;
				XpcListener.this.accepted.incrementAndGet();
			}
			handle(message, peer);
		}

		/** How the sender was located, when that is weaker than the OS's own per-message identification. */
		private String routeNote() {
			return switch (XpcListener.this.mechanism) {
				case PID_UNSAFE -> "PID route (allow-insecure-pid; racy: the process holding the sender's PID at "
						+ "check time was checked): ";
				case PRIVATE_AUDIT_TOKEN -> "private audit-token route (allow-private-api): ";
				default -> "";
			};
		}

		private XpcSecurity.Check verify(XpcMessage message) {
			boolean first = this.acceptedPeer == null;
			switch (XpcListener.this.mechanism) {
				case SEC_CODE_XPC_MESSAGE:
				case PRIVATE_AUDIT_TOKEN:
				case PID_UNSAFE: {
					XpcSecurity.CompiledRequirement requirement = XpcListener.this.compiled;
					if (requirement == null) {
						throw new IllegalStateException("listener is stopped");
					}
					return switch (XpcListener.this.mechanism) {
						case PRIVATE_AUDIT_TOKEN -> XpcListener.this.security.checkByAuditToken(message, requirement,
								first);
						case PID_UNSAFE -> XpcListener.this.security.checkByPid(message, requirement, first);
						default -> XpcListener.this.security.check(message, requirement, first);
					};
				}
				case XPC_PEER_REQUIREMENT_MATCH: {
					XpcSecurity.PeerRequirementObject requirement = XpcListener.this.requirementObject;
					if (requirement == null) {
						throw new IllegalStateException("listener is stopped");
					}
					return XpcListener.this.security.match(message, requirement, first);
				}
				default: {
					// libxpc delivered the message, so the sender passed the requirement set on the connection.
					Map<String, Object> facts = (first
							&& XpcListener.this.nativeXpc.availability().has("SecCodeCreateWithXPCMessage"))
									? XpcListener.this.security.senderFacts(message) : Map.of();
					return new XpcSecurity.Check(true, 0, "", facts);
				}
			}
		}

		private void refuse(XpcMessage message, Reason reason, String explanation, Map<String, Object> facts) {
			XpcListener.this.gate.refuse(reason, explanation, credentials(facts));
			try {
				message.reply(Map.of("error", StandardErrors.PERMISSION_DENIED, "parameters", Map.of()));
			}
			finally {
				message.close();
			}
			this.peer.cancel();
		}

		private void handle(XpcMessage message, Peer peer) {
			IpcRequest request;
			@Nullable Object id;
			try {
				Map<String, @Nullable Object> body = message.body();
				id = body.get("id");
				request = decode(body);
			}
			catch (XpcConversionException | IllegalArgumentException ex) {
				XpcListener.this.transportEvents.protocolError(name(), "malformed");
				try {
					// decode's own messages are in protocol terms; a conversion message may name Java types
					message.reply(Map.of("error", StandardErrors.PROTOCOL_ERROR, "parameters",
							Map.of("problem", (ex instanceof IllegalArgumentException) ? String.valueOf(ex.getMessage())
									: "the message holds a value of an XPC type Peergate does not accept")));
				}
				finally {
					message.close();
				}
				return;
			}
			if (XpcListener.this.state != ListenerState.RUNNING) {
				XpcListener.this.refusedWhileStopping.incrementAndGet();
				replyAtOnce(message, id, StandardErrors.SHUTTING_DOWN, Map.of());
				return;
			}
			int limit = XpcListener.this.options.maxInFlightPerConnection();
			if (this.pending.incrementAndGet() > limit) {
				this.pending.decrementAndGet();
				// one peer must not fill the handler executor all peers share
				XpcListener.this.transportEvents.limitExceeded(name(), "max-in-flight");
				replyAtOnce(message, id, StandardErrors.OVERLOADED,
						Map.of("limit", "max-in-flight-per-connection", "value", (long) limit));
				return;
			}
			XpcListener.this.inFlight.incrementAndGet();
			MessageReplySink sink = new MessageReplySink(message, this.peer, id, this.pending, this.calls);
			this.calls.add(sink);
			XpcListener.this.dispatcher.dispatch(new CallContext(name(), TRANSPORT, peer), request, sink);
		}

		/** Answers a call with an error without running it. */
		private void replyAtOnce(XpcMessage message, @Nullable Object id, String error, Map<String, Object> parameters) {
			Map<String, @Nullable Object> body = new LinkedHashMap<>();
			body.put("error", error);
			body.put("parameters", parameters);
			if (id != null) {
				body.put("id", id);
			}
			try {
				message.reply(body);
			}
			finally {
				message.close();
			}
		}

		void onEvent(XpcEvent event) {
			switch (event) {
				case CONNECTION_INVALID -> {
					if (this.closed.compareAndSet(false, true)) {
						XpcListener.this.connections.remove(this);
						if (this.acceptedPeer != null) {
							XpcListener.this.accepted.decrementAndGet();
						}
					}
				}
				case PEER_CODE_SIGNING_REQUIREMENT -> {
					XpcListener.this.gate.refuse(Reason.REQUIREMENT_NOT_SATISFIED,
							XpcListener.this.explainer
								.explain(XpcListener.this.requirement.describe(), Map.of(),
										"libxpc dropped a message: the peer does not satisfy the requirement set on "
												+ "the connection (enforcement: os; signing facts are not visible)"),
							credentials(Map.of()));
					this.peer.cancel();
				}
				case CONNECTION_INTERRUPTED -> logger.log(System.Logger.Level.DEBUG,
						"Peergate listener ''{0}'': peer connection interrupted", name());
				case TERMINATION_IMMINENT -> logger.log(System.Logger.Level.INFO,
						"Peergate listener ''{0}'': termination imminent", name());
				default -> logger.log(System.Logger.Level.WARNING,
						"Peergate listener ''{0}'': unexpected XPC error on a peer connection", name());
			}
		}

	}

	@SuppressWarnings("unchecked")
	static IpcRequest decode(Map<String, @Nullable Object> body) {
		if (!(body.get("method") instanceof String method) || method.isBlank()) {
			throw new IllegalArgumentException("'method' must be a non-empty string");
		}
		Object parameters = body.getOrDefault("parameters", Map.of());
		if (parameters == null) {
			parameters = Map.of();
		}
		if (!(parameters instanceof Map)) {
			throw new IllegalArgumentException("'parameters' must be a dictionary");
		}
		Object more = body.getOrDefault("more", false);
		if (!(more instanceof Boolean)) {
			throw new IllegalArgumentException("'more' must be a bool");
		}
		return new IpcRequest(method, (Map<String, @Nullable Object>) parameters, false, (Boolean) more, false);
	}

	/** Replies of one call: stream items as messages, the final reply through {@code xpc_dictionary_create_reply}. */
	private final class MessageReplySink implements ReplySink {

		private final XpcMessage message;

		private final XpcPeerConnection peer;

		private final @Nullable Object id;

		private final AtomicBoolean finished = new AtomicBoolean();

		private final AtomicInteger connectionPending;

		private final Set<MessageReplySink> connectionCalls;

		MessageReplySink(XpcMessage message, XpcPeerConnection peer, @Nullable Object id,
				AtomicInteger connectionPending, Set<MessageReplySink> connectionCalls) {
			this.message = message;
			this.peer = peer;
			this.id = id;
			this.connectionPending = connectionPending;
			this.connectionCalls = connectionCalls;
		}

		@Override
		public void reply(IpcReply reply) {
			Map<String, @Nullable Object> body = new LinkedHashMap<>();
			if (reply.error() != null) {
				body.put("error", reply.error());
			}
			body.put("parameters", reply.parameters());
			if (this.id != null) {
				body.put("id", this.id);
			}
			if (reply.continues()) {
				if (!this.finished.get()) {
					body.put("continues", true);
					// the stream pauses while the peer does not receive, instead of libxpc queueing without limit
					this.peer.awaitRoom(MAX_UNSENT_STREAM_MESSAGES);
					this.peer.send(body);
					if (this.peer.unsent() > MAX_UNSENT_STREAM_MESSAGES_HARD && this.peer.cancel()) {
						XpcListener.this.transportEvents.limitExceeded(name(), "reply-buffer");
					}
				}
				return;
			}
			if (!this.finished.compareAndSet(false, true)) {
				return;
			}
			this.connectionCalls.remove(this);
			try {
				this.message.reply(body);
			}
			catch (XpcConversionException ex) {
				this.message.reply(Map.of("error", StandardErrors.HANDLER_FAILED, "parameters",
						Map.of("problem", "the handler's reply holds a value XPC messages cannot carry")));
			}
			finally {
				this.message.close();
				this.connectionPending.decrementAndGet();
				XpcListener.this.inFlight.decrementAndGet();
			}
		}

		@Override
		public boolean isOpen() {
			return this.peer.isOpen();
		}

	}

	/** OSStatus values the listener distinguishes. */
	private static final class SecurityCodes {

		/** errSecCSReqFailed. */
		static final int REQ_FAILED = -67050;

		/** xpc_peer_requirement_match_received_message returned false. */
		static final int NO_MATCH = -1;

		/** errSecCSNoSuchCode: the sender's process is gone (only the macOS 10.x fallbacks locate it themselves). */
		static final int NO_SUCH_CODE = -67065;

	}

	/**
	 * The gate's requirement: the OS decides natively, this passes the decision to the {@link Gate} so verdicts
	 * flow through the one sink with the gate's fail-closed handling. Without a decision it refuses.
	 */
	private static final class NativeDecision implements PeerRequirement {

		private final ThreadLocal<@Nullable Evaluation> current = new ThreadLocal<>();

		private final String description;

		NativeDecision(String description) {
			this.description = description;
		}

		Verdict admit(Gate gate, PeerCredentials credentials, Evaluation evaluation) {
			this.current.set(evaluation);
			try {
				return gate.admit(credentials);
			}
			finally {
				this.current.remove();
			}
		}

		@Override
		public Evaluation evaluate(PeerCredentials peer) {
			Evaluation evaluation = this.current.get();
			return (evaluation != null) ? evaluation
					: Evaluation.unsatisfied(Reason.VERIFICATION_FAILED, "no decision from the OS for this peer");
		}

		@Override
		public String describe() {
			return this.description;
		}

	}

}
