package dev.peergate.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever text a peer sends, its escaped form is one line, no longer than the bound plus the marker, free of every
 * character that could break or reorder a line, and it reads back to exactly the text (or, when cut, to the start of
 * it, with the marker counting the rest). The normal test run replays the seed inputs next to this class (two bytes
 * of bound, then UTF-16 text, so unpaired surrogates can be seeded); run with {@code JAZZER_FUZZ=1} to fuzz.
 */
class LogTextFuzzTests {

	private static final Pattern MARKER = Pattern.compile("\\.\\.\\.\\[(\\d+) more chars]$");

	@FuzzTest(maxDuration = "30s")
	void escapesAnyTextIntoOneBoundedLine(byte[] data) {
		if (data.length < 2) {
			return;
		}
		int max = (data[0] & 0xff) | ((data[1] & 0x07) << 8);
		StringBuilder text = new StringBuilder();
		for (int i = 2; i + 1 < data.length; i += 2) {
			text.append((char) (((data[i] & 0xff) << 8) | (data[i + 1] & 0xff)));
		}
		assertSafe(text.toString(), LogText.escape(text, max), max);
	}

	/** The properties every escaped text has; also used by the property test in {@link LogTextTests}. */
	static void assertSafe(String text, String escaped, int max) {
		for (int i = 0; i < escaped.length(); i++) {
			char c = escaped.charAt(i);
			assertThat(c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\u061c'
					|| c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
					|| (c >= '\u2066' && c <= '\u2069'))
				.as("character U+%04x at %d of %s", (int) c, i, escaped)
				.isFalse();
			if (Character.isHighSurrogate(c)) {
				assertThat(i + 1 < escaped.length() && Character.isLowSurrogate(escaped.charAt(i + 1))).isTrue();
				i++;
			}
			else {
				assertThat(Character.isLowSurrogate(c)).as("unpaired low surrogate at %d", i).isFalse();
			}
		}
		if (unescape(escaped).equals(text)) {
			assertThat(escaped.length()).isLessThanOrEqualTo(max);
			return;
		}
		Matcher marker = MARKER.matcher(escaped);
		assertThat(marker.find()).as("marker at the end of %s", escaped).isTrue();
		String shown = escaped.substring(0, marker.start());
		assertThat(shown.length()).isLessThanOrEqualTo(max);
		String prefix = unescape(shown);
		assertThat(text).startsWith(prefix);
		assertThat(Integer.parseInt(marker.group(1))).isEqualTo(text.length() - prefix.length());
	}

	/** The inverse of the escaping (the test's own, so that a bug in one is not mirrored in the other). */
	private static String unescape(String escaped) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < escaped.length(); i++) {
			char c = escaped.charAt(i);
			if (c != '\\') {
				out.append(c);
				continue;
			}
			char next = escaped.charAt(++i);
			switch (next) {
				case '\\' -> out.append('\\');
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'u' -> {
					out.append((char) Integer.parseInt(escaped.substring(i + 1, i + 5), 16));
					i += 4;
				}
				default -> throw new AssertionError("unknown escape \\" + next + " in " + escaped);
			}
		}
		return out.toString();
	}

}
