package dev.peergate.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The decision about one peer on one listener, with the evidence for humans.
 *
 * @param outcome accepted, rejected or error
 * @param mechanism how the peer was identified and checked
 * @param reason why, as a small closed set fit for a metric tag
 * @param explanation human text, possibly long, quoting what the peer presented (escape it with
 * {@link LogText#escape(CharSequence)} before logging it), e.g.
 * {@code uid: expected one of [0, 1000], peer has 1001}
 * @param peer the peer's verified view
 * @param listener name of the listener
 * @param timestamp when the decision was made
 * @param verification how long identifying and checking the peer took, from the transport's capture to the
 * decision; {@link Duration#ZERO} when the transport did not say when it began
 *
 * <pre>{@code
 * Verdict verdict = gate.admit(credentials);
 * if (!verdict.accepted()) {
 *     log.warn("{} [{}, {}]: {}", verdict.peer().summary(), verdict.reason().tag(), verdict.mechanism().tag(),
 *             LogText.escape(verdict.explanation()));
 * }
 * }</pre>
 */
public record Verdict(Outcome outcome, Mechanism mechanism, Reason reason, String explanation, Peer peer,
		String listener, Instant timestamp, Duration verification) {

	public Verdict {
		Objects.requireNonNull(outcome, "'outcome' must not be null");
		Objects.requireNonNull(mechanism, "'mechanism' must not be null");
		Objects.requireNonNull(reason, "'reason' must not be null");
		Objects.requireNonNull(explanation, "'explanation' must not be null");
		Objects.requireNonNull(peer, "'peer' must not be null");
		Objects.requireNonNull(listener, "'listener' must not be null");
		Objects.requireNonNull(timestamp, "'timestamp' must not be null");
		Objects.requireNonNull(verification, "'verification' must not be null");
	}

	/** A verdict whose verification time is unknown. */
	public Verdict(Outcome outcome, Mechanism mechanism, Reason reason, String explanation, Peer peer, String listener,
			Instant timestamp) {
		this(outcome, mechanism, reason, explanation, peer, listener, timestamp, Duration.ZERO);
	}

	/** Whether the peer may talk to the listener: accepted, or refused only in audit ({@link Outcome#WOULD_REJECT}). */
	public boolean accepted() {
		return this.outcome.served();
	}

}
