package dev.peergate.requirement.facts;

import java.util.List;
import java.util.Map;

import dev.peergate.requirement.facts.Clause.QueryStep;
import org.jspecify.annotations.Nullable;

/**
 * LWCR entitlement queries ({@code $query}): a list of {@code [opcode, argument]} steps run against the
 * entitlements dictionary. Opcodes, as Apple documents them: 1 select key, 2 select index, 3 match string,
 * 4 match string prefix, 5 match bool, 6 string value allowed, 7 match integer, 8 string-prefix value allowed,
 * 9 select key with prefix, 10 integer value allowed, 11 match type (1 dictionary, 2 array, 3 integer, 4 string,
 * 5 bool).
 * <p>
 * macOS evaluates queries itself; Peergate evaluates them only to explain a decision. Opcodes 8 and 9, whose
 * exact matching rules Apple does not document, are reported as undecidable here rather than guessed.
 */
final class EntitlementQueries {

	/** Result of running a query locally. */
	enum Result {

		MATCH, NO_MATCH, UNDECIDABLE

	}

	private static final List<String> NAMES = List.of("select key", "select index", "match string",
			"match string prefix", "match bool", "string value allowed", "match integer",
			"string-prefix value allowed", "select key with prefix", "integer value allowed", "match type");

	private EntitlementQueries() {
	}

	static QueryStep step(@Nullable Object rawOpcode, @Nullable Object rawArgument, String path) {
		Long opcode = ValueType.integral(rawOpcode);
		if (opcode == null || opcode < 1 || opcode > 11) {
			throw Problems.invalid(Problems.index(path, 0), "found " + Problems.describeRaw(rawOpcode),
					"an opcode from 1 to 11: " + opcodes());
		}
		int code = opcode.intValue();
		String argumentPath = Problems.index(path, 1);
		String expected = "for opcode " + code + " (" + NAMES.get(code - 1) + ") " + argumentKind(code);
		Object argument = switch (code) {
			case 1, 3, 4, 6, 8, 9 -> {
				if (!(rawArgument instanceof CharSequence text) || text.length() == 0) {
					throw Problems.invalid(argumentPath, "found " + Problems.describeRaw(rawArgument), expected);
				}
				yield text.toString();
			}
			case 5 -> new ValueType.BooleanType().parse(orEmpty(rawArgument), argumentPath, null);
			default -> {
				Long number = ValueType.integral(rawArgument);
				if (number == null || (code == 2 && number < 0) || (code == 11 && (number < 1 || number > 5))) {
					throw Problems.invalid(argumentPath, "found " + Problems.describeRaw(rawArgument), expected);
				}
				yield number;
			}
		};
		return new QueryStep(code, argument);
	}

	private static Object orEmpty(@Nullable Object raw) {
		return (raw != null) ? raw : "";
	}

	private static String argumentKind(int code) {
		return switch (code) {
			case 1, 3, 4, 6, 8, 9 -> "a non-empty string";
			case 5 -> "true or false";
			case 2 -> "a non-negative integer";
			case 11 -> "a type number: 1 dictionary, 2 array, 3 integer, 4 string, 5 bool";
			default -> "an integer";
		};
	}

	private static String opcodes() {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < NAMES.size(); i++) {
			text.append((i > 0) ? ", " : "").append(i + 1).append(' ').append(NAMES.get(i));
		}
		return text.toString();
	}

	/** Runs the query against a peer's entitlements dictionary. */
	static Result run(List<QueryStep> steps, @Nullable Object entitlements) {
		Object current = entitlements;
		for (QueryStep step : steps) {
			Object argument = step.argument();
			switch (step.opcode()) {
				case 1 -> {
					current = (current instanceof Map<?, ?> map) ? map.get(argument) : null;
					if (current == null) {
						return Result.NO_MATCH;
					}
				}
				case 2 -> {
					long index = (Long) argument;
					if (!(current instanceof List<?> list) || index >= list.size()) {
						return Result.NO_MATCH;
					}
					current = list.get((int) index);
				}
				case 3 -> {
					if (!argument.equals(current)) {
						return Result.NO_MATCH;
					}
				}
				case 4 -> {
					if (!(current instanceof String text && text.startsWith((String) argument))) {
						return Result.NO_MATCH;
					}
				}
				case 5 -> {
					if (!argument.equals(current)) {
						return Result.NO_MATCH;
					}
				}
				case 6 -> {
					if (!(argument.equals(current) || (current instanceof List<?> list && list.contains(argument)))) {
						return Result.NO_MATCH;
					}
				}
				case 7 -> {
					if (!argument.equals(ValueType.integral(current))) {
						return Result.NO_MATCH;
					}
				}
				case 10 -> {
					if (!(argument.equals(ValueType.integral(current)) || (current instanceof List<?> list
							&& list.stream().anyMatch((element) -> argument.equals(ValueType.integral(element)))))) {
						return Result.NO_MATCH;
					}
				}
				case 11 -> {
					if (!hasType(current, ((Long) argument).intValue())) {
						return Result.NO_MATCH;
					}
				}
				default -> {
					return Result.UNDECIDABLE;
				}
			}
		}
		return Result.MATCH;
	}

	private static boolean hasType(@Nullable Object value, int type) {
		return switch (type) {
			case 1 -> value instanceof Map;
			case 2 -> value instanceof List;
			case 3 -> ValueType.integral(value) != null && !(value instanceof CharSequence);
			case 4 -> value instanceof CharSequence;
			default -> value instanceof Boolean;
		};
	}

}
