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
	ERROR;

	/** Tag value: lower-case name. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
