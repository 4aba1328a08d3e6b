package dev.peergate.varlink;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.peergate.core.LogText;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.OutgoingDescriptors;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes and decodes varlink messages (one JSON object per message, without the terminating NUL, which the
 * framing layer handles). Strict: invalid UTF-8 (overlong forms, surrogates and non-UTF-8 encodings included),
 * duplicate keys, trailing data, nesting deeper than the limit and wrongly typed fields are
 * {@link VarlinkProtocolException}s.
 *
 * <pre>{@code
 * VarlinkCodec codec = new VarlinkCodec(64);
 * IpcRequest request = codec.decodeRequest(frame);
 * byte[] out = codec.encodeReply(IpcReply.of(Map.of("ok", true)));
 * }</pre>
 */
public final class VarlinkCodec {

	private static final TypeReference<LinkedHashMap<String, @Nullable Object>> MAP = new TypeReference<>() {
	};

	/** Digits of a number: Jackson's default, enough for any integer or float a varlink type can hold. */
	static final int DEFAULT_MAX_NUMBER_LENGTH = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;

	/** Characters of a string value; the transport's message size limit is usually the smaller bound. */
	static final int DEFAULT_MAX_STRING_LENGTH = StreamReadConstraints.DEFAULT_MAX_STRING_LEN;

	/** Characters of an object key. */
	static final int DEFAULT_MAX_NAME_LENGTH = StreamReadConstraints.DEFAULT_MAX_NAME_LEN;

	private static final Pattern CHARACTER_CODE = Pattern.compile("code (\\d+)[ )]");

	private static final Pattern CLOSE_MARKER = Pattern.compile("^Unexpected close marker '([\\]}])'");

	private static final Pattern DUPLICATE_KEY = Pattern.compile("^Duplicate (?:Object property|field) \"(.*)\"$",
			Pattern.DOTALL);

	private final JsonMapper mapper;

	private final int maxDepth;

	/** A codec refusing messages nested deeper than {@code maxDepth}. */
	public VarlinkCodec(int maxDepth) {
		this(maxDepth, DEFAULT_MAX_NUMBER_LENGTH, DEFAULT_MAX_STRING_LENGTH, DEFAULT_MAX_NAME_LENGTH);
	}

	/** A codec with explicit length limits (tests reach them without megabytes of input). */
	VarlinkCodec(int maxDepth, int maxNumberLength, int maxStringLength, int maxNameLength) {
		this.maxDepth = maxDepth;
		// Duplicate keys are refused: two readers of one message must never disagree on its "method".
		JsonFactory factory = JsonFactory.builder()
			.streamReadConstraints(
					new NamedConstraints(maxDepth, maxNumberLength, maxStringLength, maxNameLength))
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.build();
		// Trailing data is refused by decodeObject itself: Jackson's own message would name Java types.
		this.mapper = JsonMapper.builder(factory)
			.disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.addModule(OutgoingDescriptors.module())
			.build();
	}

	/** Maximum nesting depth accepted. */
	public int maxDepth() {
		return this.maxDepth;
	}

