package dev.peergate.xpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.Evaluation;
import dev.peergate.core.FactNames;
import dev.peergate.core.LiveConnection;
import dev.peergate.core.Outcome;
import dev.peergate.core.Peer;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import dev.peergate.handler.CallAuthorization;
import dev.peergate.handler.CallContext;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcConversionException;
import dev.peergate.xpc.jna.XpcEvent;
import dev.peergate.xpc.jna.XpcMessage;
import dev.peergate.xpc.jna.XpcPeerConnection;
import dev.peergate.xpc.jna.XpcReceivedDescriptors;
import dev.peergate.xpc.jna.XpcSecurity;
import org.jspecify.annotations.Nullable;

/**
 * One peer connection of an XPC listener: each message's sender checked (observed mechanisms) or trusted because
 * libxpc delivered it (os mechanisms), the verdict handed to the gate, then the call dispatched. Its methods run
 * serially on the connection's native thread; replies come from handler threads ({@link XpcCallReplies}).
 */
final class XpcPeerSession {

	private static final String AUTHORIZATION_KEY = CallAuthorization.EXTERNAL_FORM_KEY;

	private static final String INTERACTIVE_KEY = CallAuthorization.INTERACTIVE_KEY;

	private static final int EXTERNAL_FORM_LENGTH = 32;

	/** In place of a call's id: the call is oneway and gets no reply. */
	private static final Object NO_REPLY = new Object();

	private static final System.Logger logger = System.getLogger(XpcPeerSession.class.getName());

	private final XpcServing serving;

	private final XpcPeerConnection peer;

	private volatile @Nullable Peer acceptedPeer;

	/** The connection in its listener's inventory, once accepted; counts its calls. */
	private volatile @Nullable LiveConnection live;

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Calls of this peer connection awaiting their final reply. */
	private final AtomicInteger pending = new AtomicInteger();

	/** When the peer last sent a message or a call of it ended ({@link System#nanoTime()}). */
	private volatile long lastActivity = System.nanoTime();

	/** When the message being verified arrived: the start of its verification (the connection's thread only). */
	private long messageArrived;

	/** Whether a cancel for idleness was already sent. */
	private final AtomicBoolean idleCancelled = new AtomicBoolean();

	/** Calls awaiting their final reply, to be answered {@value StandardErrors#SHUTTING_DOWN} at the end of a drain. */
	private final Set<XpcCallReplies> calls = ConcurrentHashMap.newKeySet();

	XpcPeerSession(XpcServing serving, XpcPeerConnection peer) {
		this.serving = serving;
		this.peer = peer;
	}

	XpcPeerConnection peer() {
		return this.peer;
	}

	/** The peer as the kernel describes it, without signing facts. */
	PeerCredentials credentials() {
		return credentials(Map.of(), false);
	}

	/**
	 * The peer as the kernel and the OS's signature check describe it: signing facts read from code that failed
	 * (or skipped) its validity check are recorded as unverified, so nothing that reads them relies on them.
	 */
	PeerCredentials credentials(Map<String, Object> signing, boolean verified) {
		PeerFacts.Builder facts = PeerFacts.builder()
			.verified(FactNames.UID, this.peer.uid())
			.verified(FactNames.GID, this.peer.gid());
		signing.forEach((name, value) -> {
			if (verified) {
				facts.verified(name, value);
			}
			else {
				facts.unverified(name, "read from code that did not pass SecCodeCheckValidity");
			}
		});
		return PeerCredentials.builder(XpcListener.TRANSPORT)
			.uid(this.peer.uid())
			.gid(this.peer.gid())
			.pidHint(this.peer.pidHint())
			.facts(facts.build())
			.capturedAt(this.messageArrived)
			.build();
	}

