package dev.peergate.varlink;

/**
 * A message that is not valid varlink: malformed JSON, invalid UTF-8, too deep, too large, a number, string or key
 * too long, or not an object of the expected shape. The connection that sent it is answered with an error (when
 * possible) and closed. The message says what was expected in protocol terms, with the position where known
 * (e.g. {@code expected a JSON object, got an array at line 1, column 1}); it never names a Java type, and what it
 * quotes of the peer's input is escaped, since it reaches both the peer and the log.
 *
 * <pre>{@code
 * catch (VarlinkProtocolException ex) {
 *     transportEvents.protocolError(listenerName, ex.kind().tag()); // malformed, too-large, too-deep
 * }
 * }</pre>
 */
public class VarlinkProtocolException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final Kind kind;

	/** A protocol error of the given kind. */
	public VarlinkProtocolException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	/** A protocol error of the given kind with its cause. */
	public VarlinkProtocolException(Kind kind, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
	}

	/** What was wrong; used as a metric tag. */
	public Kind kind() {
		return this.kind;
	}

	/** Classes of protocol violation. */
	public enum Kind {

		/** Not JSON, invalid UTF-8, or not the expected message shape. */
		MALFORMED("malformed"),

		/** Larger than the configured maximum message size. */
		TOO_LARGE("too-large"),

		/** Nested deeper than the configured limit. */
		TOO_DEEP("too-deep"),

		/** A number with more digits than the codec reads (1,000). */
		TOO_LONG_NUMBER("too-long-number"),

		/** A string value longer than the codec reads. */
		TOO_LONG_STRING("too-long-string"),

		/** An object key longer than the codec reads. */
		TOO_LONG_NAME("too-long-name"),

		/**
		 * File descriptors not as the protocol allows: more than a message may carry, or not with the first byte of
		 * a message.
		 */
		DESCRIPTORS("descriptors");

		private final String tag;

		Kind(String tag) {
			this.tag = tag;
		}

		/** Tag value. */
		public String tag() {
			return this.tag;
		}

	}

}
