package dev.peergate.autoconfigure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.peergate.handler.Values;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Reads a fact-dictionary requirement from the environment with its keys intact.
 * <p>
 * Spring's binder drops characters such as {@code $} from map keys that are not written in brackets, which would
 * turn {@code $in} into {@code in}. Requirements are read here from the raw property names instead. A requirement
 * comes whole from the highest-precedence source that defines it, in any of its forms: sources are never merged,
 * so an override replaces the requirement of a lower-precedence file, and a requirement is never silently widened
 * by a lower-precedence file. In every source it can be written as a tree of keys or as one JSON object string (the
 * form that suits environment variables: {@code PEERGATE_LISTENERS_HELPER_REQUIREMENT_LINUX='{"uid":0}'}). An
 * environment variable may also give single facts, {@code PEERGATE_LISTENERS_HELPER_REQUIREMENT_LINUX_UID=0};
 * operators need the JSON form, since {@code $} cannot be part of a variable's name.
 */
final class RequirementTrees {

	private RequirementTrees() {
	}

	/**
	 * The tree under {@code prefix}, or an empty map when no source defines it.
	 * @param facts the fact names of the dictionary, to read environment variable names (whose {@code _} stands for
	 * both {@code .} and {@code -})
	 */
	static Map<String, Object> read(ConfigurableEnvironment environment, String prefix, Collection<String> facts) {
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
				continue; // a view of all the others: it would find a lower source's JSON before a higher source's tree
			}
			Object whole = source.getProperty(prefix); // environment variables resolve their own spelling
			if (whole instanceof CharSequence json && !json.toString().isBlank()) {
				return parseJson(prefix, resolve(environment, prefix, json.toString()));
			}
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			Map<String, Object> tree = (source instanceof SystemEnvironmentPropertySource)
					? environmentTree(enumerable, prefix, facts) : tree(environment, enumerable, prefix);
			if (!tree.isEmpty()) {
				return normalize(tree);
			}
		}
		return Map.of();
	}

	private static Map<String, Object> tree(ConfigurableEnvironment environment, EnumerablePropertySource<?> source,
			String prefix) {
		Map<String, Object> tree = new LinkedHashMap<>();
		for (String name : source.getPropertyNames()) {
			if (name.startsWith(prefix + ".") || name.startsWith(prefix + "[")) {
				Object value = source.getProperty(name);
				if (value != null) {
					put(tree, segments(name.substring(prefix.length())), 0, resolve(environment, name, value.toString()),
							prefix);
				}
			}
		}
		return tree;
	}

	/**
	 * Resolves {@code ${...}} placeholders as the binder would for any other property; one that cannot be resolved
	 * stops the start naming the property, rather than becoming a value of the requirement.
	 */
	private static String resolve(ConfigurableEnvironment environment, String property, String value) {
		try {
			return environment.resolveRequiredPlaceholders(value);
		}
		catch (IllegalArgumentException ex) {
			throw new ListenerConfigurationException(property, "holds a placeholder that cannot be resolved: "
					+ ex.getMessage(), "Define the referenced property, or give it a default: ${NAME:default}");
		}
	}

	/**
	 * Facts given one by one in environment variables: {@code <PREFIX>_<FACT>}, the fact name in capitals with
	 * {@code _} for {@code -} or, as Spring Boot spells variables, without the dashes ({@code EXECUTABLEPATH}),
	 * holding one value. A variable under the prefix that names no fact stops the start: it
	 * was meant to change a security setting.
	 */
	private static Map<String, Object> environmentTree(EnumerablePropertySource<?> source, String prefix,
			Collection<String> facts) {
		String variablePrefix = prefix.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "") + "_";
		String wholeVariable = variablePrefix.substring(0, variablePrefix.length() - 1);
		Map<String, Object> tree = new LinkedHashMap<>();
		for (String name : source.getPropertyNames()) {
			if (!name.toUpperCase(Locale.ROOT).startsWith(variablePrefix)) {
				continue;
			}
			String rest = name.substring(variablePrefix.length()).toUpperCase(Locale.ROOT);
			String fact = facts.stream()
				.filter(candidate -> rest.equals(variable(candidate)) || rest.equals(variable(candidate).replace("_", "")))
				.findFirst()
				.orElseThrow(() -> new ListenerConfigurationException(prefix,
						"environment variable " + name + " names no fact of this requirement",
						"Name one fact in capitals with _ for - (" + String.join(", ", facts) + "), e.g. "
								+ variablePrefix + variable(facts.iterator().next()) + "=0, or give the whole "
								+ "requirement, operators included, as one JSON object in " + wholeVariable));
			Object value = source.getProperty(name);
			if (value != null) {
				tree.put(fact, value.toString());
			}
		}
		return tree;
	}

	private static String variable(String fact) {
		return fact.toUpperCase(Locale.ROOT).replace('-', '_');
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
