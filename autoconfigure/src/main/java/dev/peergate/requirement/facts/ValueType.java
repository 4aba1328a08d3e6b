package dev.peergate.requirement.facts;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import dev.peergate.requirement.facts.Clause.ResolvedId;
import org.jspecify.annotations.Nullable;

/**
 * The type of a fact's value: how a configured value is validated and canonicalised, how it is compared with a
 * peer's captured value, and how it is shown and converted to the neutral tree.
 */
abstract class ValueType {

	private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?[0-9]{1,20}");

	/** What a valid value looks like, for error messages. */
	abstract String expected();

	/** Validates and canonicalises a configured value. */
	abstract Object parse(Object raw, String path, @Nullable IdResolver resolver);

	/** Whether {@code $lt}, {@code $lte}, {@code $gt}, {@code $gte} apply. */
	boolean ordered() {
		return false;
	}

	/** Whether {@code $in} applies. */
	boolean allowsIn() {
		return true;
	}

	/** Whether the peer's captured value equals the canonical configured value. */
	abstract boolean matches(Object expected, Object actual);

	/** The peer's captured value as a number, for ordering operators; {@code null} if it is not one. */
	@Nullable Long number(Object actual) {
		return integral(actual);
	}

	/** Canonical text of a configured value. */
	String display(Object value) {
		return (value instanceof String text) ? quote(text) : String.valueOf(value);
	}

	/** The configured value as it goes into the neutral tree. */
	Object neutral(Object value) {
		return value;
	}

