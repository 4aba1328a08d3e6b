package dev.peergate.requirement.codesigning;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * A requirement set ({@code SuperBlob 0xfade0c01}): requirements by type, e.g.
 * {@code designated => identifier "com.example.app" and anchor apple generic}. Printed one per line in type order.
 *
 * <pre>{@code
 * RequirementSet set = CodeRequirements.parseSet("designated => anchor apple; host => anchor apple generic");
 * set.designated();   // anchor apple
 * }</pre>
 *
 * @param requirements requirements by {@code SecRequirementType} number
 */
public record RequirementSet(SortedMap<Integer, CodeRequirement> requirements) implements ParsedRequirement {

	/** {@code host}. */
	public static final int HOST = 1;

	/** {@code guest}. */
	public static final int GUEST = 2;

	/** {@code designated}. */
	public static final int DESIGNATED = 3;

	/** {@code library}. */
	public static final int LIBRARY = 4;

	/** {@code plugin}. */
	public static final int PLUGIN = 5;

	private static final String[] NAMES = { null, "host", "guest", "designated", "library", "plugin" };

	public RequirementSet {
		if (requirements.isEmpty()) {
			throw new IllegalArgumentException("a requirement set needs at least one requirement");
		}
		requirements.forEach((type, requirement) -> {
			if (type < 0) {
				throw new IllegalArgumentException("negative requirement type " + type);
			}
		});
		requirements = Collections.unmodifiableSortedMap(new TreeMap<>(requirements));
	}

	/** A set from a map. @param requirements by type number */
	public static RequirementSet of(Map<Integer, CodeRequirement> requirements) {
		return new RequirementSet(new TreeMap<>(requirements));
	}

	/** The designated requirement, or {@code null}. */
	public @Nullable CodeRequirement designated() {
		return this.requirements.get(DESIGNATED);
	}

	/** The keyword for a type, or its number when it has none. @param type the type number */
	public static String typeName(int type) {
		return (type > 0 && type < NAMES.length) ? NAMES[type] : Integer.toString(type);
	}

	@Override
	public String canonical() {
		StringBuilder text = new StringBuilder();
		this.requirements.forEach((type, requirement) -> {
			if (text.length() > 0) {
				text.append('\n');
			}
			text.append(typeName(type)).append(" => ").append(requirement.canonical());
		});
		return text.toString();
	}

}
