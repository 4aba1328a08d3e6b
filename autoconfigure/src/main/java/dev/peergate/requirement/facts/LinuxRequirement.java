package dev.peergate.requirement.facts;

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
public final class LinuxRequirement extends FactRequirement {

	LinuxRequirement(Terms model, String description) {
		super("linux", model, description);
	}

}
