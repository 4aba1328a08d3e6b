package dev.peergate.core;

import java.time.Instant;
import java.util.Objects;

/**
 * The decision about one call of a method that has a requirement of its own: may this peer do this? Made after the
 * connection's {@link Verdict} let the peer in, on every call, against the connection's verified facts.
 *
 * <pre>{@code
 * CallVerdictSink log = verdict -> {
 *     if (!verdict.allowed()) {
 *         log.warn("{} may not call {}: {}", verdict.peer().summary(), verdict.method(),
 *                 LogText.escape(verdict.explanation()));
 *     }
 * };
 * }</pre>
 *
 * @param outcome accepted (the call runs), rejected, error (the requirement could not be evaluated), or would-reject
 * (refused, but run: the method's enforcement is audit)
 * @param reason why, as a small closed set fit for a metric tag
 * @param authority who decided: {@code requirement} (the method's requirement in the configuration)
 * @param explanation human text, possibly quoting what the peer presented (escape it before logging)
 * @param peer the caller's verified view
 * @param listener name of the listener
 * @param method the fully qualified method, e.g. {@code com.example.helper.ClearCache}
 * @param timestamp when the decision was made
 */
public record CallVerdict(Outcome outcome, Reason reason, String authority, String explanation, Peer peer,
		String listener, String method, Instant timestamp) {

	/** The authority of a method's own requirement. */
	public static final String REQUIREMENT = "requirement";

	public CallVerdict {
		Objects.requireNonNull(outcome, "'outcome' must not be null");
		Objects.requireNonNull(reason, "'reason' must not be null");
		Objects.requireNonNull(authority, "'authority' must not be null");
		Objects.requireNonNull(explanation, "'explanation' must not be null");
		Objects.requireNonNull(peer, "'peer' must not be null");
		Objects.requireNonNull(listener, "'listener' must not be null");
		Objects.requireNonNull(method, "'method' must not be null");
		Objects.requireNonNull(timestamp, "'timestamp' must not be null");
	}

	/** Whether the call runs: allowed, or refused only in audit ({@link Outcome#WOULD_REJECT}). */
	public boolean allowed() {
		return this.outcome.served();
	}

}
