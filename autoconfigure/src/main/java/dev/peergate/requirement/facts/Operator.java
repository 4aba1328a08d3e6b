package dev.peergate.requirement.facts;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The operators of the fact-dictionary language, spelled as in Apple's LWCR schema.
 * {@link #NOT} exists only in the Linux fact set: LWCR has no negation.
 *
 * <pre>{@code
 * // uid: { $in: [0, 1000] }   ->   Operator.IN, written "$in"
 * boolean numeric = Operator.LT.isOrdering(); // true
 * }</pre>
 */
public enum Operator {

	/** All contained facts/operators hold; its value is a dictionary. */
	AND("$and"),

	/** At least one contained fact/operator holds; its value is a dictionary. */
	OR("$or"),

	/** Like {@link #AND}, written as a list of {@code [operator, dictionary]} pairs (allows repeated keys). */
	AND_ARRAY("$and-array"),

	/** Like {@link #OR}, written as a list of {@code [operator, dictionary]} pairs (allows repeated keys). */
	OR_ARRAY("$or-array"),

	/** The fact's value is one of the listed values. */
	IN("$in"),

	/** The fact's numeric value is less than the operand. */
	LT("$lt"),

	/** The fact's numeric value is less than or equal to the operand. */
	LTE("$lte"),

	/** The fact's numeric value is greater than the operand. */
	GT("$gt"),

	/** The fact's numeric value is greater than or equal to the operand. */
	GTE("$gte"),

	/**
	 * The contained test holds; outside {@code $or} it also holds when its fact cannot be determined, inside
	 * {@code $or} it then counts as false.
	 */
	OPTIONAL("$optional"),

	/** An entitlement query: a list of {@code [opcode, argument]} steps; only as the value of {@code entitlements}. */
	QUERY("$query"),

	/** The contained dictionary does not hold (Linux only). */
	NOT("$not");

	private static final Map<String, Operator> BY_KEY = Arrays.stream(values())
		.collect(Collectors.toUnmodifiableMap(Operator::key, Function.identity()));

	private final String key;

	Operator(String key) {
		this.key = key;
	}

	/** The key as written in a requirement, e.g. {@code $in}. */
	public String key() {
		return this.key;
	}

	/** Whether this operator compares numbers. */
	public boolean isOrdering() {
		return this == LT || this == LTE || this == GT || this == GTE;
	}

	/** The operator written as {@code key}, or {@code null}. */
	static @Nullable Operator ofKey(String key) {
		return BY_KEY.get(key);
	}

	@Override
	public String toString() {
		return this.key;
	}

}
