package dev.peergate.core;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Makes text a peer controls (executable paths, unit names, call parameters echoed in exception messages) safe for
 * one log line: it can neither start a new line nor reorder what a terminal shows, and it cannot flood the log.
 * <p>
 * Escaped visibly, so that a reader sees what the peer sent: line feed, carriage return and tab as {@code \n},
 * {@code \r}, {@code \t}; every other C0 and C1 control character, DEL, the Unicode line and paragraph separators
 * (U+2028, U+2029), the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and unpaired
 * surrogates as {@code \}{@code uXXXX}. The backslash itself is doubled, so {@code \n} in the output always means a
 * line feed in the input and never a backslash followed by {@code n}. Text longer than the bound is cut (never
 * inside a surrogate pair) and ends with a marker that says how many characters were left out.
 *
 * <pre>{@code
 * logger.log(WARNING, "Handler failed: " + LogText.escape(ex.getMessage()));
 * // Handler failed: bad input\n2026-12-07T10:00:00.000Z ERROR forged
 * }</pre>
 */
public final class LogText {

	/**
	 * Default bound, in characters of output before the marker: enough for any path or message worth reading,
	 * small enough that a peer cannot turn one call into kilobytes of log.
	 */
	public static final int DEFAULT_MAX_LENGTH = 512;

	/** Causes (and suppressed exceptions) followed by {@link #escape(Throwable)}; deeper chains are cut. */
	static final int MAX_CAUSE_DEPTH = 8;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private LogText() {
	}

	/** {@code text} escaped and cut to {@value #DEFAULT_MAX_LENGTH} characters; {@code null} becomes "null". */
	public static String escape(@Nullable CharSequence text) {
		return escape(text, DEFAULT_MAX_LENGTH);
	}

	/**
	 * {@code text} escaped, with at most {@code maxLength} characters of escaped text followed, when the text was
	 * cut, by a marker such as {@code ...[1234 more chars]} (the count is of input characters left out).
	 */
	public static String escape(@Nullable CharSequence text, int maxLength) {
		if (maxLength < 0) {
			throw new IllegalArgumentException("'maxLength' must not be negative");
		}
		if (text == null) {
			return "null";
		}
		if (isPlain(text, maxLength)) {
			return text.toString(); // the common case costs no copy
		}
		StringBuilder out = new StringBuilder(Math.min(text.length(), maxLength) + 24);
		int length = text.length();
		int i = 0;
		while (i < length) {
			char c = text.charAt(i);
			int consumed = 1;
			int mark = out.length();
			if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				out.append(c).append(text.charAt(i + 1)); // a pair is one character: never cut in between
				consumed = 2;
			}
			else {
				append(out, c);
			}
			if (out.length() > maxLength) {
				out.setLength(mark);
				break;
			}
			i += consumed;
		}
		if (i < length) {
			out.append("...[").append(length - i).append(" more chars]");
		}
		return out.toString();
	}

	/**
	 * A copy of {@code failure} fit for a logger that prints stack traces: the same stack trace, its
	 * {@link Throwable#toString()} is the original class name and the {@link #escape escaped} message, and its
	 * causes and suppressed exceptions are copied alike, up to {@value #MAX_CAUSE_DEPTH} deep. Loggers that print
	 * {@code getClass().getName()} rather than {@code toString()} (Logback, Log4j) show this class first, then the
	 * original class name and message.
	 *
	 * <pre>{@code
	 * logger.log(WARNING, "Handler failed", LogText.escape(failure));
	 * }</pre>
	 */
	public static Throwable escape(Throwable failure) {
		return copy(failure, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
	}

	private static EscapedThrowable copy(Throwable failure, Set<Throwable> seen, int depth) {
		seen.add(failure);
		boolean deeper = depth < MAX_CAUSE_DEPTH;
		Throwable cause = failure.getCause();
		EscapedThrowable copy = new EscapedThrowable(failure,
				(deeper && cause != null && !seen.contains(cause)) ? copy(cause, seen, depth + 1) : null);
		if (deeper) {
			for (Throwable suppressed : failure.getSuppressed()) {
				if (!seen.contains(suppressed)) {
					copy.addSuppressed(copy(suppressed, seen, depth + 1));
				}
			}
		}
		return copy;
	}

	private static boolean isPlain(CharSequence text, int maxLength) {
		if (text.length() > maxLength) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c >= 0x7f || c == '\\') {
				return false;
			}
		}
		return true;
	}

	private static void append(StringBuilder out, char c) {
		switch (c) {
			case '\\' -> out.append("\\\\");
			case '\n' -> out.append("\\n");
			case '\r' -> out.append("\\r");
			case '\t' -> out.append("\\t");
			default -> {
				if (mustEscape(c)) {
					out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
						.append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
				}
				else {
					out.append(c);
				}
			}
		}
	}

	private static boolean mustEscape(char c) {
		return c < 0x20 // C0
				|| (c >= 0x7f && c <= 0x9f) // DEL, C1 (including NEL, U+0085)
				|| c == '\u061c' // Arabic letter mark
				|| c == '\u200e' || c == '\u200f' // left-to-right and right-to-left marks
				|| c == '\u2028' || c == '\u2029' // line and paragraph separators
				|| (c >= '\u202a' && c <= '\u202e') // embeddings and overrides
				|| (c >= '\u2066' && c <= '\u2069') // isolates
				|| Character.isSurrogate(c); // only unpaired ones reach this point
	}

	/** Stands in for a throwable whose message a peer may control, for the length of one log call. */
	static final class EscapedThrowable extends Throwable {

		private static final long serialVersionUID = 1L;

		private final String text;

		EscapedThrowable(Throwable original, @Nullable Throwable cause) {
			super(null, cause, true, true);
			String message = original.getMessage();
			this.text = original.getClass().getName() + ((message != null) ? ": " + escape(message) : "");
			setStackTrace(original.getStackTrace());
		}

		/** The original class name and escaped message, so that loggers printing only the message show both. */
		@Override
		public String getMessage() {
			return this.text;
		}

		/** As the original's {@code toString()} reads, with the message escaped. */
		@Override
		public String toString() {
			return this.text;
		}

		/** The stack trace is the original's: filling in our own would only cost time. */
		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

	}

}
