package dev.peergate.xpc.jna;

/**
 * A value that cannot be converted to or from XPC (unsupported type, too deep, out of range).
 *
 * <pre>{@code
 * try { values.toXpc(Map.of("when", new Object())); } catch (XpcConversionException ex) { ... }
 * }</pre>
 */
public class XpcConversionException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** An exception with a message. */
	public XpcConversionException(String message) {
		super(message);
	}

}
