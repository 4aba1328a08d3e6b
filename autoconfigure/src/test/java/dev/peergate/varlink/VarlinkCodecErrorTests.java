package dev.peergate.varlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.peergate.varlink.VarlinkProtocolException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Each broken message is named for what is wrong with it, in protocol terms: the message reaches the peer and the
 * log, so it never names a Java type or Jackson's internals.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VarlinkCodecErrorTests {

	private final VarlinkCodec codec = new VarlinkCodec(16);

	private final VarlinkCodec small = new VarlinkCodec(16, 20, 30, 10);

	@Test
	void namesANumberOverAThousandDigitsTooLongNumberNotTooDeep() {
		String number = "1".repeat(1001);
		VarlinkProtocolException ex = refusal(this.codec, "{\"method\":\"a.b.C\",\"parameters\":{\"n\":" + number + "}}");
		assertThat(ex.kind()).isEqualTo(Kind.TOO_LONG_NUMBER);
		assertThat(ex.kind().tag()).isEqualTo("too-long-number");
		assertThat(ex.getMessage()).startsWith("number longer than 1000 characters");
	}

	@Test
	void acceptsANumberOfAThousandDigits() {
		String number = "1".repeat(1000);
		assertThat(this.codec.decodeRequest(utf8("{\"method\":\"a.b.C\",\"parameters\":{\"n\":" + number + "}}"))
			.parameters()).containsKey("n");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"method":"a.b.C","parameters":{"n":123456789012345678901}}       | too-long-number
			{"method":"a.b.C","parameters":{"n":1.23456789012345678901}}      | too-long-number
			{"method":"a.b.C","parameters":{"s":"0123456789012345678901234567890"}} | too-long-string
			{"method":"a.b.C","parameters":{"01234567890":1}}                 | too-long-name
			{"method":"a.b.C","parameters":{"x":[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]}} | too-deep
			""")
	void namesEachLimitForWhatWasTooLong(String frame, String kind) {
		assertThat(refusal(this.small, frame).kind().tag()).isEqualTo(kind);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			[1,2]                                         | expected a JSON object, got an array at line 1, column 1
			"text"                                        | expected a JSON object, got a string at line 1, column 1
			42                                            | expected a JSON object, got a number at line 1, column 1
			null                                          | expected a JSON object, got null at line 1, column 1
			'   '                                         | empty message, expected a JSON object
			{"method":"a.b.C"} []                         | unexpected data after the JSON object (an array) at line 1, column 20
			{"method":1}                                  | method must be a non-empty string, got a number
			{"method":""}                                 | method must be a non-empty string, got an empty string
			{"method":true}                               | method must be a non-empty string, got true
			{"method":"a.b.C","parameters":false}         | parameters must be an object, got false
			{}                                            | method must be a non-empty string, got null
			{"method":"a.b.C","parameters":[]}            | parameters must be an object, got an array
			{"method":"a.b.C","oneway":"true"}            | oneway must be a boolean, got a string
			{"method":"a.b.C","more":{}}                  | more must be a boolean, got an object
			{"method":"a.b.C",                            | message ends inside a JSON value at line 1, column 19
			{"method":"a.b.C","method":"a.b.D"}           | duplicate key "method" at line 1, column 27
			{"method":"a.b.C"}}                           | unexpected '}' at line 1, column 19
			{method:"a.b.C"}                              | unexpected character U+006D at line 1, column 2
			{"method":"a.b.C","parameters":{"x":tru}}     | unrecognized token: expected a string, number, object, array, true, false or null at line 1, column 37
			{"method":"a.b.C","parameters":{"x":01}}      | invalid number at line 1, column 38
			{"method":"a\\qb"}                            | invalid escape sequence U+0071 in a string at line 1, column 14
			""")
	void describesWhatWasExpectedWithThePosition(String frame, String message) {
		assertThat(refusal(this.codec, frame).getMessage()).isEqualTo(message);
	}

	@Test
	void namesAnUnescapedControlCharacterInAString() {
		assertThat(refusal(this.codec, "{\"method\":\"a.b\nC\"}").getMessage())
			.isEqualTo("unescaped control character U+000A in a string at line 1, column 15");
	}

	@Test
	void namesAControlCharacterBetweenTokensAndAByteOrderMark() {
		assertThat(refusal(this.codec, "{\"method\":\"a.b.C\"}\0").getMessage())
			.isEqualTo("control character U+0000 between JSON tokens at line 1, column 19");
		assertThat(refusal(this.codec, "\uFEFF{\"method\":\"a.b.C\"}").getMessage())
			.isEqualTo("unexpected character U+FEFF at line 1, column 1");
	}

	@Test
	void givesTheByteOffsetOfInvalidUtf8() {
		byte[] frame = { '{', '"', 'm', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}' };
		VarlinkProtocolException ex = catchThrowableOfType(VarlinkProtocolException.class,
				() -> this.codec.decodeRequest(frame));
		assertThat(ex.getMessage()).isEqualTo("message is not valid UTF-8 at byte 6");
	}

	@Test
	void refusesAFrameWithoutASingleAsciiByteAsInvalidUtf8() {
		byte[] frame = { (byte) 0xc0, (byte) 0xaf };
		VarlinkProtocolException ex = catchThrowableOfType(VarlinkProtocolException.class,
				() -> this.codec.decodeRequest(frame));
		assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
		assertThat(ex.getMessage()).isEqualTo("message is not valid UTF-8 at byte 0");
	}

	@Test
	void acceptsAStringAndAKeyOfExactlyTheLimit() {
		String frame = "{\"method\":\"a.b.C\",\"parameters\":{\"" + "k".repeat(10) + "\":\"" + "s".repeat(30) + "\"}}";
		assertThat(this.small.decodeRequest(utf8(frame)).parameters()).containsEntry("k".repeat(10), "s".repeat(30));
		assertThat(this.small.maxDepth()).isEqualTo(16);
	}

	@Test
	void escapesPeerTextQuotedInAMessage() {
		String key = "k\n2026-12-07T10:00:00.000Z ERROR forged";
		String json = "{\"method\":\"a.b.C\",\"parameters\":{\"" + key.replace("\n", "\\n") + "\":1,\""
				+ key.replace("\n", "\\n") + "\":2}}";
		assertThat(refusal(this.codec, json).getMessage()).contains("duplicate key \"k\\n2026-12-07T10")
			.doesNotContain("\n");
	}

	@Test
	void describesMalformedRepliesInProtocolTerms() {
		assertThatExceptionOfType(VarlinkProtocolException.class)
			.isThrownBy(() -> this.codec.decodeReply(utf8("{\"error\":42}")))
			.withMessage("error must be a string, got a number");
		assertThatExceptionOfType(VarlinkProtocolException.class)
			.isThrownBy(() -> this.codec.decodeReply(utf8("{\"parameters\":{},\"continues\":\"yes\"}")))
			.withMessage("continues must be a boolean, got a string");
	}

	@ParameterizedTest
	@MethodSource("malformedFrames")
	void neverNamesJavaTypesOrJacksonInternals(byte[] frame) {
		for (VarlinkCodec each : List.of(this.codec, this.small)) {
			for (boolean request : new boolean[] { true, false }) {
				try {
					if (request) {
						each.decodeRequest(frame);
					}
					else {
						each.decodeReply(frame);
					}
				}
				catch (VarlinkProtocolException ex) {
					assertThat(ex.getMessage()).isNotBlank()
						.doesNotContain("java.", "tools.jackson", "com.fasterxml", "LinkedHashMap", "Class", "class ",
								"`", "Feature", "Source:", "REDACTED", "token (of type", "START_", "VALUE_",
								"Exception", "Input length", "Cannot deserialize", "(code ", "\n", "\r");
				}
			}
		}
	}

	/** The fuzz seeds of the codec and the listener, and frames built to reach each branch. */
	static Stream<byte[]> malformedFrames() {
		List<byte[]> frames = new ArrayList<>();
		for (String directory : List.of("/dev/peergate/varlink/VarlinkCodecFuzzTestsInputs/decodesAnyBytesOrRefusesThem",
				"/dev/peergate/unix/UnixListenerFuzzTestsInputs/anyBytesEndInVarlinkRepliesOrCloseAndLeaveOthersServed")) {
			try (Stream<Path> seeds = Files.list(Path.of(VarlinkCodecErrorTests.class.getResource(directory).toURI()))) {
				for (Path seed : seeds.sorted().toList()) {
					frames.add(Files.readAllBytes(seed));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (URISyntaxException ex) {
				throw new IllegalStateException(ex);
			}
		}
		for (String text : List.of("", " ", "[]", "[{}]", "\"x\"", "1", "1.5e999999", "-", "true", "false", "null",
				"{", "}", "{]", "{\"method\"}", "{\"method\":}", "{\"method\":\"a\",}", "{\"method\":\"a\"} x",
				"{\"method\":\"a\"} {}", "{\"method\":\"a\"}\0", "{\"method\":\"\\u12\"}", "{\"method\":\"\\ud800\"}",
				"{\"method\":NaN}", "{\"method\":Infinity}", "{\"method\":-Infinity}", "{\"method\":'a'}",
				"{'method':\"a\"}", "{\"method\":\"a\"/* c */}", "{\"method\":\"a\",\"parameters\":{\"x\":1e99999}}",
				"{\"method\":\"a\",\"parameters\":{\"x\":" + "9".repeat(2000) + "}}",
				"{\"method\":\"a\",\"parameters\":{\"x\":0." + "9".repeat(2000) + "}}",
				"{\"method\":\"a\",\"parameters\":{\"x\":" + "[".repeat(100) + "}}", "{\"method\":[]}",
				"{\"method\":{}}", "{\"method\":true}", "{\"method\":\"a\",\"parameters\":true}",
				"{\"method\":\"a\",\"upgrade\":1}", "{\"error\":{},\"parameters\":{}}", "{\"error\":\"e\",\"parameters\":[]}",
				"{\"method\":\"a\",\"parameters\":{\"x\":\"\u0001\"}}", "{\"method\":\"a\u2028\"}", "\uFEFF{}",
				"{\"a\":1,\"a\":2}", "{\"method\":\"a\",\"parameters\":{\"x\":01}}", "{\"method\":\"a\",\"parameters\":{\"x\":+1}}",
				"{\"method\":\"a\",\"parameters\":{\"x\":.5}}", "{\"method\":\"a\",\"parameters\":{\"x\":1.}}",
				"{\"method\":\"a\",\"parameters\":{\"x\":1e}}", "{\"method\":\"a\",\"parameters\":{\"x\":--1}}")) {
			frames.add(utf8(text));
		}
		frames.add(new byte[] { (byte) 0xff, (byte) 0xfe, '{', 0, '}', 0 });
		frames.add(new byte[] { '{', '"', 'm', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}' });
		frames.add(new byte[] { '{', '"', 'm', '"', ':', '"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"',
				'}' });
		return frames.stream();
	}

	private static VarlinkProtocolException refusal(VarlinkCodec codec, String frame) {
		return catchThrowableOfType(VarlinkProtocolException.class, () -> codec.decodeRequest(utf8(frame)));
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
