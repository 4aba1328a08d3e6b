package dev.peergate.requirement.facts;

import java.util.Map;
import java.util.Objects;

import dev.peergate.requirement.InvalidRequirementException;
import dev.peergate.requirement.facts.Clause.Terms;
import org.jspecify.annotations.Nullable;

/**
 * Builds fact requirements from configuration trees, validating them completely.
 * <p>
 * Input is the {@code Map<String, ?>} Spring binds from YAML: values may be {@link String}, {@link Long},
 * {@link Integer}, {@link Boolean}, {@link java.util.List} or {@link Map}; numbers and booleans are also accepted
 * as text, and lists also as maps keyed {@code "0"}, {@code "1"}, ... Every problem is an
 * {@link InvalidRequirementException} whose property path starts with the given {@code propertyPath}, e.g.
 * {@code peergate.listeners.helper.requirement.linux.uid.$in[2]}.
 * <p>
 * {@code describe()} prints canonical JSON-like text: entries sorted by key, no whitespace, strings quoted,
 * hashes as lower-case hex strings. Two additions make it more useful than JSON for an operator: resolved
 * names carry their id ({@code "root" (uid 0)}), and validation categories their name
 * ({@code 6 (developer-id)}).
 *
 * <pre>{@code
 * LinuxRequirement linux = FactRequirements.linux(Map.of("user", "root"), "requirement.linux", IdResolver.system());
 * linux.describe(); // {"user":"root" (uid 0)}
 * }</pre>
 */
public final class FactRequirements {

	private FactRequirements() {
	}

	/**
	 * A Linux fact requirement.
	 * @param tree the configured dictionary
	 * @param propertyPath property that holds it, the prefix of every error's path
	 * @param resolver resolves {@code user} and {@code group} names
	 * @return the requirement
	 * @throws InvalidRequirementException if the tree is not a valid Linux requirement
	 */
	public static LinuxRequirement linux(@Nullable Map<String, ?> tree, String propertyPath, IdResolver resolver) {
		Objects.requireNonNull(propertyPath, "'propertyPath' must not be null");
		Objects.requireNonNull(resolver, "'resolver' must not be null");
		Terms model = new FactTreeParser(FactSet.LINUX, resolver).parse(tree, propertyPath);
		return new LinuxRequirement(model, FactPrinter.describe(model));
	}

	/**
	 * A lightweight code requirement (macOS).
	 * @param tree the configured dictionary
	 * @param propertyPath property that holds it, the prefix of every error's path
	 * @return the requirement
	 * @throws InvalidRequirementException if the tree is not a valid LWCR dictionary
	 */
	public static LightweightRequirement lightweight(@Nullable Map<String, ?> tree, String propertyPath) {
		Objects.requireNonNull(propertyPath, "'propertyPath' must not be null");
		Terms model = new FactTreeParser(FactSet.LIGHTWEIGHT, null).parse(tree, propertyPath);
		return new LightweightRequirement(model, FactPrinter.describe(model));
	}

}
