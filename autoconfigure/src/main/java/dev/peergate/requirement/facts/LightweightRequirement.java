package dev.peergate.requirement.facts;

import java.util.Map;
import java.util.Objects;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.requirement.facts.Clause.Terms;

/**
 * A validated lightweight code requirement (LWCR) for macOS. The XPC layer hands {@link #toNeutralTree()} to
 * libxpc, which decides; {@link #evaluate} applies the same requirement to signing facts Peergate read itself
 * (team and signing identifier, cdhash, ...), to explain a decision clause by clause.
 *
 * <pre>{@code
 * LightweightRequirement requirement = FactRequirements.lightweight(
 *     Map.of("team-identifier", "ABCDE12345"), "peergate.listeners.helper.requirement.lightweight");
 * Map<String, Object> tree = requirement.toNeutralTree(); // {team-identifier=ABCDE12345}
 * }</pre>
 */
public final class LightweightRequirement implements PeerRequirement {

	private final Terms model;

	private final String description;

	LightweightRequirement(Terms model, String description) {
		this.model = Objects.requireNonNull(model, "'model' must not be null");
		this.description = description;
	}

	/** The typed model (top-level dictionary). */
	public Terms model() {
		return this.model;
	}

	/**
	 * Names of the {@link dev.peergate.core.PeerFacts} that evaluation reads, sorted, so that a transport can
	 * capture only what is needed (for example hash the executable only when {@code executable-sha256} is
	 * used). {@code user} reads {@code uid}; {@code group} and {@code groups} read {@code gid} and
	 * {@code groups}.
	 */
	public java.util.Set<String> capturedFacts() {
		return FactPrinter.capturedFacts(this.model);
	}

	/**
	 * The requirement as plain values for an XPC dictionary: {@link Map} (dictionary), {@link java.util.List}
	 * (array), {@link String}, {@link Long} (int64), {@link Boolean} and {@code byte[]} (data, for
	 * {@code cdhash}). Keys are in canonical order. Each call returns a new, mutable tree.
	 */
	public Map<String, Object> toNeutralTree() {
		return FactPrinter.neutral(this.model);
	}

	/** Evaluates the requirement against signing facts captured for the peer, for explanations. */
	@Override
	public Evaluation evaluate(PeerCredentials peer) {
		return FactEvaluator.evaluate(this.model, this.description, peer);
	}

	/** Canonical text, e.g. {@code {"signing-identifier":{"$in":["com.example.app"]},"team-identifier":"ABCDE12345"}}. */
	@Override
	public String describe() {
		return this.description;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof LightweightRequirement that && this.model.equals(that.model);
	}

	@Override
	public int hashCode() {
		return this.model.hashCode();
	}

	@Override
	public String toString() {
		return "lightweight " + this.description;
	}

}
