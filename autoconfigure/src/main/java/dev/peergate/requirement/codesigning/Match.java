package dev.peergate.requirement.codesigning;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The match suffix of an {@code info[…]}, {@code entitlement[…]} or {@code certificate …[…]} clause.
 *
 * <pre>{@code
 * Match.of(MatchOperation.EQUAL, Value.of("EQHXZ8M8AV"));   // = EQHXZ8M8AV
 * Match.exists();                                          // exists
 * }</pre>
 *
 * @param operation the operation
 * @param value the value for value operations, otherwise {@code null}
 * @param timestamp the instant for date operations, otherwise {@code null}
 */
public record Match(MatchOperation operation, @Nullable Value value, @Nullable Instant timestamp) {

	public Match {
		Objects.requireNonNull(operation, "operation");
		if (operation.takesValue() != (value != null)) {
			throw new IllegalArgumentException(operation + (operation.takesValue() ? " needs" : " takes no") + " value");
		}
		if (operation.takesTimestamp() != (timestamp != null)) {
			throw new IllegalArgumentException(
					operation + (operation.takesTimestamp() ? " needs" : " takes no") + " timestamp");
		}
		if (timestamp != null && (timestamp.isBefore(EARLIEST) || !timestamp.isBefore(LATEST))) {
			// GeneralizedTime has four year digits.
			throw new IllegalArgumentException("timestamp outside years 0001 to 9999: " + timestamp);
		}
	}

	private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

	/** {@code exists}. */
	public static Match exists() {
		return new Match(MatchOperation.EXISTS, null, null);
	}

	/** {@code absent}. */
	public static Match absent() {
		return new Match(MatchOperation.ABSENT, null, null);
	}

	/** A value comparison such as {@code = value}. */
	public static Match of(MatchOperation operation, Value value) {
		return new Match(operation, value, null);
	}

	/** A date comparison such as {@code < timestamp "20250101000000Z"}. */
	public static Match of(MatchOperation operation, Instant timestamp) {
		return new Match(operation, null, timestamp);
	}

}
