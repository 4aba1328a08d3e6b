package dev.peergate.requirement.codesigning;

/**
 * Match operations of Security.framework ({@code MatchOperation} in {@code requirement.h}), in Apple's numbering.
 *
 * <pre>{@code
 * Match match = Match.of(MatchOperation.BEGINS_WITH, Value.of("com.example."));   // = "com.example."*
 * }</pre>
 */
public enum MatchOperation {

	/** Present and not {@code false}: {@code exists} or no suffix. */
	EXISTS,
	/** {@code = value}. */
	EQUAL,
	/** {@code ~ value} or {@code = *value*}. */
	CONTAINS,
	/** {@code = value*}. */
	BEGINS_WITH,
	/** {@code = *value}. */
	ENDS_WITH,
	/** {@code < value}, numeric-aware string comparison. */
	LESS_THAN,
	/** {@code > value}. */
	GREATER_THAN,
	/** {@code <= value}. */
	LESS_EQUAL,
	/** {@code >= value}. */
	GREATER_EQUAL,
	/** {@code = timestamp "…"}. */
	ON,
	/** {@code < timestamp "…"}. */
	BEFORE,
	/** {@code > timestamp "…"}. */
	AFTER,
	/** {@code <= timestamp "…"}. */
	ON_OR_BEFORE,
	/** {@code >= timestamp "…"}. */
	ON_OR_AFTER,
	/** {@code absent}. */
	ABSENT;

	/** Whether the operation takes a {@link Value}. */
	public boolean takesValue() {
		return ordinal() >= EQUAL.ordinal() && ordinal() <= GREATER_EQUAL.ordinal();
	}

	/** Whether the operation takes a timestamp. */
	public boolean takesTimestamp() {
		return ordinal() >= ON.ordinal() && ordinal() <= ON_OR_AFTER.ordinal();
	}

}
