package dev.peergate.requirement.facts;

import java.util.Map;

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
public final class LightweightRequirement extends FactRequirement {

	LightweightRequirement(Terms model, String description) {
		super("lightweight", model, description);
	}

	/**
	 * The requirement as plain values for an XPC dictionary: {@link Map} (dictionary), {@link java.util.List}
	 * (array), {@link String}, {@link Long} (int64), {@link Boolean} and {@code byte[]} (data, for
	 * {@code cdhash}). Keys are in canonical order. Each call returns a new, mutable tree.
	 */
	public Map<String, Object> toNeutralTree() {
		return FactPrinter.neutral(model());
	}

}
