package dev.peergate.requirement.facts;

import java.util.Objects;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.requirement.facts.Clause.Terms;

/**
 * A validated Linux fact requirement, evaluated by Peergate against the facts a transport captured. Immutable
 * and thread-safe; user and group names were resolved when it was built.
 *
 * <pre>{@code
 * LinuxRequirement requirement = FactRequirements.linux(Map.of("uid", Map.of("$in", List.of(0, 1000))),
 *     "peergate.listeners.helper.requirement.linux", IdResolver.system());
 * Evaluation evaluation = requirement.evaluate(credentials);
 * }</pre>
 */
public final class LinuxRequirement implements PeerRequirement {

	private final Terms model;

	private final String description;

	LinuxRequirement(Terms model, String description) {
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
	 * Fails closed: a needed fact that could not be verified refuses the peer with
	 * {@link dev.peergate.core.Reason#FACT_UNVERIFIED} unless its test is inside {@code $optional}.
	 */
	@Override
	public Evaluation evaluate(PeerCredentials peer) {
		return FactEvaluator.evaluate(this.model, this.description, peer);
	}

	/** Canonical text, e.g. {@code {"user":"root" (uid 0)}}; see {@link FactRequirements}. */
	@Override
	public String describe() {
		return this.description;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof LinuxRequirement that && this.model.equals(that.model);
	}

	@Override
	public int hashCode() {
		return this.model.hashCode();
	}

	@Override
	public String toString() {
		return "linux " + this.description;
	}

}
