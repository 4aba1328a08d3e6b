package dev.peergate.xpc;

/**
 * A listener with {@link XpcRequirement.SameTeam} cannot learn its own team: this process is unsigned, ad-hoc
 * signed, or Security.framework could not read its signature. The listener refuses to start (fail closed); the
 * message names {@code requirement.same-team} and what to do instead.
 *
 * <pre>{@code
 * try { new XpcListener(options, dispatcher, sink, events); }
 * catch (SameTeamUnavailableException ex) { log.error(ex.reason() + " " + ex.action()); }
 * }</pre>
 */
public class SameTeamUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String reason;

	private final String action;

	/** An exception with what went wrong and what to do. */
	public SameTeamUnavailableException(String reason, String action) {
		super(reason + " " + action);
		this.reason = reason;
		this.action = action;
	}

	/** Why the own team is unknown. */
	public String reason() {
		return this.reason;
	}

	/** What to do instead. */
	public String action() {
		return this.action;
	}

}
