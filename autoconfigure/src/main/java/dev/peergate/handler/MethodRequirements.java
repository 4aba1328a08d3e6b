package dev.peergate.handler;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.Evaluation;
import dev.peergate.core.Outcome;
import dev.peergate.core.Peer;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;

/**
 * The requirements of single methods, per listener: evaluated on every call against the facts the listener verified
 * when the peer connected, never re-read from the process (a fact the listener did not verify fails the call closed).
 * A method requirement can only narrow what the listener allows: the peer already passed the listener's requirement.
 * Every decision is reported to the {@link CallVerdictSink}; methods without a requirement are not reported.
 *
 * <pre>{@code
 * MethodRequirements requirements = new MethodRequirements(Map.of("helper",
 *         Map.of("com.example.helper.ClearCache", wheelGroupOnly)), callVerdictSink);
 * Dispatcher dispatcher = new Dispatcher(registry, executor, limits, observer, logLimiter, events, requirements);
 * }</pre>
 */
public final class MethodRequirements implements CallAuthorizer {

	private final Map<String, Map<String, PeerRequirement>> requirements;

	/** {@code listener/method} of the methods whose requirement is only audited. */
	private final Set<String> audited;

	private final CallVerdictSink sink;

	private final Clock clock;

	/** Requirements by listener name, then by fully qualified method name. */
	public MethodRequirements(Map<String, Map<String, PeerRequirement>> requirements, CallVerdictSink sink) {
		this(requirements, Set.of(), sink, Clock.systemUTC());
	}

	/**
	 * Requirements by listener name, then by fully qualified method name; those named in {@code audited} (as
	 * {@code listener/method}) only record their refusals as {@link Outcome#WOULD_REJECT} and let the call run.
	 */
	public MethodRequirements(Map<String, Map<String, PeerRequirement>> requirements, Set<String> audited,
			CallVerdictSink sink) {
		this(requirements, audited, sink, Clock.systemUTC());
	}

	MethodRequirements(Map<String, Map<String, PeerRequirement>> requirements, Set<String> audited,
			CallVerdictSink sink, Clock clock) {
		this.audited = Set.copyOf(audited);
		Map<String, Map<String, PeerRequirement>> copy = new LinkedHashMap<>();
		requirements.forEach((listener, methods) -> copy.put(listener, Map.copyOf(methods)));
		this.requirements = Map.copyOf(copy);
		this.sink = sink;
		this.clock = clock;
	}

	@Override
	public boolean authorize(CallContext context, MethodDescriptor method) {
		Map<String, PeerRequirement> methods = this.requirements.get(context.listener());
		PeerRequirement requirement = (methods != null) ? methods.get(method.qualifiedName()) : null;
		if (requirement == null) {
			return true;
		}
		Evaluation evaluation;
		try (PeerCredentials credentials = credentials(context.peer())) {
			evaluation = requirement.evaluate(credentials);
		}
		catch (RuntimeException ex) {
			evaluation = Evaluation.unsatisfied(Reason.VERIFICATION_FAILED,
					"evaluation failed: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		boolean audit = this.audited.contains(context.listener() + "/" + method.qualifiedName());
		Outcome outcome = Outcome.of(evaluation, audit);
		this.sink.accept(new CallVerdict(outcome, evaluation.reason(), CallVerdict.REQUIREMENT,
				evaluation.explanation(), context.peer(), context.listener(), method.qualifiedName(),
				this.clock.instant()));
		return outcome.served();
	}

	/** The peer as its listener verified it: the same ids and verified facts, no process handle to read more. */
	private static PeerCredentials credentials(Peer peer) {
		PeerFacts.Builder facts = PeerFacts.builder();
		peer.facts().forEach(facts::verified);
		return PeerCredentials.builder(peer.transport())
			.uid(peer.uid())
			.gid(peer.gid())
			.groups(peer.groups())
			.facts(facts.build())
			.build();
	}

}
