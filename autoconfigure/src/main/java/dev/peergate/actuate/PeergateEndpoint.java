package dev.peergate.actuate;

import java.security.Principal;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.ConnectionInfo;
import dev.peergate.core.PeerListener;
import dev.peergate.core.Verdict;
import dev.peergate.core.VerdictLedger;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The {@code peergate} actuator endpoint: per listener its transport, address, mechanism, enforcement, canonical
 * requirement, state, totals, active connections and the last rejections with their explanation.
 * {@code /actuator/peergate/{name}} shows one listener, {@code /actuator/peergate/{name}/connections} its live
 * connections, and {@code DELETE /actuator/peergate/{name}/connections/{id}} disconnects one.
 *
 * <pre>{@code
 * # management.endpoints.web.exposure.include: peergate
 * $ curl -s localhost:8080/actuator/peergate/helper
 * {"transport":"unix","address":"/run/example/helper.sock","mechanism":"pidfd","enforcement":"observed",
 *  "requirement":"{\"uid\":1000}","state":"running","accepted":12,"rejected":1,"errors":0,"activeConnections":2,
 *  "visibility":"...","recentRejections":[{"time":"...","outcome":"rejected","reason":"requirement-not-satisfied",
 *  "explanation":"uid: expected 1000, peer has 65534","peer":"uid=65534 gid=65534 pid~4242","mechanism":"pidfd"}]}
 * $ curl -s localhost:8080/actuator/peergate/helper/connections
 * {"connections":[{"id":"7","peer":"uid=1000 gid=1000 user=alice executable-path=/usr/bin/cli pid~4242","facts":{"uid":1000,...},
 *  "since":"...","callsServed":12,"callsInFlight":1,"bytesRead":2048,"bytesWritten":4096}]}
 * $ curl -s -X DELETE localhost:8080/actuator/peergate/helper/connections/7
 * }</pre>
 */
@Endpoint(id = "peergate")
public class PeergateEndpoint {

	/** What the totals of an OS-enforced listener can see. */
	static final String VISIBILITY_OS = "The operating system enforces the requirement and drops a refused peer's "
			+ "messages: only refusals libxpc reports (a sender waiting for a reply) are counted and listed, without "
			+ "signing facts; peers refused silently are not counted.";

	/** What the totals of a listener that decides itself can see. */
	static final String VISIBILITY_OBSERVED = "Every verdict is counted; the last rejections are listed with their "
			+ "explanation.";

	private final Supplier<? extends Collection<PeerListener>> listeners;

	private final VerdictLedger ledger;

	private final ListenerConnections connections;

	/** An endpoint over the given listeners and ledger; disconnects publish no event. */
	public PeergateEndpoint(Supplier<? extends Collection<PeerListener>> listeners, VerdictLedger ledger) {
		this(listeners, ledger, (event) -> {
		});
	}

	/** An endpoint over the given listeners and ledger, publishing disconnects through {@code publisher}. */
	public PeergateEndpoint(Supplier<? extends Collection<PeerListener>> listeners, VerdictLedger ledger,
			ApplicationEventPublisher publisher) {
		this.listeners = listeners;
		this.ledger = ledger;
		this.connections = new ListenerConnections(publisher);
	}

	/** Every listener. */
	@ReadOperation
	public ListenersDescriptor listeners() {
		Map<String, ListenerDescriptor> descriptors = new LinkedHashMap<>();
		for (PeerListener listener : this.listeners.get()) {
			descriptors.put(listener.name(), describe(listener));
		}
		return new ListenersDescriptor(descriptors);
	}

	/** One listener, or 404 when there is none of that name. */
	@ReadOperation
	public @Nullable ListenerDescriptor listener(@Selector String name) {
		return find(name).map(this::describe).orElse(null);
	}

	/**
	 * The live connections of one listener ({@code /actuator/peergate/{name}/connections}), or 404 when there is no
	 * listener of that name.
	 */
	@ReadOperation
	public @Nullable ConnectionsDescriptor connections(@Selector String name, @Selector String connections) {
		return ListenerConnections.SEGMENT.equals(connections)
				? find(name).map(this.connections::describe).orElse(null) : null;
	}

	/**
	 * Disconnects one live connection ({@code DELETE /actuator/peergate/{name}/connections/{id}}): its calls in flight
	 * are answered {@code dev.peergate.Disconnected}, then it closes; a {@code ConnectionDisconnectedEvent} is
	 * published. Returns the connection as it was just before, or {@code null} when there is no such connection
	 * (over HTTP: 404, see {@link PeergateEndpointWebExtension}).
	 */
	@DeleteOperation
	public @Nullable ConnectionDescriptor disconnect(@Selector String name, @Selector String connections,
			@Selector String id, SecurityContext securityContext) {
		if (!ListenerConnections.SEGMENT.equals(connections)) {
			return null;
		}
		Principal principal = securityContext.getPrincipal();
		String operator = (principal != null) ? principal.getName() : null;
		return find(name).map((listener) -> this.connections.disconnect(listener, id, operator)).orElse(null);
	}

