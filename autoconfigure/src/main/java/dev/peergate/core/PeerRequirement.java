package dev.peergate.core;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A requirement a peer must satisfy, evaluated by a {@link Gate}. Implementations come from the requirement
 * languages (Linux fact dictionaries) or from the platform (an XPC mechanism that asks Security.framework).
 * <p>
 * Implementations must be thread-safe and must not throw for a peer that merely fails: return
 * {@link Evaluation#unsatisfied}. A thrown exception is recorded as a verification error and the peer refused.
 *
 * <pre>{@code
 * PeerRequirement rootOnly = PeerRequirement.of("uid = 0",
 *     peer -> peer.uid() == 0 ? Evaluation.satisfied("uid 0")
 *                             : Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED, "uid: expected 0, peer has " + peer.uid()));
 * // the same, declared to compute only over the facts: a transport may evaluate it on its I/O thread
 * PeerRequirement rootOnlyInMemory = PeerRequirement.inMemory("uid = 0", rootOnly::evaluate);
 * }</pre>
 */
public interface PeerRequirement {

	/** Evaluates the requirement for the peer. */
	Evaluation evaluate(PeerCredentials peer);

	/** Canonical text of the requirement, shown in the endpoint and the startup log. */
	String describe();

	/**
	 * Names of the {@link PeerFacts} evaluation reads, when the requirement knows them: a transport then gathers
	 * only these (and what it needs to show who the peer is) instead of every fact it could read, e.g. it hashes
	 * the executable only for a requirement on {@code executable-sha256}. Empty (the default) means unknown:
	 * gather everything.
	 */
	default Optional<Set<String>> neededFacts() {
		return Optional.empty();
	}

	/**
	 * Whether {@link #evaluate} only computes over the facts it is given — no I/O, no waiting — so that a transport
	 * may evaluate it on an I/O thread instead of handing the connection to another thread and back. {@code false}
	 * (the default) for code Peergate does not know; the requirement languages' requirements are in memory.
	 */
	default boolean evaluatesInMemory() {
		return false;
	}

	/** A requirement every peer satisfies; only for {@code allow-any-peer: true}. */
	static PeerRequirement anyPeer() {
		return inMemory("any peer (allow-any-peer: true)", peer -> new Evaluation(true, Reason.ANY_PEER_ALLOWED,
				"allow-any-peer is set: no requirement was checked"));
	}

	/** A requirement from a description and a function that may do anything, I/O included. */
	static PeerRequirement of(String description, Function<PeerCredentials, Evaluation> check) {
		return of(description, check, false);
	}

	/**
	 * A requirement from a description and a function that only computes over the peer's credentials and facts
	 * ({@link #evaluatesInMemory()}), so a transport may evaluate it on an I/O thread.
	 */
	static PeerRequirement inMemory(String description, Function<PeerCredentials, Evaluation> check) {
		return of(description, check, true);
	}

	private static PeerRequirement of(String description, Function<PeerCredentials, Evaluation> check,
			boolean inMemory) {
		return new PeerRequirement() {

			@Override
			public Evaluation evaluate(PeerCredentials peer) {
				return check.apply(peer);
			}

			@Override
			public String describe() {
				return description;
			}

			@Override
			public boolean evaluatesInMemory() {
				return inMemory;
			}

			@Override
			public String toString() {
				return description;
			}

		};
	}

}