	static String quote(String text) {
		StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				case '\t' -> quoted.append("\\t");
				case '\r' -> quoted.append("\\r");
				default -> {
					if (c < 0x20) {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

	/** An integral value from a Java number or a numeric string, or {@code null}. */
	static @Nullable Long integral(@Nullable Object raw) {
		if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
			return ((Number) raw).longValue();
		}
		if (raw instanceof BigInteger big) {
			return (big.bitLength() < 64) ? big.longValue() : null;
		}
		if (raw instanceof BigDecimal decimal) {
			try {
				return decimal.longValueExact();
			}
			catch (ArithmeticException ex) {
				return null;
			}
		}
		if (raw instanceof CharSequence text) {
			String trimmed = text.toString().trim();
			if (INTEGER_TEXT.matcher(trimmed).matches()) {
				try {
					return Long.parseLong(trimmed);
				}
				catch (NumberFormatException ex) {
					return null;
				}
			}
		}
		return null;
	}

	/** Integers in a range, optionally with named values (LWCR validation categories). */
	static final class IntegerType extends ValueType {

		private final String what;

		private final long min;

		private final long max;

		private final Map<String, Long> names;

		IntegerType(String what, long min, long max) {
			this(what, min, max, Map.of());
		}

		IntegerType(String what, long min, long max, Map<String, Long> names) {
			this.what = what;
			this.min = min;
			this.max = max;
			this.names = names;
		}

		@Override
		String expected() {
			String range = this.what + " (an integer from " + this.min + " to " + this.max + ")";
			return this.names.isEmpty() ? range : range + " or one of the names " + Problems.join(this.names.keySet());
		}

		@Override
		Object parse(Object raw, String path, @Nullable IdResolver resolver) {
			Long value = integral(raw);
			if (value == null && !this.names.isEmpty() && raw instanceof CharSequence text) {
				value = this.names.get(text.toString().trim().toLowerCase(Locale.ROOT).replace('_', '-'));
				if (value == null) {
					throw Problems.invalid(path, "unknown name " + Problems.describeRaw(raw), expected(),
							hintFor(text.toString()));
				}
			}
			if (value == null) {
				throw Problems.invalid(path, "found " + Problems.describeRaw(raw), expected());
			}
			if (value < this.min || value > this.max) {
				throw Problems.invalid(path, "value " + value + " is out of range", expected());
			}
			return value;
		}

		private @Nullable String hintFor(String text) {
			String closest = Problems.closest(text.trim().replace('_', '-'), this.names.keySet());
			return (closest != null) ? "did you mean '" + closest + "'?" : null;
		}

		@Override
		boolean ordered() {
			return true;
		}

		@Override
		boolean matches(Object expected, Object actual) {
			Long number = integral(actual);
			return number != null && number.longValue() == (Long) expected;
		}

		@Override
		String display(Object value) {
			for (Map.Entry<String, Long> entry : this.names.entrySet()) {
				if (entry.getValue().equals(value)) {
					return value + " (" + entry.getKey() + ")";
				}
			}
			return String.valueOf(value);
		}

	}

	/** Booleans; {@code "true"} and {@code "false"} as text are accepted because Spring may bind them so. */
	static final class BooleanType extends ValueType {

		@Override
		String expected() {
			return "true or false";
		}

		@Override
		Object parse(Object raw, String path, @Nullable IdResolver resolver) {
			if (raw instanceof Boolean bool) {
				return bool;
			}
			if (raw instanceof CharSequence text) {
				String trimmed = text.toString().trim();
				if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
					return Boolean.valueOf(trimmed);
				}
			}
			throw Problems.invalid(path, "found " + Problems.describeRaw(raw), expected());
		}

		@Override
		boolean allowsIn() {
			return false;
		}

		@Override
		boolean matches(Object expected, Object actual) {
			return expected.equals(actual) || (actual instanceof String text && text.equalsIgnoreCase(expected.toString()));
		}

	}

	/** Text constrained by a pattern. */
	static final class TextType extends ValueType {

		private final String what;

		private final Pattern pattern;

		private final @Nullable String hint;

		TextType(String what, Pattern pattern, @Nullable String hint) {
			this.what = what;
			this.pattern = pattern;
			this.hint = hint;
		}

		@Override
		String expected() {
			return this.what;
		}

		@Override
		Object parse(Object raw, String path, @Nullable IdResolver resolver) {
			String text = (raw instanceof CharSequence chars) ? chars.toString()
					: (integral(raw) != null && !(raw instanceof CharSequence)) ? String.valueOf(raw) : null;
			if (text == null) {
				throw Problems.invalid(path, "found " + Problems.describeRaw(raw), expected());
			}
			if (!this.pattern.matcher(text).matches()) {
				throw Problems.invalid(path, "invalid value " + Problems.describeRaw(text), expected(), this.hint);
			}
			return text;
		}

		@Override
		boolean matches(Object expected, Object actual) {
			return expected.equals(actual);
		}

	}

	/** A hash written as hexadecimal of a fixed length; canonical form is lower-case hex. */
	static final class HexType extends ValueType {

		private final String what;

		private final int bytes;

		private final boolean neutralAsData;

		HexType(String what, int bytes, boolean neutralAsData) {
			this.what = what;
			this.bytes = bytes;
			this.neutralAsData = neutralAsData;
		}

		@Override
		String expected() {
			return this.what + " (" + (this.bytes * 2) + " hexadecimal digits)";
		}

		@Override
		Object parse(Object raw, String path, @Nullable IdResolver resolver) {
			if (!(raw instanceof CharSequence chars)) {
				throw Problems.invalid(path, "found " + Problems.describeRaw(raw), expected(),
						"quote the hash so that YAML reads it as text");
			}
			String text = chars.toString().trim().toLowerCase(Locale.ROOT);
			if (text.length() != this.bytes * 2 || !text.chars().allMatch((c) -> Character.digit(c, 16) >= 0)) {
				throw Problems.invalid(path, "invalid value " + Problems.describeRaw(raw), expected());
			}
			return text;
		}

		@Override
		boolean matches(Object expected, Object actual) {
			if (actual instanceof byte[] data) {
				return HexFormat.of().formatHex(data).equals(expected);
			}
			return actual instanceof CharSequence text && text.toString().equalsIgnoreCase((String) expected);
		}

		@Override
		Object neutral(Object value) {
			return this.neutralAsData ? HexFormat.of().parseHex((String) value) : value;
		}

	}

	/** A Linux user or group name, resolved to its id when the requirement is built. */
	static final class NameType extends ValueType {

		private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,255}\\$?");

		private final boolean user;

		NameType(boolean user) {
			this.user = user;
		}

		private String kind() {
			return this.user ? "uid" : "gid";
		}

		@Override
		String expected() {
			return "a " + (this.user ? "user" : "group") + " name known to this system";
		}

		@Override
		Object parse(Object raw, String path, @Nullable IdResolver resolver) {
			if (!(raw instanceof CharSequence chars)) {
				throw Problems.invalid(path, "found " + Problems.describeRaw(raw), expected(),
						"for a numeric id use the '" + kind() + "' fact");
			}
			String name = chars.toString().trim();
			if (integral(name) != null) {
				throw Problems.invalid(path, "found the number " + name + " where a name belongs", expected(),
						"for a numeric id use the '" + kind() + "' fact");
			}
			if (!NAME.matcher(name).matches()) {
				throw Problems.invalid(path, "invalid name " + Problems.describeRaw(raw), expected());
			}
			if (resolver == null) {
				throw new IllegalStateException("no IdResolver to resolve " + name);
			}
			OptionalLong id = this.user ? resolver.userId(name) : resolver.groupId(name);
			if (id.isEmpty()) {
				throw Problems.invalid(path, "unknown " + (this.user ? "user" : "group") + " '" + name + "'",
						expected(), "names are resolved when the application starts, through " + resolver);
			}
			return new ResolvedId(name, id.getAsLong(), kind());
		}

		@Override
		boolean matches(Object expected, Object actual) {
			Long number = integral(actual);
			return number != null && number.longValue() == ((ResolvedId) expected).id();
		}

		@Override
		String display(Object value) {
			return value.toString();
		}

		@Override
		Object neutral(Object value) {
			return ((ResolvedId) value).name();
		}

	}

	/** The entitlements dictionary: only {@code $query} applies. */
	static final class EntitlementsType extends ValueType {

		@Override
		String expected() {
			return "{\"$query\": [[opcode, argument], ...]}";
		}

		@Override
		Object parse(Object raw, String path, @Nullable IdResolver resolver) {
			throw Problems.invalid(path, "entitlements cannot be compared with " + Problems.describeRaw(raw),
					expected(), "e.g. entitlements: {$query: [[1, com.apple.security.device.camera], [5, true]]}");
		}

		@Override
		boolean allowsIn() {
			return false;
		}

		@Override
		boolean matches(Object expected, Object actual) {
			return false;
		}

	}

	/** Named LWCR validation categories (ES_CS_VALIDATION_CATEGORY_*), in their numeric order. */
	static Map<String, Long> validationCategories() {
		Map<String, Long> names = new LinkedHashMap<>();
		List<String> ordered = List.of("platform", "testflight", "development", "app-store", "enterprise",
				"developer-id", "local-signing", "rosetta", "oopjit", "none");
		for (int i = 0; i < ordered.size(); i++) {
			names.put(ordered.get(i), (long) (i + 1));
		}
		return java.util.Collections.unmodifiableMap(names);
	}

}