	private Optional<PeerListener> find(String name) {
		return this.listeners.get().stream().filter((listener) -> listener.name().equals(name)).findFirst();
	}

	private ListenerDescriptor describe(PeerListener listener) {
		VerdictLedger.Summary summary = this.ledger.summary(listener.name());
		VerdictLedger.CallSummary calls = this.ledger.callSummary(listener.name());
		boolean os = listener.gate().mechanism().enforcedByOs();
		return new ListenerDescriptor(listener.transport(), listener.address(), listener.gate().mechanism().tag(),
				os ? "os" : listener.gate().audit() ? "audit" : "observed", listener.gate().requirement().describe(),
				listener.state().tag(), summary.accepted(), summary.rejected(), summary.errors(), summary.wouldReject(),
				listener.activeConnections(),
				os ? VISIBILITY_OS : VISIBILITY_OBSERVED,
				summary.recentRejections().stream().map(RejectionDescriptor::of).toList(), calls.allowed(),
				calls.refused(), calls.recentRefusals().stream().map(CallRefusalDescriptor::of).toList());
	}

	/**
	 * All listeners by name.
	 *
	 * @param listeners descriptors by listener name
	 */
	public record ListenersDescriptor(Map<String, ListenerDescriptor> listeners) implements OperationResponseBody {

	}

	/**
	 * One listener.
	 *
	 * @param transport unix, xpc or in-process
	 * @param address socket path, Mach service or in-process name
	 * @param mechanism how peers are verified
	 * @param enforcement observed (Peergate decides), os (the OS decides) or audit (refusals recorded, not enforced)
	 * @param requirement canonical requirement text
	 * @param state listener state
	 * @param accepted accepted peers since start
	 * @param rejected rejected peers since start
	 * @param errors peers refused because verification failed
	 * @param wouldReject peers served although the requirement refused them (enforcement audit)
	 * @param activeConnections open accepted connections
	 * @param visibility what the totals can and cannot show
	 * @param recentRejections newest first
	 * @param callsAllowed calls a method requirement allowed
	 * @param callsRefused calls a method requirement refused
	 * @param recentCallRefusals newest first
	 */
	public record ListenerDescriptor(String transport, String address, String mechanism, String enforcement,
			String requirement, String state, long accepted, long rejected, long errors, long wouldReject,
			int activeConnections,
			String visibility, List<RejectionDescriptor> recentRejections, long callsAllowed, long callsRefused,
			List<CallRefusalDescriptor> recentCallRefusals) implements OperationResponseBody {

	}

	/**
	 * A listener's live connections.
	 *
	 * @param connections oldest first
	 */
	public record ConnectionsDescriptor(List<ConnectionDescriptor> connections) implements OperationResponseBody {

	}

	/**
	 * One live connection.
	 *
	 * @param id the id to disconnect it by
	 * @param peer peer summary
	 * @param facts the peer's verified facts
	 * @param since when it was accepted
	 * @param callsServed calls that got their final reply
	 * @param callsInFlight calls awaiting their final reply
	 * @param bytesRead bytes read from the peer; {@code null} where the transport does not count them (XPC,
	 * in-process)
	 * @param bytesWritten bytes written to the peer; {@code null} where the transport does not count them
	 */
	public record ConnectionDescriptor(String id, String peer, Map<String, Object> facts, Instant since,
			long callsServed, int callsInFlight, @Nullable Long bytesRead,
			@Nullable Long bytesWritten) implements OperationResponseBody {

		static ConnectionDescriptor of(ConnectionInfo connection) {
			return new ConnectionDescriptor(connection.id(), connection.peer().summary(), connection.peer().facts(),
					connection.since(), connection.callsServed(), connection.callsInFlight(), connection.bytesRead(),
					connection.bytesWritten());
		}

	}

	/**
	 * One refused call.
	 *
	 * @param time when
	 * @param method the method the peer called
	 * @param outcome rejected or error
	 * @param reason reason tag
	 * @param authority who decided, e.g. requirement
	 * @param explanation why, clause by clause
	 * @param peer peer summary
	 */
	public record CallRefusalDescriptor(Instant time, String method, String outcome, String reason, String authority,
			String explanation, String peer) {

		static CallRefusalDescriptor of(CallVerdict verdict) {
			return new CallRefusalDescriptor(verdict.timestamp(), verdict.method(), verdict.outcome().tag(),
					verdict.reason().tag(), verdict.authority(), verdict.explanation(), verdict.peer().summary());
		}

	}

	/**
	 * One rejection.
	 *
	 * @param time when
	 * @param outcome rejected or error
	 * @param reason reason tag
	 * @param explanation why, for humans
	 * @param peer peer summary
	 * @param mechanism mechanism that decided
	 */
	public record RejectionDescriptor(Instant time, String outcome, String reason, String explanation, String peer,
			String mechanism) {

		static RejectionDescriptor of(Verdict verdict) {
			return new RejectionDescriptor(verdict.timestamp(), verdict.outcome().tag(), verdict.reason().tag(),
					verdict.explanation(), verdict.peer().summary(), verdict.mechanism().tag());
		}

	}

}
