package dev.peergate.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.peergate.core.EditDistance;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses keys under {@code peergate.listeners.<name>} that are no listener setting, naming the key and the nearest
 * known one: the binder ignores them, so {@code unix.mod: "0666"} or {@code limits.max-conections: 1} would start
 * the listener with a default where the operator meant a limit, and {@code requirment:} would only say that the
 * listener has no requirement. The known keys are derived from {@link PeergateProperties.Listener}; fact
 * dictionaries ({@code requirement.linux}, {@code requirement.lightweight}) hold keys of their own, which their
 * parser checks. Keys are compared as Spring Boot's relaxed binding does: case, {@code -} and {@code _} do not
 * matter.
 */
final class ListenerKeys {

	private static final String PREFIX = "peergate.listeners.";

	/** The map of per-method settings, keyed by method name. */
	private static final String METHODS = "methods";

	/** Canonical (dashed) key of every setting, e.g. {@code unix.io-threads}. */
	private static final Set<String> KEYS = new TreeSet<>();

	/** Settings that hold a dictionary of their own keys. */
	private static final Set<String> DICTIONARIES = new TreeSet<>();

	/** Canonical keys of a method's settings, e.g. {@code enforcement}, {@code requirement.linux}. */
	private static final Set<String> METHOD_KEYS = new TreeSet<>();

	/** Settings of a method that hold a dictionary of their own keys. */
	private static final Set<String> METHOD_DICTIONARIES = new TreeSet<>();

	/** Canonical keys of a client's settings, e.g. {@code unix.path}, {@code server-requirement.linux}. */
	private static final Set<String> CLIENT_KEYS = new TreeSet<>();

	/** Settings of a client that hold a dictionary of their own keys. */
	private static final Set<String> CLIENT_DICTIONARIES = new TreeSet<>();

	private static final String CLIENT_PREFIX = "peergate.clients.";

	static {
		collect(PeergateClientProperties.Client.class, "", CLIENT_KEYS, CLIENT_DICTIONARIES);
		collect(PeergateProperties.Listener.class, "", KEYS, DICTIONARIES);
		collect(PeergateProperties.Method.class, "", METHOD_KEYS, METHOD_DICTIONARIES);
	}

	private ListenerKeys() {
	}

	/** The known keys, e.g. {@code unix.mode}, {@code limits.max-in-flight}, {@code requirement.linux}. */
	static Set<String> keys() {
		return KEYS;
	}

	/** The keys of a client, e.g. {@code unix.path}, {@code interface}, {@code server-requirement.same-user}. */
	static Set<String> clientKeys() {
		return CLIENT_KEYS;
	}

	/**
	 * Checks every property under {@code peergate.listeners} in every source, environment variables included.
	 * @throws ListenerConfigurationException naming the first unknown key and the nearest known one
	 */
	static void validate(ConfigurableEnvironment environment, Collection<String> listenerNames) {
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
					|| !(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			boolean variables = source instanceof SystemEnvironmentPropertySource;
			for (String name : enumerable.getPropertyNames()) {
				if (variables) {
					checkVariable(name, listenerNames);
				}
				else if (name.startsWith(PREFIX)) {
					checkProperty(name);
				}
			}
		}
	}