	/** Decodes a call. */
	public IpcRequest decodeRequest(byte[] frame) {
		Map<String, @Nullable Object> message = decodeObject(frame);
		Object method = message.get("method");
		if (!(method instanceof String name) || name.isEmpty()) {
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED,
					"method must be a non-empty string, got " + describe(method));
		}
		return new IpcRequest(name, parameters(message), flag(message, "oneway"), flag(message, "more"),
				flag(message, "upgrade"));
	}

	/** Decodes a reply (client side). */
	public IpcReply decodeReply(byte[] frame) {
		Map<String, @Nullable Object> message = decodeObject(frame);
		Object error = message.get("error");
		if (error != null && !(error instanceof String)) {
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED,
					"error must be a string, got " + describe(error));
		}
		return new IpcReply((String) error, parameters(message), flag(message, "continues"));
	}

	private JsonGenerator generator(OutputStream out, @Nullable OutgoingDescriptors descriptors) {
		return (descriptors != null)
				? this.mapper.writer().withAttribute(OutgoingDescriptors.ATTRIBUTE, descriptors).createGenerator(out)
				: this.mapper.createGenerator(out);
	}

	/** Encodes a call (client side). Flags are written only when set, as the varlink reference does. */
	public byte[] encodeRequest(IpcRequest request) {
		return encodeRequest(request, null);
	}

	/**
	 * Encodes a call whose parameters may carry file descriptors, taken into {@code descriptors} (client side).
	 */
	public byte[] encodeRequest(IpcRequest request, @Nullable OutgoingDescriptors descriptors) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("method", request.method());
		if (!request.parameters().isEmpty()) {
			message.put("parameters", request.parameters());
		}
		if (request.oneway()) {
			message.put("oneway", true);
		}
		if (request.more()) {
			message.put("more", true);
		}
		if (request.upgrade()) {
			message.put("upgrade", true);
		}
		if (descriptors == null) {
			return this.mapper.writeValueAsBytes(message);
		}
		return this.mapper.writer().withAttribute(OutgoingDescriptors.ATTRIBUTE, descriptors).writeValueAsBytes(message);
	}

	/** Encodes a reply. */
	public byte[] encodeReply(IpcReply reply) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(128);
		writeReply(reply, out);
		return out.toByteArray();
	}

	/**
	 * Writes a reply to {@code out} (a transport's own buffer: no intermediate array). The stream is not closed.
	 * @throws JacksonException when a parameter value cannot be written as JSON
	 */
	public void writeReply(IpcReply reply, OutputStream out) {
		writeReply(reply, out, null);
	}

	/**
	 * Writes a reply, each file descriptor in it taken into {@code descriptors} and written as its index there (the
	 * transport sends them with the message); without a collector a reply with a descriptor cannot be written.
	 * @throws JacksonException when a parameter value cannot be written as JSON
	 */
	public void writeReply(IpcReply reply, OutputStream out, @Nullable OutgoingDescriptors descriptors) {
		try (JsonGenerator generator = generator(out, descriptors)) {
			generator.writeStartObject();
			generator.writeName("parameters");
			generator.writePOJO(reply.parameters());
			if (reply.continues()) {
				generator.writeBooleanProperty("continues", true);
			}
			String error = reply.error();
			if (error != null) {
				generator.writeStringProperty("error", error);
			}
			generator.writeEndObject();
		}
	}

	/**
	 * Reads one JSON object. Every failure is described in protocol terms with its position: the text reaches the
	 * peer (in {@code org.varlink.service.ProtocolError}-style replies) and the log, so it must name neither Java
	 * types nor Jackson internals, and whatever it quotes of the peer's input is escaped.
	 */
	private Map<String, @Nullable Object> decodeObject(byte[] frame) {
		try (JsonParser parser = parser(frame)) {
			JsonToken first = parser.nextToken();
			if (first != JsonToken.START_OBJECT) {
				throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED,
						(first == null) ? "empty message, expected a JSON object"
								: "expected a JSON object, got " + describe(first) + at(parser.currentTokenLocation()));
			}
			Map<String, @Nullable Object> message = this.mapper.readValue(parser, MAP);
			JsonToken trailing = parser.nextToken();
			if (trailing != null) {
				throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED,
						"unexpected data after the JSON object (" + describe(trailing) + ")"
								+ at(parser.currentTokenLocation()));
			}
			return message;
		}
		catch (Violation ex) {
			throw new VarlinkProtocolException(ex.kind, ex.getOriginalMessage() + at(ex.getLocation()), ex);
		}
		catch (StreamConstraintsException ex) {
			// a limit NamedConstraints does not name (document length, token count): none is set, but be exact
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.TOO_LARGE,
					"message exceeds a size limit" + at(ex.getLocation()), ex);
		}
		catch (JacksonException ex) {
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED,
					syntaxProblem(ex) + at(ex.getLocation()), ex);
		}
	}

	/**
	 * What a syntax error is, in JSON terms. Jackson's own text may name Java types, features and its input source,
	 * so only the kind of error is taken from it, and the character or key it names.
	 */
	private static String syntaxProblem(JacksonException ex) {
		String original = String.valueOf(ex.getOriginalMessage());
		if (original.startsWith("Unexpected end-of-input")) {
			return "message ends inside a JSON value";
		}
		Matcher duplicate = DUPLICATE_KEY.matcher(original);
		if (duplicate.matches()) {
			return "duplicate key \"" + LogText.escape(duplicate.group(1), 128) + "\"";
		}
		if (original.startsWith("Duplicate")) {
			return "duplicate key";
		}
		if (original.startsWith("Illegal unquoted character")) {
			return "unescaped control character" + codePoint(original) + " in a string";
		}
		if (original.startsWith("Illegal character")) {
			return "control character" + codePoint(original) + " between JSON tokens";
		}
		if (original.startsWith("Unrecognized character escape") || original.contains("escape sequence")) {
			return "invalid escape sequence" + codePoint(original) + " in a string";
		}
		if (original.startsWith("Unrecognized token") || original.startsWith("Non-standard token")) {
			return "unrecognized token: expected a string, number, object, array, true, false or null";
		}
		if (original.contains("numeric value") || original.contains("number")) {
			return "invalid number";
		}
		Matcher close = CLOSE_MARKER.matcher(original);
		if (close.find()) {
			return "unexpected '" + close.group(1) + "'";
		}
		if (original.startsWith("Unexpected character")) {
			return "unexpected character" + codePoint(original);
		}
		return "invalid JSON";
	}

	/** {@code " U+007D"} for a message that names a character code, else nothing. */
	private static String codePoint(String message) {
		Matcher code = CHARACTER_CODE.matcher(message);
		return code.find() ? String.format(" U+%04X", Integer.parseInt(code.group(1))) : "";
	}

	/** {@code " at line 1, column 23"}, or nothing where Jackson does not know. */
	private static String at(@Nullable TokenStreamLocation location) {
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
	}

	private static String describe(JsonToken token) {
		return switch (token) {
			case START_OBJECT -> "an object";
			case START_ARRAY -> "an array";
			case VALUE_STRING -> "a string";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			case VALUE_TRUE -> "true";
			case VALUE_FALSE -> "false";
			case VALUE_NULL -> "null";
			default -> "more JSON";
		};
	}

	/** What a decoded value is in JSON terms (never its Java type). */
	private static String describe(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof Map) {
			return "an object";
		}
		if (value instanceof List) {
			return "an array";
		}
		if (value instanceof String text) {
			return text.isEmpty() ? "an empty string" : "a string";
		}
		if (value instanceof Number) {
			return "a number";
		}
		if (value instanceof Boolean bool) {
			return bool.toString();
		}
		return "another JSON value";
	}

	/**
	 * Most messages are ASCII without NULs, which is valid UTF-8 that Jackson cannot mistake for another
	 * encoding: it parses those bytes directly. Anything else is decoded strictly first.
	 */
	private JsonParser parser(byte[] frame) {
		if (isPlainAscii(frame)) {
			return this.mapper.createParser(frame);
		}
		CharBuffer text = utf8(frame);
		return this.mapper.createParser(text.array(), text.arrayOffset() + text.position(), text.remaining());
	}

	private static boolean isPlainAscii(byte[] frame) {
		for (byte b : frame) {
			if (b <= 0) { // NUL, or a byte of a multi-byte sequence (>= 0x80 is negative as a Java byte)
				return false;
			}
		}
		return true;
	}

	/**
	 * Decodes strict UTF-8. Jackson alone is not enough: given bytes it guesses UTF-16/32 from the first bytes and
	 * accepts overlong sequences and code points beyond U+10FFFF; the JDK decoder refuses all of them.
	 */
	private static CharBuffer utf8(byte[] frame) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(frame));
		}
		catch (CharacterCodingException ex) {
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED,
					"message is not valid UTF-8" + offset(frame), ex);
		}
	}

	/** {@code " at byte 12"}: where the first invalid sequence starts. */
	private static String offset(byte[] frame) {
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		ByteBuffer in = ByteBuffer.wrap(frame);
		CharBuffer out = CharBuffer.allocate(frame.length + 1);
		CoderResult result = decoder.decode(in, out, true);
		return result.isError() ? " at byte " + in.position() : "";
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> parameters(Map<String, @Nullable Object> message) {
		Object parameters = message.get("parameters");
		if (parameters == null) {
			return new LinkedHashMap<>();
		}
		if (!(parameters instanceof Map<?, ?> map)) {
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED,
					"parameters must be an object, got " + describe(parameters));
		}
		return (Map<String, @Nullable Object>) map;
	}

	private static boolean flag(Map<String, @Nullable Object> message, String name) {
		Object value = message.get(name);
		if (value == null) {
			return false;
		}
		if (!(value instanceof Boolean bool)) {
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED,
					name + " must be a boolean, got " + describe(value));
		}
		return bool;
	}

	/**
	 * Jackson's limits, each reporting which one was hit: Jackson throws the same exception type for all of them,
	 * and a too-long number is not a too-deep message (nor would its metric tag say so).
	 */
	private static final class NamedConstraints extends StreamReadConstraints {

		private static final long serialVersionUID = 1L;

		NamedConstraints(int maxDepth, int maxNumberLength, int maxStringLength, int maxNameLength) {
			super(maxDepth, DEFAULT_MAX_DOC_LEN, DEFAULT_MAX_TOKEN_COUNT, maxNumberLength, maxStringLength,
					maxNameLength);
		}

		@Override
		public void validateNestingDepth(int depth) {
			if (depth > this._maxNestingDepth) {
				throw new Violation(VarlinkProtocolException.Kind.TOO_DEEP,
						"message nested deeper than " + this._maxNestingDepth + " levels");
			}
		}

		@Override
		public void validateIntegerLength(int length) {
			validateNumberLength(length);
		}

		@Override
		public void validateFPLength(int length) {
			validateNumberLength(length);
		}

		private void validateNumberLength(int length) {
			if (length > this._maxNumLen) {
				throw new Violation(VarlinkProtocolException.Kind.TOO_LONG_NUMBER,
						"number longer than " + this._maxNumLen + " characters");
			}
		}

		@Override
		public void validateBigIntegerScale(int scale) {
			try {
				super.validateBigIntegerScale(scale);
			}
			catch (StreamConstraintsException ex) {
				throw new Violation(VarlinkProtocolException.Kind.TOO_LONG_NUMBER, "number exponent out of range");
			}
		}

		@Override
		public void validateStringLength(int length) {
			validateStringLengthLong(length);
		}

		@Override
		public void validateStringLengthLong(long length) {
			if (length > this._maxStringLen) {
				throw new Violation(VarlinkProtocolException.Kind.TOO_LONG_STRING,
						"string longer than " + this._maxStringLen + " characters");
			}
		}

		@Override
		public void validateNameLength(int length) {
			if (length > this._maxNameLen) {
				throw new Violation(VarlinkProtocolException.Kind.TOO_LONG_NAME,
						"object key longer than " + this._maxNameLen + " characters");
			}
		}

	}

	/** A limit of {@link NamedConstraints} was hit; Jackson adds the location on its way out. */
	private static final class Violation extends StreamConstraintsException {

		private static final long serialVersionUID = 1L;

		private final transient VarlinkProtocolException.Kind kind;

		Violation(VarlinkProtocolException.Kind kind, String message) {
			super(message);
			this.kind = kind;
		}

	}

}
