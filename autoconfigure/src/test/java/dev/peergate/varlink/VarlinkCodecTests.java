package dev.peergate.varlink;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.varlink.VarlinkProtocolException.Kind;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class VarlinkCodecTests {

	private final VarlinkCodec codec = new VarlinkCodec(16);

	@Test
	void decodesACallWithParametersAndFlags() {
		IpcRequest request = this.codec.decodeRequest(utf8("""
				{"method":"com.example.helper.Install","parameters":{"name":"tool","n":2},"more":true,"oneway":false}"""));
		assertThat(request.method()).isEqualTo("com.example.helper.Install");
		assertThat(request.parameters()).containsExactly(Map.entry("name", "tool"), Map.entry("n", 2));
		assertThat(request.more()).isTrue();
		assertThat(request.oneway()).isFalse();
		assertThat(request.upgrade()).isFalse();
	}

	@Test
	void callWithoutParametersHasEmptyParameters() {
		assertThat(this.codec.decodeRequest(utf8("{\"method\":\"a.b.C\"}")).parameters()).isEmpty();
	}

	@Test
	void encodedReplyRoundTripsThroughTheClientDecoder() {
		Map<String, @Nullable Object> parameters = new LinkedHashMap<>();
		parameters.put("text", "grüße ✓ 𝄞");
		parameters.put("missing", null);
		byte[] encoded = this.codec.encodeReply(new IpcReply(null, parameters, true));
		IpcReply decoded = this.codec.decodeReply(encoded);
		assertThat(decoded.parameters()).isEqualTo(parameters);
		assertThat(decoded.continues()).isTrue();
		assertThat(decoded.error()).isNull();
	}

	@Test
	void encodedErrorReplyNamesTheError() {
		byte[] encoded = this.codec.encodeReply(new IpcReply("org.varlink.service.MethodNotFound",
				Map.of("method", "a.b.C"), false));
		assertThat(new String(encoded, StandardCharsets.UTF_8))
			.isEqualTo("{\"parameters\":{\"method\":\"a.b.C\"},\"error\":\"org.varlink.service.MethodNotFound\"}");
	}

	@Test
	void encodedCallWritesOnlyTheFlagsThatAreSet() {
		byte[] encoded = this.codec.encodeRequest(new IpcRequest("a.b.C", Map.of(), true, false, false));
		assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("{\"method\":\"a.b.C\",\"oneway\":true}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "{", "{\"method\":}", "{\"method\":\"a.b.C\",}", "{method:\"a.b.C\"}",
			"{'method':'a.b.C'}", "{\"method\":\"a.b.C\" /* c */}", "{\"method\":\"a.b.C\",\"parameters\":{\"n\":NaN}}",
			"{\"method\":\"a.b.C\",\"parameters\":{\"n\":01}}", "null", "[]", "\"a.b.C\"", "42" })
	void rejectsMalformedJson(String frame) {
		assertMalformed(utf8(frame));
	}

	@Test
	void rejectsAStringWithAnUnescapedControlCharacter() {
		assertMalformed(utf8("{\"method\":\"a.b\nC\"}"));
	}

	@Test
	void rejectsInvalidUtf8StartByteInAString() {
		assertMalformed(frame("{\"method\":\"a.b.C\",\"parameters\":{\"s\":\"", new byte[] { (byte) 0xff }, "\"}}"));
	}

	@Test
	void rejectsTruncatedUtf8SequenceInAString() {
		assertMalformed(frame("{\"method\":\"a.b.C\",\"parameters\":{\"s\":\"", new byte[] { (byte) 0xe2, (byte) 0x82 },
				"\"}}"));
	}

	@Test
	void rejectsOverlongUtf8Encoding() {
		// C0 AF is an overlong '/': accepting it lets one text have two encodings.
		assertMalformed(frame("{\"method\":\"a.b.C\",\"parameters\":{\"s\":\"", new byte[] { (byte) 0xc0, (byte) 0xaf },
				"\"}}"));
	}

	@Test
	void rejectsUtf8EncodedSurrogate() {
		// ED A0 80 is U+D800 encoded directly, which UTF-8 forbids (CESU-8).
		assertMalformed(frame("{\"method\":\"a.b.C\",\"parameters\":{\"s\":\"",
				new byte[] { (byte) 0xed, (byte) 0xa0, (byte) 0x80 }, "\"}}"));
	}

	@Test
	void rejectsCodePointBeyondUnicode() {
		// F4 90 80 80 would be U+110000.
		assertMalformed(frame("{\"method\":\"a.b.C\",\"parameters\":{\"s\":\"",
				new byte[] { (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80 }, "\"}}"));
	}

	@Test
	void rejectsInvalidUtf8InAFieldName() {
		assertMalformed(frame("{\"method\":\"a.b.C\",\"parameters\":{\"", new byte[] { (byte) 0xfe }, "\":1}}"));
	}

	@Test
	void rejectsInvalidUtf8OutsideStrings() {
		assertMalformed(frame("{\"method\":\"a.b.C\"", new byte[] { (byte) 0xc3 }, "}"));
	}

	@Test
	void rejectsUtf16EncodedMessage() {
		assertMalformed("{\"method\":\"a.b.C\"}".getBytes(StandardCharsets.UTF_16LE));
	}

	@Test
	void rejectsTrailingData() {
		assertMalformed(utf8("{\"method\":\"a.b.C\"} {\"method\":\"a.b.D\"}"));
		assertMalformed(utf8("{\"method\":\"a.b.C\"}x"));
		assertMalformed(utf8("{\"method\":\"a.b.C\"}}"));
	}

	@Test
	void acceptsTrailingWhitespace() {
		assertThat(this.codec.decodeRequest(utf8("{\"method\":\"a.b.C\"} \n")).method()).isEqualTo("a.b.C");
	}

	@Test
	void rejectsDuplicateKeys() {
		// Two readers could disagree on which "method" counts; refuse instead of picking one.
		assertMalformed(utf8("{\"method\":\"a.b.C\",\"method\":\"a.b.D\"}"));
		assertMalformed(utf8("{\"method\":\"a.b.C\",\"parameters\":{\"x\":1,\"x\":2}}"));
	}

	@Test
	void rejectsNestingDeeperThanTheLimit() {
		String deep = "[".repeat(20) + "]".repeat(20);
		assertThatExceptionOfType(VarlinkProtocolException.class)
			.isThrownBy(() -> this.codec
				.decodeRequest(utf8("{\"method\":\"a.b.C\",\"parameters\":{\"x\":" + deep + "}}")))
			.satisfies(ex -> assertThat(ex.kind()).isEqualTo(Kind.TOO_DEEP));
	}

	@Test
	void acceptsNestingAtTheLimit() {
		// The message object and parameters take two levels; 14 arrays reach the limit of 16.
		String deep = "[".repeat(14) + "]".repeat(14);
		assertThat(this.codec.decodeRequest(utf8("{\"method\":\"a.b.C\",\"parameters\":{\"x\":" + deep + "}}"))
			.parameters()).containsKey("x");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"method\":\"\"}", "{\"method\":1}", "{\"method\":null}", "{\"method\":[\"a.b.C\"]}",
			"{\"method\":\"a.b.C\",\"parameters\":[]}", "{\"method\":\"a.b.C\",\"parameters\":\"x\"}",
			"{\"method\":\"a.b.C\",\"oneway\":\"true\"}", "{\"method\":\"a.b.C\",\"more\":1}",
			"{\"method\":\"a.b.C\",\"upgrade\":{}}" })
	void rejectsCallsWithWronglyTypedFields(String frame) {
		assertMalformed(utf8(frame));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"error\":42}", "{\"parameters\":[]}", "{\"continues\":\"yes\"}" })
	void rejectsRepliesWithWronglyTypedFields(String frame) {
		assertThatExceptionOfType(VarlinkProtocolException.class).isThrownBy(() -> this.codec.decodeReply(utf8(frame)))
			.satisfies(ex -> assertThat(ex.kind()).isEqualTo(Kind.MALFORMED));
	}

	@Test
	void nullFlagsAndParametersMeanAbsent() {
		IpcRequest request = this.codec
			.decodeRequest(utf8("{\"method\":\"a.b.C\",\"parameters\":null,\"oneway\":null,\"more\":null}"));
		assertThat(request.parameters()).isEmpty();
		assertThat(request.oneway()).isFalse();
		assertThat(request.more()).isFalse();
	}

	@Test
	void keepsLargeIntegersExact() {
		IpcRequest request = this.codec
			.decodeRequest(utf8("{\"method\":\"a.b.C\",\"parameters\":{\"big\":123456789012345678901234567890}}"));
		assertThat(request.parameters().get("big")).hasToString("123456789012345678901234567890");
	}

	private void assertMalformed(byte[] frame) {
		assertThatExceptionOfType(VarlinkProtocolException.class).isThrownBy(() -> this.codec.decodeRequest(frame))
			.satisfies(ex -> assertThat(ex.kind()).isEqualTo(Kind.MALFORMED));
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] frame(String before, byte[] raw, String after) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(utf8(before));
		out.writeBytes(raw);
		out.writeBytes(utf8(after));
		return out.toByteArray();
	}


}
