package dev.peergate.varlink;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
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

	private final JsonMapper mapper;

	private final int maxDepth;

	/** A codec refusing messages nested deeper than {@code maxDepth}. */
	public VarlinkCodec(int maxDepth) {
		this.maxDepth = maxDepth;
		// Duplicate keys are refused: two readers of one message must never disagree on its "method".
		JsonFactory factory = JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.build();
		this.mapper = JsonMapper.builder(factory)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
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
					"Call has no \"method\" string");
		}
		return new IpcRequest(name, parameters(message), flag(message, "oneway"), flag(message, "more"),
				flag(message, "upgrade"));
	}

	/** Decodes a reply (client side). */
	public IpcReply decodeReply(byte[] frame) {
		Map<String, @Nullable Object> message = decodeObject(frame);
		Object error = message.get("error");
		if (error != null && !(error instanceof String)) {
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED, "\"error\" is not a string");
		}
		return new IpcReply((String) error, parameters(message), flag(message, "continues"));
	}

	/** Encodes a call (client side). Flags are written only when set, as the varlink reference does. */
	public byte[] encodeRequest(IpcRequest request) {
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
		return this.mapper.writeValueAsBytes(message);
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
		try (JsonGenerator generator = this.mapper.createGenerator(out)) {
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

	private Map<String, @Nullable Object> decodeObject(byte[] frame) {
		try (JsonParser parser = parser(frame)) {
			Map<String, @Nullable Object> message = this.mapper.readValue(parser, MAP);
			if (message == null) {
				throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED, "Message is null");
			}
			return message;
		}
		catch (StreamConstraintsException ex) {
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.TOO_DEEP,
					"Message nested deeper than " + this.maxDepth, ex);
		}
		catch (JacksonException ex) {
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED,
					"Message is not a JSON object: " + ex.getOriginalMessage(), ex);
		}
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
					"Message is not valid UTF-8: " + ex.getMessage(), ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> parameters(Map<String, @Nullable Object> message) {
		Object parameters = message.get("parameters");
		if (parameters == null) {
			return new LinkedHashMap<>();
		}
		if (!(parameters instanceof Map<?, ?> map)) {
			throw new VarlinkProtocolException(VarlinkProtocolException.Kind.MALFORMED,
					"\"parameters\" is not an object");
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
					"\"" + name + "\" is not a boolean");
		}
		return bool;
	}

}