	void onMessage(XpcMessage message) {
		this.lastActivity = System.nanoTime();
		this.messageArrived = this.lastActivity;
		XpcSecurity.Check check;
		try {
			check = this.serving.binding().verify(message, this.acceptedPeer == null);
		}
		catch (RuntimeException ex) {
			refuse(message, Reason.VERIFICATION_FAILED, "verification failed: " + ex.getMessage(),
					new XpcSecurity.Check(false, 0, "", Map.of()));
			return;
		}
		if (!check.satisfied()) {
			Reason reason = switch (check.status()) {
				case SecurityCodes.REQ_FAILED, SecurityCodes.NO_MATCH -> Reason.REQUIREMENT_NOT_SATISFIED;
				case SecurityCodes.NO_SUCH_CODE -> Reason.PEER_GONE;
				default -> Reason.INVALID_SIGNATURE;
			};
			String explanation = this.serving.binding().routeNote() + explain(check.facts(), check.error());
			if (!this.serving.gate().audit()) {
				refuse(message, reason, explanation, check);
				return;
			}
			// audit: the refusal is recorded once per connection as would-reject, and the sender is served
			Peer audited = this.acceptedPeer;
			if (audited == null) {
				audited = admitAudited(check, reason, explanation);
			}
			handle(message, audited);
			return;
		}
		Peer accepted = this.acceptedPeer;
		if (accepted == null) {
			accepted = admit(message, check);
			if (accepted == null) {
				return;
			}
		}
		handle(message, accepted);
	}

	/** The connection's first satisfied message: the gate's verdict; {@code null} when it refused. */
	private @Nullable Peer admit(XpcMessage message, XpcSecurity.Check check) {
		XpcListenerSetup setup = this.serving.setup();
		Verdict verdict = this.serving.gate().admit(credentials(check.facts(), check.factsVerified()),
				Evaluation.satisfied(setup.mechanism().enforcedByOs()
						? "libxpc enforced the requirement set on the connection"
						: this.serving.binding().routeNote() + "the OS found the sender satisfies "
								+ setup.requirement().describe()));
		if (!verdict.accepted()) {
			message.reply(Map.of("error", StandardErrors.PERMISSION_DENIED, "parameters", Map.of()));
			message.close();
			this.peer.cancel();
			return null;
		}
		return accepted(verdict);
	}

	/** Audit: the would-be refusal as the connection's verdict; the sender is served. */
	private Peer admitAudited(XpcSecurity.Check check, Reason reason, String explanation) {
		Verdict verdict = this.serving.gate()
			.admit(credentials(check.facts(), check.factsVerified()), Evaluation.unsatisfied(reason, explanation));
		return accepted(verdict);
	}

	/** The connection joins the inventory; its messages are served from now on. */
	private Peer accepted(Verdict verdict) {
		this.live = this.serving.lifecycle()
			.connectionAccepted(verdict.peer(), null, () -> cut(StandardErrors.DISCONNECTED));
		this.acceptedPeer = verdict.peer();
		return verdict.peer();
	}

	private String explain(Map<String, Object> facts, String error) {
		return this.serving.setup().explainer().explain(this.serving.setup().requirement().describe(), facts, error);
	}

	private void refuse(XpcMessage message, Reason reason, String explanation, XpcSecurity.Check check) {
		this.serving.gate().refuse(reason, explanation, credentials(check.facts(), check.factsVerified()));
		try {
			message.reply(Map.of("error", StandardErrors.PERMISSION_DENIED, "parameters", Map.of()));
		}
		finally {
			message.close();
		}
		this.peer.cancel();
	}

	private void handle(XpcMessage message, Peer peer) {
		int maxFds = this.serving.setup().options().maxFdsPerMessage();
		XpcReceivedDescriptors received = new XpcReceivedDescriptors(maxFds);
		IpcRequest request;
		@Nullable Object id;
		CallAuthorization authorization;
		try {
			Map<String, @Nullable Object> body = message.body(received);
			id = body.get("id");
			// every descriptor of the body, wherever the peer put it, is the call's: closed when it ends
			request = decode(body).withDescriptors(received.descriptors());
			authorization = authorization(body);
		}
		catch (XpcConversionException | IllegalArgumentException ex) {
			received.closeAll();
			this.serving.events().protocolError(this.serving.name(), "malformed");
			// decode's own messages are in protocol terms; a conversion message may name Java types
			replyAtOnce(message, null, StandardErrors.PROTOCOL_ERROR,
					Map.of("problem", (ex instanceof IllegalArgumentException) ? String.valueOf(ex.getMessage())
							: "the message holds a value of an XPC type Peergate does not accept"));
			return;
		}
		// a oneway call is answered by nothing, refusals included
		@Nullable Object replyId = request.oneway() ? NO_REPLY : id;
		if (received.exceeded()) {
			// only the first maxFds were opened; the message's own objects hold the rest until it is released
			request.closeDescriptors();
			limitExceeded("max-fds-per-message");
			replyAtOnce(message, replyId, StandardErrors.PROTOCOL_ERROR,
					Map.of("problem", "the message carries " + received.count() + " file descriptors",
							"limit", "max-fds-per-message", "value", (long) maxFds));
			return;
		}
		if (!dispatch(message, peer, request, id, replyId, authorization)) {
			request.closeDescriptors();
		}
	}

