package dev.peergate.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.peergate.handler.Values;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Reads a fact-dictionary requirement from the environment with its keys intact.
 * <p>
 * Spring's binder drops characters such as {@code $} from map keys that are not written in brackets, which would
 * turn {@code $in} into {@code in}. Requirements are read here from the raw property names instead. A requirement
 * comes whole from the highest-precedence source that defines it: sources are never merged, so a requirement is
 * never silently widened by a lower-precedence file. It can also be given as one JSON string (handy in environment
 * variables).
 */
final class RequirementTrees {

	private RequirementTrees() {
	}

	/** The tree under {@code prefix}, or an empty map when no source defines it. */
	static Map<String, Object> read(ConfigurableEnvironment environment, String prefix) {
		String json = environment.getProperty(prefix);
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			Map<String, Object> tree = new LinkedHashMap<>();
			for (String name : enumerable.getPropertyNames()) {
				if (name.startsWith(prefix + ".") || name.startsWith(prefix + "[")) {
					Object value = enumerable.getProperty(name);
					if (value != null) {
						put(tree, segments(name.substring(prefix.length())), 0, value.toString(), prefix);
					}
				}
			}
			if (!tree.isEmpty()) {
				return normalize(tree);
			}
		}
		if (json != null && !json.isBlank()) {
			return parseJson(prefix, json);
		}
		return Map.of();
	}

	private static Map<String, Object> parseJson(String prefix, String json) {
		try {
			Map<String, @Nullable Object> tree = Values.mapper().readValue(json, Map.class);
			@SuppressWarnings("unchecked")
			Map<String, Object> result = (Map<String, Object>) (Map<?, ?>) tree;
			return result;
		}
		catch (RuntimeException ex) {
			throw new ListenerConfigurationException(prefix, "is neither a map nor a JSON object: " + ex.getMessage(),
					"Write the requirement as a YAML map, e.g. " + prefix.substring(prefix.lastIndexOf('.') + 1)
							+ ": { uid: { $in: [0, 1000] } }, or as a JSON object string");
		}
	}

	/** Splits {@code .uid.$in[0]} or {@code [$in][1]} into key and index segments. */
	static List<String> segments(String path) {
		List<String> segments = new ArrayList<>();
		int i = 0;
		while (i < path.length()) {
			char c = path.charAt(i);
			if (c == '.') {
				i++;
			}
			else if (c == '[') {
				int end = path.indexOf(']', i);
				if (end < 0) {
					segments.add(path.substring(i + 1));
					break;
				}
				String inner = path.substring(i + 1, end);
				segments.add(inner.chars().allMatch(Character::isDigit) && !inner.isEmpty() ? "#" + inner : inner);
				i = end + 1;
			}
			else {
				int end = i;
				while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
					end++;
				}
				segments.add(path.substring(i, end));
				i = end;
			}
		}
		return segments;
	}

	@SuppressWarnings("unchecked")
	private static void put(Map<String, Object> node, List<String> segments, int index, String value, String prefix) {
		if (segments.isEmpty()) {
			return;
		}
		String key = segments.get(index);
		if (index == segments.size() - 1) {
			node.put(key, value);
			return;
		}
		Object child = node.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
		if (!(child instanceof Map)) {
			throw new ListenerConfigurationException(prefix, "'" + key + "' is given both as a value and as a map",
					"Give '" + key + "' either one value or a map of operators");
		}
		put((Map<String, Object>) child, segments, index + 1, value, prefix);
	}

	/** Turns maps whose keys are all {@code #n} into lists, recursively. */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> normalize(Map<String, Object> tree) {
		Map<String, Object> result = new LinkedHashMap<>();
		tree.forEach((key, value) -> result.put(key, normalizeValue(value)));
		return result;
	}

	@SuppressWarnings("unchecked")
	private static Object normalizeValue(Object value) {
		if (!(value instanceof Map<?, ?> map)) {
			return value;
		}
		boolean indexed = !map.isEmpty() && map.keySet().stream().allMatch(k -> ((String) k).startsWith("#"));
		if (!indexed) {
			return normalize((Map<String, Object>) map);
		}
		List<Object> list = new ArrayList<>();
		map.entrySet()
			.stream()
			.sorted((a, b) -> Integer.compare(Integer.parseInt(((String) a.getKey()).substring(1)),
					Integer.parseInt(((String) b.getKey()).substring(1))))
			.forEach(entry -> list.add(normalizeValue(entry.getValue())));
		return list;
	}

}
