package dev.peergate.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Peer text made safe for one log line. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogTextTests {

	static final String FORGED = "\n2026-12-07T10:00:00.000Z ERROR 1 --- [main] forged: pwned";

	@Test
	void returnsPlainTextUnchanged() {
		String text = "uid=1000 user=alice executable-path=/usr/bin/cli";
		assertThat(LogText.escape(text)).isSameAs(text);
	}

	@Test
	void escapesLineBreaksSoAForgedLineStaysOnTheSameLine() {
		assertThat(LogText.escape("bad" + FORGED))
			.isEqualTo("bad\\n2026-12-07T10:00:00.000Z ERROR 1 --- [main] forged: pwned")
			.doesNotContain("\n");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			0a | \\n
			0d | \\r
			09 | \\t
			00 | \\u0000
			1b | \\u001b
			0b | \\u000b
			0c | \\u000c
			7f | \\u007f
			85 | \\u0085
			9b | \\u009b
			2028 | \\u2028
			2029 | \\u2029
			202e | \\u202e
			202a | \\u202a
			2066 | \\u2066
			2069 | \\u2069
			200e | \\u200e
			200f | \\u200f
			061c | \\u061c
			d800 | \\ud800
			dfff | \\udfff
			""")
	void escapesControlLineSeparatorAndBidiCharactersVisibly(String hex, String escaped) {
		char c = (char) Integer.parseInt(hex, 16);
		assertThat(LogText.escape("a" + c + "b")).isEqualTo("a" + escaped + "b");
	}

	@Test
	void escapesBackslashSoThatEscapesAreUnambiguous() {
		// a literal backslash-n and a line feed must not read the same
		assertThat(LogText.escape("\\n")).isEqualTo("\\\\n");
		assertThat(LogText.escape("\n")).isEqualTo("\\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "é", "日本語", "😀", "Ünïcödé path /opt/ä" })
	void keepsPrintableNonAsciiText(String text) {
		assertThat(LogText.escape(text)).isEqualTo(text);
	}

	@Test
	void truncatesLongTextWithAMarkerCountingTheCharactersCut() {
		String escaped = LogText.escape("x".repeat(2000));
		assertThat(escaped).isEqualTo("x".repeat(512) + "...[1488 more chars]");
	}

	@Test
	void boundsTheEscapedLengthNotTheInputLength() {
		// each line feed becomes two characters: 512 characters of output hold 256 of them
		String escaped = LogText.escape("\n".repeat(1000));
		assertThat(escaped).isEqualTo("\\n".repeat(256) + "...[744 more chars]");
	}

	@Test
	void neverCutsAnEscapeOrASurrogatePairInHalf() {
		assertThat(LogText.escape("ab\u001b", 4)).isEqualTo("ab...[1 more chars]");
		assertThat(LogText.escape("abc😀", 4)).isEqualTo("abc...[2 more chars]");
		assertThat(LogText.escape("ab😀", 4)).isEqualTo("ab😀");
	}

	@Test
	void writesNullAsTheWordNull() {
		assertThat(LogText.escape((CharSequence) null)).isEqualTo("null");
	}

	@Test
	void refusesANegativeBound() {
		assertThatIllegalArgumentException().isThrownBy(() -> LogText.escape("x", -1));
	}

	@Test
	void escapedOutputOfRandomTextIsOneBoundedLineThatReadsBackToTheInput() {
		// a property test over an alphabet rich in what matters: every escape, pairs, halves of pairs, plain text
		char[] alphabet = { 'a', 'Z', ' ', '\\', 'n', 'u', '\n', '\r', '\t', '\0', '\u001b', '\u007f', '\u0085',
				'\u009f', '\u2028', '\u2029', '\u202e', '\u2067', '\u200f', '\u061c', '\ud83d', '\ude00', 'é', '日' };
		Random random = new Random(20261207);
		for (int run = 0; run < 20_000; run++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(80);
			for (int i = 0; i < length; i++) {
				text.append(alphabet[random.nextInt(alphabet.length)]);
			}
			int max = 8 + random.nextInt(600);
			String escaped = LogText.escape(text, max);
			LogTextFuzzTests.assertSafe(text.toString(), escaped, max);
		}
	}

	@Test
	void copiesAThrowableWithEscapedMessageAndTheSameStackTrace() {
		IllegalStateException original = new IllegalStateException("bad" + FORGED);
		Throwable escaped = LogText.escape(original);
		assertThat(escaped.toString()).isEqualTo("java.lang.IllegalStateException: bad\\n2026-12-07T10:00:00.000Z "
				+ "ERROR 1 --- [main] forged: pwned");
		assertThat(escaped.getStackTrace()).isEqualTo(original.getStackTrace());
		assertThat(printed(escaped).lines()).noneMatch((line) -> line.startsWith("2026-12-07"));
		assertThat(printed(escaped)).contains("\tat " + original.getStackTrace()[0]);
	}

	@Test
	void escapesCausesAndSuppressedExceptionsToo() {
		IllegalArgumentException cause = new IllegalArgumentException("cause" + FORGED);
		RuntimeException original = new RuntimeException("outer", cause);
		original.addSuppressed(new IllegalStateException("suppressed" + FORGED));
		String printed = printed(LogText.escape(original));
		assertThat(printed).contains("Caused by: java.lang.IllegalArgumentException: cause\\n2026",
				"Suppressed: java.lang.IllegalStateException: suppressed\\n2026");
		assertThat(printed.lines()).noneMatch((line) -> line.startsWith("2026-12-07"));
	}

	@Test
	void boundsTheDepthOfACauseChain() {
		Throwable failure = new RuntimeException("0");
		for (int i = 1; i < 100; i++) {
			failure = new RuntimeException(String.valueOf(i), failure);
		}
		Throwable escaped = LogText.escape(failure);
		int depth = 0;
		for (Throwable t = escaped; t != null; t = t.getCause()) {
			depth++;
		}
		assertThat(depth).isEqualTo(LogText.MAX_CAUSE_DEPTH + 1);
	}

	@Test
	void boundsTheDepthOfAChainOfSuppressedExceptions() {
		Throwable failure = new RuntimeException("0");
		for (int i = 1; i < 100; i++) {
			RuntimeException outer = new RuntimeException(String.valueOf(i));
			outer.addSuppressed(failure);
			failure = outer;
		}
		Throwable escaped = LogText.escape(failure);
		int depth = 0;
		for (Throwable t = escaped; t != null; t = (t.getSuppressed().length > 0) ? t.getSuppressed()[0] : null) {
			depth++;
		}
		assertThat(depth).isEqualTo(LogText.MAX_CAUSE_DEPTH + 1);
	}

	@Test
	void givesTheOriginalClassAndEscapedMessageAsTheMessageOfTheCopy() {
		assertThat(LogText.escape(new IllegalStateException("bad\nline")).getMessage())
			.isEqualTo("java.lang.IllegalStateException: bad\\nline");
	}

	@Test
	void cutsEverythingAtABoundOfZero() {
		assertThat(LogText.escape("abc", 0)).isEqualTo("...[3 more chars]");
		assertThat(LogText.escape("", 0)).isEmpty();
	}

	@Test
	void copiesACyclicCauseChainWithoutLooping() {
		RuntimeException first = new RuntimeException("first");
		RuntimeException second = new RuntimeException("second", first);
		first.initCause(second);
		assertThat(printed(LogText.escape(first))).contains("first", "second");
	}

	@Test
	void keepsANullMessageAbsent() {
		assertThat(LogText.escape(new NullPointerException()).toString()).isEqualTo("java.lang.NullPointerException");
	}

	private static String printed(Throwable throwable) {
		StringWriter out = new StringWriter();
		throwable.printStackTrace(new PrintWriter(out));
		return out.toString();
	}

}
