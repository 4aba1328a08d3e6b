package dev.peergate.requirement.codesigning;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A value a field is compared with. Apple stores values as raw bytes and its dumper decides how to print them;
 * here the decision is made once, when the value is created, so that equal bytes always give equal values:
 * printable text is {@link Text}, anything else (control characters, bytes that are not UTF-8) is
 * {@link Binary} and prints as a {@code 0x…} constant.
 *
 * <pre>{@code
 * Value.of("EQHXZ8M8AV");               // Text
 * Value.ofBytes(new byte[] { 0, 1 });   // Binary "0001"
 * }</pre>
 */
public sealed interface Value permits Value.Text, Value.Binary {

	/**
	 * The value for a text. Text containing control characters other than blanks becomes {@link Binary}, as in
	 * Apple's dumper. Unpaired surrogates are replaced by {@code ?}.
	 * @param text the text
	 * @return the value
	 */
	static Value of(String text) {
		// Unpaired surrogates become '?' in UTF-8, as in Security.framework's CFString conversion.
		return Text.isPrintable(text) ? new Text(text) : ofBytes(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The value for raw bytes (a {@code 0x…} constant). Printable UTF-8 becomes {@link Text}.
	 * @param bytes the bytes
	 * @return the value
	 */
	static Value ofBytes(byte[] bytes) {
		String text = Binary.decode(bytes);
		return (text != null && Text.isPrintable(text)) ? new Text(text)
				: new Binary(HexFormat.of().formatHex(bytes));
	}

	/** The value's bytes, as Security.framework stores them. */
	byte[] bytes();

	/**
	 * Printable text.
	 *
	 * @param text the text, free of control characters other than tab, newline, carriage return, form feed and
	 * vertical tab
	 */
	record Text(String text) implements Value {

		public Text {
			if (!isPrintable(text)) {
				throw new IllegalArgumentException("text contains control characters, use Value.of(String)");
			}
		}

		static boolean isPrintable(String text) {
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0B) {
					return false;
				}
				if (Character.isSurrogate(c)) {
					// Only well-formed pairs survive a UTF-8 round trip.
					if (Character.isHighSurrogate(c) && i + 1 < text.length()
							&& Character.isLowSurrogate(text.charAt(i + 1))) {
						i++;
					}
					else {
						return false;
					}
				}
			}
			return true;
		}

		@Override
		public byte[] bytes() {
			return this.text.getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

	/**
	 * Bytes that are not printable text.
	 *
	 * @param hex the bytes as lower-case hex digits
	 */
	record Binary(String hex) implements Value {

		public Binary {
			if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.chars().allMatch((c) -> Character.digit(c, 16) >= 0)
					|| !hex.equals(hex.toLowerCase(Locale.ROOT))) {
				throw new IllegalArgumentException("not an even number of lower-case hex digits: " + hex);
			}
			String text = decode(HexFormat.of().parseHex(hex));
			if (text != null && Text.isPrintable(text)) {
				throw new IllegalArgumentException("printable text must be a Text value: " + text);
			}
		}

		static @Nullable String decode(byte[] bytes) {
			try {
				return StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(bytes))
					.toString();
			}
			catch (CharacterCodingException ex) {
				return null;
			}
		}

		@Override
		public byte[] bytes() {
			return HexFormat.of().parseHex(this.hex);
		}

		@Override
		public String toString() {
			return "0x" + this.hex;
		}

	}

}
