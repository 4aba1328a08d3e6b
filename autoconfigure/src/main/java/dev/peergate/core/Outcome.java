package dev.peergate.core;

import java.util.Locale;

/**
 * What a {@link Gate} decided about a peer. Used as the {@code outcome} metric tag.
 *
 * <pre>{@code
 * switch (verdict.outcome()) {
 *     case ACCEPTED -> accepted.increment();
 *     case REJECTED -> rejected.increment();
 *     case ERROR -> failed.increment();
 * }
 * }</pre>
 */
public enum Outcome {

	/** The peer satisfied the requirement. */
	ACCEPTED,

	/** The peer did not satisfy the requirement, or a fact it needed could not be verified. */
	REJECTED,

	/** Verification itself failed (native call error, peer vanished mid-check); the peer is refused. */
	ERROR,

	/**
	 * The requirement would have refused the peer (or the call), but its enforcement is {@code audit}: it is served,
	 * and the would-be refusal is recorded wherever refusals are.
	 */
	WOULD_REJECT;

	/**
	 * The outcome of an evaluation: accepted when satisfied; otherwise {@link #WOULD_REJECT} under audit, else
	 * {@link #ERROR} when the evaluation could not be carried out and {@link #REJECTED} when it refused.
	 */
	public static Outcome of(Evaluation evaluation, boolean audit) {
		if (evaluation.satisfied()) {
			return ACCEPTED;
		}
		if (audit) {
			return WOULD_REJECT;
		}
		return (evaluation.reason() == Reason.VERIFICATION_FAILED) ? ERROR : REJECTED;
	}

	/** Tag value: lower-case name with dashes, e.g. {@code would-reject}. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** Whether the peer is served: accepted, or refused only in audit. */
	public boolean served() {
		return this == ACCEPTED || this == WOULD_REJECT;
	}

}
