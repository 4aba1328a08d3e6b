package dev.peergate.requirement.facts;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.requirement.facts.Clause.Terms;

/**
 * A validated fact dictionary evaluated against the facts a transport captured. Both fact sets share the
 * operator language and therefore the evaluation; they differ only in which facts they may name and in what a
 * transport does with them. Immutable and thread-safe.
 *
 * <pre>{@code
 * FactRequirement requirement = FactRequirements.linux(Map.of("uid", 0), "peergate.listeners.helper.requirement.linux",
 *     IdResolver.system());
 * Set<String> needed = requirement.capturedFacts(); // [uid]
 * Evaluation evaluation = requirement.evaluate(credentials);
 * }</pre>
 */
public abstract sealed class FactRequirement implements PeerRequirement
		permits LightweightRequirement, LinuxRequirement {

	private final String kind;

	private final Terms model;

	private final String description;

	FactRequirement(String kind, Terms model, String description) {
		this.kind = kind;
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
	public Set<String> capturedFacts() {
		return FactPrinter.capturedFacts(this.model);
	}

	/** The {@link #capturedFacts()}: a transport needs to gather nothing else to evaluate this requirement. */
	@Override
	public Optional<Set<String>> neededFacts() {
		return Optional.of(capturedFacts());
	}

	/** Always: evaluation compares the given facts with the parsed model. */
	@Override
	public boolean evaluatesInMemory() {
		return true;
	}

	/**
	 * Fails closed: a needed fact that could not be verified refuses the peer with
	 * {@link dev.peergate.core.Reason#FACT_UNVERIFIED} unless its test is inside {@code $optional}. For a
	 * lightweight requirement libxpc decides; this evaluation applies the same requirement to the signing facts
	 * Peergate read itself, to explain a decision clause by clause.
	 */
	@Override
	public Evaluation evaluate(PeerCredentials peer) {
		return FactEvaluator.evaluate(this.model, this.description, peer);
	}

	/**
	 * Canonical text, e.g. {@code {"user":"root" (uid 0)}} or
	 * {@code {"signing-identifier":{"$in":["com.example.app"]},"team-identifier":"ABCDE12345"}}; see
	 * {@link FactRequirements}.
	 */
	@Override
	public String describe() {
		return this.description;
	}

	/** Equal when of the same fact set and with the same model; the description is derived from the model. */
	@Override
	public boolean equals(Object other) {
		return other instanceof FactRequirement that && getClass() == that.getClass() && this.model.equals(that.model);
	}

	@Override
	public int hashCode() {
		return this.model.hashCode();
	}

	@Override
	public String toString() {
		return this.kind + " " + this.description;
	}

}
