package dev.peergate.unix.peer;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.peergate.core.FactNames;
import org.jspecify.annotations.Nullable;

/**
 * The facts Peergate takes from one read of {@code /proc/<pid>/status}: {@code real-uid} and {@code saved-uid}
 * (first and third field of {@code Uid:}), {@code no-new-privs} ({@code NoNewPrivs:}) and {@code seccomp}
 * ({@code Seccomp:}: 0 disabled, 1 strict, 2 filter).
 * <p>
 * Parsing is strict about the lines it uses and ignores every other line, in any order. A line that is missing
 * (kernels before 4.10 have no {@code NoNewPrivs:}, kernels without seccomp no {@code Seccomp:}), repeated or
 * malformed makes its facts problems with a reason instead of values; it never throws, so a peer is never refused
 * for a parsing accident but always for a reason a requirement can explain.
 *
 * <pre>{@code
 * ProcStatus status = ProcStatus.parse(Files.readAllBytes(Path.of("/proc/self/status")), "/proc/self/status");
 * status.values();   // {real-uid=1000, saved-uid=1000, no-new-privs=false, seccomp=0}
 * status.problems(); // {} or e.g. {no-new-privs=/proc/42/status has no 'NoNewPrivs:' line (...)}
 * }</pre>
 */
final class ProcStatus {

	/** Fact names, as in the Linux fact set. */
	static final String REAL_UID = FactNames.REAL_UID, SAVED_UID = FactNames.SAVED_UID,
			NO_NEW_PRIVS = FactNames.NO_NEW_PRIVS, SECCOMP = FactNames.SECCOMP;

	/** Every fact this class produces, in documentation order. */
	static final List<String> FACTS = FactNames.PROC_STATUS;

	/** Highest valid id: {@code (uid_t) -1} means "no id" and the kernel never shows it for a process. */
	private static final long MAX_ID = 4294967294L;

	private static final Pattern ID = Pattern.compile("[0-9]{1,10}");

	private static final Pattern FIELD_SEPARATOR = Pattern.compile("[ \\t]+");

	private final Map<String, Object> values;

	private final Map<String, String> problems;

	private ProcStatus(Map<String, Object> values, Map<String, String> problems) {
		this.values = Collections.unmodifiableMap(values);
		this.problems = Collections.unmodifiableMap(problems);
	}

	/**
	 * Parses the bytes of a status file; {@code source} names it in reasons. Bytes are decoded as ISO-8859-1: the
	 * lines used are ASCII, and the {@code Name:} line may hold any bytes a process put into its name.
	 */
	static ProcStatus parse(byte[] content, String source) {
		return parse(new String(content, StandardCharsets.ISO_8859_1), source);
	}

	/** Parses the text of a status file; {@code source} names it in reasons. */
	static ProcStatus parse(String text, String source) {
		Map<String, String> lines = new HashMap<>();
		Map<String, Integer> counts = new HashMap<>();
		for (String line : text.split("\n", -1)) {
			int colon = line.indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String key = line.substring(0, colon);
			if (key.equals("Uid") || key.equals("NoNewPrivs") || key.equals("Seccomp")) {
				lines.put(key, strip(line.substring(colon + 1)));
				counts.merge(key, 1, Integer::sum);
			}
		}
		Map<String, Object> values = new LinkedHashMap<>();
		Map<String, String> problems = new LinkedHashMap<>();
		String uid = line(lines, counts, "Uid", source, "", problems, REAL_UID, SAVED_UID);
		if (uid != null) {
			String[] fields = FIELD_SEPARATOR.split(uid);
			Long real = (fields.length == 4) ? id(fields[0]) : null;
			Long saved = (fields.length == 4) ? id(fields[2]) : null;
			if (real != null && saved != null && id(fields[1]) != null && id(fields[3]) != null) {
				values.put(REAL_UID, real);
				values.put(SAVED_UID, saved);
			}
			else {
				String reason = malformed(source, "Uid", uid, "four uids: real, effective, saved, filesystem");
				problems.put(REAL_UID, reason);
				problems.put(SAVED_UID, reason);
			}
		}
		String noNewPrivs = line(lines, counts, "NoNewPrivs", source, " (the kernel is older than Linux 4.10)",
				problems, NO_NEW_PRIVS);
		if (noNewPrivs != null) {
			switch (noNewPrivs) {
				case "0" -> values.put(NO_NEW_PRIVS, Boolean.FALSE);
				case "1" -> values.put(NO_NEW_PRIVS, Boolean.TRUE);
				default -> problems.put(NO_NEW_PRIVS, malformed(source, "NoNewPrivs", noNewPrivs, "0 or 1"));
			}
		}
		String seccomp = line(lines, counts, "Seccomp", source,
				" (the kernel is built without seccomp or older than Linux 3.8)", problems, SECCOMP);
		if (seccomp != null) {
			switch (seccomp) {
				case "0", "1", "2" -> values.put(SECCOMP, Long.valueOf(seccomp));
				default -> problems.put(SECCOMP, malformed(source, "Seccomp", seccomp, "0, 1 or 2"));
			}
		}
		return new ProcStatus(values, problems);
	}

	/** The value of a line that occurs exactly once; otherwise records why for each of its facts. */
	private static @Nullable String line(Map<String, String> lines, Map<String, Integer> counts, String key, String source,
			String whyMissing, Map<String, String> problems, String... facts) {
		int count = counts.getOrDefault(key, 0);
		@Nullable String reason = null;
		if (count == 0) {
			reason = source + " has no '" + key + ":' line" + whyMissing;
		}
		else if (count > 1) {
			reason = source + " has " + count + " '" + key + ":' lines";
		}
		if (reason != null) {
			for (String fact : facts) {
				problems.put(fact, reason);
			}
			return null;
		}
		return lines.get(key);
	}

	private static @Nullable Long id(String field) {
		if (!ID.matcher(field).matches()) {
			return null;
		}
		long value = Long.parseLong(field);
		return (value <= MAX_ID) ? value : null;
	}

	/** Leading and trailing blanks and tabs (the kernel separates key and value with a tab). */
	private static String strip(String value) {
		int start = 0;
		int end = value.length();
		while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
			start++;
		}
		while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
			end--;
		}
		return value.substring(start, end);
	}

	private static String malformed(String source, String key, String value, String expected) {
		String shown = (value.length() > 80) ? value.substring(0, 77) + "..." : value;
		StringBuilder printable = new StringBuilder();
		for (int i = 0; i < shown.length(); i++) {
			char c = shown.charAt(i);
			printable.append((c < 0x20 || c > 0x7e) ? String.format("\\x%02x", (int) c) : String.valueOf(c));
		}
		return "malformed '" + key + ":' line in " + source + ": \"" + printable + "\" (expected " + expected + ")";
	}

	/** Facts read, by name: {@code real-uid}, {@code saved-uid} and {@code seccomp} as Long, {@code no-new-privs} as Boolean. */
	Map<String, Object> values() {
		return this.values;
	}

	/** Facts that could not be read, by name, with the reason. */
	Map<String, String> problems() {
		return this.problems;
	}

}