	/**
	 * Checks every property under {@code peergate.clients} in every source: a misspelt client setting would
	 * otherwise keep its default silently (a timeout, say).
	 * @throws ListenerConfigurationException naming the first unknown key and the nearest known one
	 */
	static void validateClients(Environment environment) {
		if (!(environment instanceof ConfigurableEnvironment configurable)) {
			return;
		}
		for (PropertySource<?> source : configurable.getPropertySources()) {
			if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
					|| !(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			for (String name : enumerable.getPropertyNames()) {
				if (name.startsWith(CLIENT_PREFIX)) {
					checkClientProperty(name);
				}
			}
		}
	}

	private static void checkClientProperty(String property) {
		String rest = property.substring(CLIENT_PREFIX.length());
		int end = rest.startsWith("[") ? rest.indexOf(']') + 1 : rest.indexOf('.');
		if (end <= 0 || end >= rest.length()) {
			return;
		}
		String client = rest.substring(0, end);
		String key = relaxed(rest.substring(end + (rest.charAt(end) == '.' ? 1 : 0)), ".");
		if (!isKnown(key, CLIENT_KEYS, CLIENT_DICTIONARIES)) {
			String nearest = CLIENT_KEYS.stream()
				.min(Comparator.comparingInt((String known) -> EditDistance.between(flat(known), flat(key)))
					.thenComparing(Comparator.naturalOrder()))
				.orElseThrow();
			throw new ListenerConfigurationException(property, "is not a Peergate client setting",
					"Did you mean " + CLIENT_PREFIX + client + "." + nearest + "? A client's settings are "
							+ String.join(", ", CLIENT_KEYS));
		}
	}

	private static void checkProperty(String property) {
		String rest = property.substring(PREFIX.length());
		int end = rest.startsWith("[") ? rest.indexOf(']') + 1 : rest.indexOf('.');
		if (end <= 0 || end >= rest.length()) {
			return; // the listener name alone, or a map written in brackets: nothing to check
		}
		String listener = rest.substring(0, end);
		String key = rest.substring(end + (rest.charAt(end) == '.' ? 1 : 0));
		if (key.startsWith(METHODS + "[") || key.startsWith(METHODS + ".")) {
			checkMethodKey(property, PREFIX + listener + ".", key.substring(METHODS.length()));
			return;
		}
		if (!isKnown(relaxed(key, "."))) {
			throw unknown(property, PREFIX + listener + "." + nearest(relaxed(key, ".")));
		}
	}

	/**
	 * {@code methods[<Interface.Method>].<key>}: the method's name in brackets (it holds dots), then a method
	 * setting, i.e. {@code requirement.*}. Without brackets the binder would split the name at its dots and ignore
	 * the rest, so {@code methods.com.example.Install.requirement...} is refused with the bracketed form.
	 */
	private static void checkMethodKey(String property, String listenerPrefix, String afterMethods) {
		String method;
		String setting;
		if (afterMethods.startsWith("[")) {
			int close = afterMethods.indexOf(']');
			method = afterMethods.substring(1, Math.max(close, 1));
			setting = (close > 0 && close + 2 <= afterMethods.length()) ? afterMethods.substring(close + 2) : "";
			if (setting.isEmpty() || isKnown(relaxed(setting, "."), METHOD_KEYS, METHOD_DICTIONARIES)) {
				return;
			}
		}
		else {
			String rest = afterMethods.substring(1);
			int split = -1;
			for (String known : METHOD_KEYS) { // where the method's name ends: at its first setting
				int at = rest.indexOf("." + known.split("\\.")[0]);
				if (at > 0 && (split < 0 || at < split)) {
					split = at;
				}
			}
			method = (split > 0) ? rest.substring(0, split) : rest;
			setting = (split > 0) ? rest.substring(split + 1) : "requirement";
			if (split > 0 && method.indexOf('.') < 0
					&& isKnown(relaxed(setting, "."), METHOD_KEYS, METHOD_DICTIONARIES)) {
				return; // a method name without dots needs no brackets
			}
			throw new ListenerConfigurationException(property, "names a method without brackets, so the binder would "
					+ "split its name at the dots and ignore the setting",
					"Write the method in brackets: " + listenerPrefix + METHODS + "[" + method + "]." + setting
							+ " (in YAML: \"[" + method + "]\":)");
		}
		throw new ListenerConfigurationException(property, "is not a setting of a method",
				"A method's settings are " + String.join(", ", METHOD_KEYS) + ", e.g. " + listenerPrefix + METHODS + "["
						+ method + "].requirement.linux.groups");
	}

	/**
	 * {@code PEERGATE_LISTENERS_<NAME>_<KEY>}, spelt as Spring Boot maps environment variables: dots become
	 * {@code _}, dashes are dropped ({@code LIMITS_MAXCONNECTIONS}). {@code LIMITS_MAX_CONNECTIONS} would bind
	 * nothing, so it is refused like any other unknown key.
	 */
	private static void checkVariable(String variable, Collection<String> listenerNames) {
		String upper = variable.toUpperCase(Locale.ROOT);
		for (String listener : listenerNames) {
			String listenerPrefix = "PEERGATE_LISTENERS_" + variable(listener) + "_";
			if (upper.startsWith(listenerPrefix)) {
				String key = upper.substring(listenerPrefix.length());
				boolean known = KEYS.stream().anyMatch((candidate) -> variable(candidate).equals(key))
						|| DICTIONARIES.stream().anyMatch((dictionary) -> key.startsWith(variable(dictionary) + "_"));
				if (!known) {
					throw unknown(variable, listenerPrefix + variable(nearest(key.replace('_', '.'))));
				}
				return;
			}
		}
	}

	/** A key as Spring Boot spells it in an environment variable. */
	private static String variable(String key) {
		return key.toUpperCase(Locale.ROOT).replace("-", "").replace('.', '_');
	}

	private static boolean isKnown(String relaxedKey) {
		return isKnown(relaxedKey, KEYS, DICTIONARIES);
	}

	private static boolean isKnown(String relaxedKey, Set<String> keys, Set<String> dictionaries) {
		for (String known : keys) {
			if (relaxed(known, ".").equals(relaxedKey)) {
				return true;
			}
		}
		for (String dictionary : dictionaries) {
			String prefix = relaxed(dictionary, ".");
			if (relaxedKey.startsWith(prefix + ".") || relaxedKey.startsWith(prefix + "[")) {
				return true;
			}
		}
		return false;
	}

	private static ListenerConfigurationException unknown(String property, String suggestion) {
		return new ListenerConfigurationException(property, "is not a Peergate listener setting",
				"Did you mean " + suggestion + "? A listener's settings are " + String.join(", ", KEYS));
	}

	/** The known key closest to {@code key} by edit distance (in relaxed form, so case and dashes cost nothing). */
	static String nearest(String key) {
		String flatKey = flat(key);
		return KEYS.stream()
			.min(Comparator.comparingInt((String known) -> EditDistance.between(flat(known), flatKey))
				.thenComparing(Comparator.naturalOrder()))
			.orElseThrow();
	}

	/** Lower case without {@code -} and {@code _} in each element, elements joined by {@code separator}. */
	private static String relaxed(String key, String separator) {
		List<String> elements = new ArrayList<>();
		for (String element : key.split("\\.")) {
			elements.add(element.toLowerCase(Locale.ROOT).replace("-", "").replace("_", ""));
		}
		return String.join(separator, elements);
	}

	private static String flat(String key) {
		return key.toUpperCase(Locale.ROOT).replace(".", "").replace("-", "").replace("_", "");
	}

	/** Walks the JavaBean properties of the settings classes: nested settings classes recurse, maps are dictionaries. */
	private static void collect(Class<?> type, String path, Set<String> keys, Set<String> dictionaries) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() == null || property.getName().equals("class")) {
				continue;
			}
			String key = path + dashed(property.getName());
			Class<?> valueType = property.getPropertyType();
			if (Map.class.isAssignableFrom(valueType) || valueType == Object.class) {
				keys.add(key); // a dictionary, or a value of any shape: their own checks name what is wrong in them
				dictionaries.add(key);
			}
			else if (isSettingsClass(valueType)) {
				collect(valueType, key + ".", keys, dictionaries);
			}
			else {
				keys.add(key);
			}
		}
	}

	private static boolean isSettingsClass(@Nullable Class<?> type) {
		return type != null && (type.getEnclosingClass() == PeergateProperties.class
				|| type.getEnclosingClass() == PeergateClientProperties.class) && !type.isEnum();
	}

	private static String dashed(String camel) {
		StringBuilder dashed = new StringBuilder();
		for (char c : camel.toCharArray()) {
			if (Character.isUpperCase(c)) {
				dashed.append('-').append(Character.toLowerCase(c));
			}
			else {
				dashed.append(c);
			}
		}
		return dashed.toString();
	}

}
