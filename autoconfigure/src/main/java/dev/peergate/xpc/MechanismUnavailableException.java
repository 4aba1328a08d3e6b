package dev.peergate.xpc;

import java.util.List;

/**
 * No mechanism can enforce the configured requirement with the configured enforcement on this macOS. The message
 * says why and lists what would work instead; the listener refuses to start (fail closed).
 *
 * <pre>{@code
 * try { selector.select(query); }
 * catch (MechanismUnavailableException ex) { log.error(ex.reason() + " Alternatives: " + ex.alternatives()); }
 * }</pre>
 */
public class MechanismUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String reason;

	private final List<String> alternatives;

	/** An exception with the reason and the alternatives. */
	public MechanismUnavailableException(String reason, List<String> alternatives) {
		super(reason + (alternatives.isEmpty() ? "" : " Alternatives: " + String.join("; ", alternatives) + "."));
		this.reason = reason;
		this.alternatives = List.copyOf(alternatives);
	}

	/** Why no mechanism applies. */
	public String reason() {
		return this.reason;
	}

	/** Configurations that would work on this system. */
	public List<String> alternatives() {
		return this.alternatives;
	}

}