	/** Runs the call unless the listener, the method's requirement or the in-flight limit refuses it. */
	private boolean dispatch(XpcMessage message, Peer peer, IpcRequest request, @Nullable Object id,
			@Nullable Object replyId, CallAuthorization authorization) {
		if (!this.serving.lifecycle().accepting()) {
			this.serving.lifecycle().refusedWhileStopping();
			replyAtOnce(message, replyId, StandardErrors.SHUTTING_DOWN, Map.of());
			return false;
		}
		if (!methodAllowed(message, replyId, request.method(), peer)) {
			return false;
		}
		int limit = this.serving.setup().options().maxInFlightPerConnection();
		if (this.pending.incrementAndGet() > limit) {
			this.pending.decrementAndGet();
			// one peer must not fill the handler executor all peers share; a oneway call counts until its handler
			// is done, and beyond the limit it is dropped
			limitExceeded("max-in-flight");
			replyAtOnce(message, replyId, StandardErrors.OVERLOADED,
					Map.of("limit", "max-in-flight-per-connection", "value", (long) limit));
			return false;
		}
		Objects.requireNonNull(this.live).callStarted();
		XpcCallReplies replies = new XpcCallReplies(this, message, this.peer, id, request.oneway());
		this.calls.add(replies);
		this.serving.dispatcher()
			.dispatch(new CallContext(this.serving.name(), XpcListener.TRANSPORT, peer).withAuthorization(authorization),
					request, replies);
		return true;
	}

	/**
	 * Checks the message against its method's own requirement, by the message's audit token as the listener's
	 * requirement is checked; a refused call is answered PermissionDenied and the connection stays open.
	 */
	private boolean methodAllowed(XpcMessage message, @Nullable Object id, String method, Peer peer) {
		XpcSecurity.Check check;
		try {
			check = this.serving.binding().verifyMethod(message, method);
		}
		catch (RuntimeException ex) {
			check = new XpcSecurity.Check(false, 0, "verification failed: " + ex.getMessage(), Map.of());
		}
		if (check == null) {
			return true;
		}
		boolean refused = !check.satisfied();
		Reason reason = !refused ? Reason.SATISFIED
				: (check.status() == SecurityCodes.REQ_FAILED || check.status() == SecurityCodes.NO_MATCH)
						? Reason.REQUIREMENT_NOT_SATISFIED
						: Reason.VERIFICATION_FAILED;
		// audit: the refusal is recorded as would-reject and the call runs (the same rule as the gate's)
		boolean audited = this.serving.setup().options().auditedMethods().contains(method);
		Outcome outcome = Outcome.of(refused ? Evaluation.unsatisfied(reason, "") : Evaluation.satisfied(""), audited);
		String requirement = java.util.Objects.requireNonNull(this.serving.setup().options().methodRequirements().get(method))
			.describe();
		this.serving.callSink()
			.accept(new CallVerdict(outcome, reason, CallVerdict.REQUIREMENT,
					!refused ? "the OS found the sender satisfies " + requirement
							: "the sender does not satisfy " + requirement + ": " + check.error(),
					peer, this.serving.name(), method, java.time.Instant.now()));
		if (!refused || audited) {
			return true;
		}
		replyAtOnce(message, id, StandardErrors.PERMISSION_DENIED, Map.of());
		return false;
	}

