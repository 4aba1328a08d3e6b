package dev.peergate.requirement.facts;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.peergate.core.EditDistance;
import dev.peergate.requirement.InvalidRequirementException;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link InvalidRequirementException}s of fact dictionaries and the property paths they name, so that
 * every message has the same shape: {@code path: problem; expected ... (hint: ...)}.
 */
final class Problems {

	private Problems() {
	}

	static InvalidRequirementException invalid(String path, String problem, @Nullable String expected,
			@Nullable String hint) {
		return new InvalidRequirementException(path, 0, 0, problem, expected, hint, null);
	}

	static InvalidRequirementException invalid(String path, String problem, @Nullable String expected) {
		return invalid(path, problem, expected, null);
	}

	/**
	 * The path of a map key below {@code base}, in Spring Boot's notation: {@code base.key}, or
	 * {@code base[key]} when the key would not survive as a dotted segment.
	 */
	static String key(String base, String key) {
		boolean plain = !key.isEmpty() && key.chars()
			.allMatch((c) -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '$');
		if (!plain) {
			return base + "[" + key + "]";
		}
		return base.isEmpty() ? key : base + "." + key;
	}

	/** The path of a list element. */
	static String index(String base, int index) {
		return base + "[" + index + "]";
	}

	/**
	 * How a raw configuration value is described in a message: its type and a short excerpt. Containers are
	 * summarised, never printed whole: they may be large (or, built by code, even cyclic).
	 */
	static String describeRaw(@Nullable Object raw) {
		if (raw == null) {
			return "no value";
		}
		List<?> list = FactTreeParser.list(raw);
		if (list != null) {
			return "list (" + list.size() + ((list.size() == 1) ? " element)" : " elements)");
		}
		if (raw instanceof Map<?, ?> map) {
			String keys = map.keySet().stream().limit(5).map(String::valueOf).collect(Collectors.joining(", "));
			return "dictionary with keys [" + keys + ((map.size() > 5) ? ", ...]" : "]");
		}
		String text = String.valueOf(raw);
		if (text.length() > 60) {
			text = text.substring(0, 57) + "...";
		}
		if (raw instanceof CharSequence) {
			return "text " + ValueType.quote(text);
		}
		String type = (raw instanceof Boolean) ? "boolean"
				: (raw instanceof Number) ? "number" : raw.getClass().getSimpleName();
		return type + " " + text;
	}

	static String join(Collection<String> items) {
		return items.stream().collect(Collectors.joining(", "));
	}

	/** The candidate closest to {@code word} by edit distance, if it is close enough to be a likely typo. */
	static @Nullable String closest(String word, Collection<String> candidates) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : candidates) {
			int distance = EditDistance.between(word.toLowerCase(java.util.Locale.ROOT), candidate);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return (best != null && bestDistance <= Math.max(2, best.length() / 4)) ? best : null;
	}

}