	/** Answers a call with an error without running it; a oneway call ({@link #NO_REPLY}) is only released. */
	private static void replyAtOnce(XpcMessage message, @Nullable Object id, String error,
			Map<String, Object> parameters) {
		if (id == NO_REPLY) {
			message.close();
			return;
		}
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

	/**
	 * A call's final reply is about to be sent (a oneway call's handler is done): its in-flight slot is free for
	 * the peer's next call. Any thread.
	 */
	void slotFreed() {
		this.lastActivity = System.nanoTime(); // before the count: an idle check must not find 0 and an old time
		this.pending.decrementAndGet();
	}

	/** A call's final reply was sent (after {@link #slotFreed()}): it no longer holds a drain. Any thread. */
	void callEnded(XpcCallReplies call) {
		this.lastActivity = System.nanoTime();
		this.calls.remove(call);
		Objects.requireNonNull(this.live).callsEnded(1);
	}

	/**
	 * Whether the connection has been idle for {@code timeoutNanos} at {@code now}: no message, no call in flight;
	 * true once per session (the cancel that follows ends it).
	 */
	boolean idleFor(long now, long timeoutNanos) {
		return this.pending.get() == 0 && now - this.lastActivity >= timeoutNanos && !this.closed.get()
				&& this.idleCancelled.compareAndSet(false, true);
	}

	void limitExceeded(String limit) {
		this.serving.events().limitExceeded(this.serving.name(), limit);
	}

	/**
	 * The end of a drain ({@value StandardErrors#SHUTTING_DOWN}) or an operator's disconnect
	 * ({@value StandardErrors#DISCONNECTED}): every call still in flight gets {@code error} as its final reply, then
	 * the connection is cancelled. Any thread.
	 */
	void cut(String error) {
		for (XpcCallReplies call : this.calls) {
			call.reply(IpcReply.error(new IpcError(error)));
		}
		this.peer.cancel();
	}

	void onEvent(XpcEvent event) {
		String name = this.serving.name();
		switch (event) {
			case CONNECTION_INVALID -> {
				if (this.closed.compareAndSet(false, true)) {
					this.serving.slots().decrementAndGet();
					this.serving.slotsPerUid().release(this.peer.uid());
					LiveConnection accepted = this.live;
					if (accepted != null) {
						this.serving.lifecycle().acceptedConnectionClosed(accepted);
					}
					this.serving.sessionEnded(this);
				}
			}
			case PEER_CODE_SIGNING_REQUIREMENT -> {
				this.serving.gate().refuse(Reason.REQUIREMENT_NOT_SATISFIED, explain(Map.of(),
						"libxpc dropped a message: the peer does not satisfy the requirement set on the connection "
								+ "(enforcement: os; signing facts are not visible)"),
						credentials());
				this.peer.cancel();
			}
			case CONNECTION_INTERRUPTED -> logger.log(System.Logger.Level.DEBUG,
					"Peergate listener ''{0}'': peer connection interrupted", name);
			case TERMINATION_IMMINENT -> logger.log(System.Logger.Level.INFO,
					"Peergate listener ''{0}'': termination imminent", name);
			default -> logger.log(System.Logger.Level.WARNING,
					"Peergate listener ''{0}'': unexpected XPC error on a peer connection", name);
		}
	}

	/**
	 * The wire contract shared with varlink: {@code {method, parameters?, more?, oneway?, id?}}; a oneway call gets
	 * no reply (send it with {@code xpc_connection_send_message}).
	 */
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
		Object oneway = body.getOrDefault("oneway", false);
		if (!(oneway instanceof Boolean)) {
			throw new IllegalArgumentException("'oneway' must be a bool");
		}
		return new IpcRequest(method, (Map<String, @Nullable Object>) parameters, (Boolean) oneway, (Boolean) more,
				false);
	}

	/**
	 * What the message carries for Authorization Services, beside the call: the 32-byte external form of the
	 * caller's AuthorizationRef (data) and whether the user may be asked (bool).
	 */
	static CallAuthorization authorization(Map<String, @Nullable Object> body) {
		Object form = body.get(AUTHORIZATION_KEY);
		if (form != null && !(form instanceof byte[] bytes && bytes.length == EXTERNAL_FORM_LENGTH)) {
			throw new IllegalArgumentException("'" + AUTHORIZATION_KEY + "' must be " + EXTERNAL_FORM_LENGTH
					+ " bytes of data (the external form of an AuthorizationRef)");
		}
		Object interactive = body.getOrDefault(INTERACTIVE_KEY, false);
		if (!(interactive instanceof Boolean)) {
			throw new IllegalArgumentException("'" + INTERACTIVE_KEY + "' must be a bool");
		}
		return CallAuthorization.of((byte[]) form, (Boolean) interactive);
	}

	/** OSStatus values the listener distinguishes. */
	private static final class SecurityCodes {

		/** errSecCSReqFailed. */
		static final int REQ_FAILED = -67050;

		/** xpc_peer_requirement_match_received_message returned false. */
		static final int NO_MATCH = -1;

		/**
		 * errSecCSNoSuchCode: the process the message's audit token names is gone, or another process now holds its
		 * PID (every route but the PID one locates the sender by audit token).
		 */
		static final int NO_SUCH_CODE = -67065;

	}

}
