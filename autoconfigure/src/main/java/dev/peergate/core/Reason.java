package dev.peergate.core;

/**
 * Why a verdict came out as it did: a small closed set, safe as a metric tag. The human detail lives
 * in {@link Verdict#explanation()}.
 *
 * <pre>{@code
 * @EventListener
 * void onRejected(PeerRejectedEvent event) {
 *     if (event.reason() == Reason.FACT_UNVERIFIED) {
 *         log.warn("could not verify {}: {}", event.peer().summary(), LogText.escape(event.explanation()));
 *     }
 * }
 * }</pre>
 */
public enum Reason {

	/** The requirement was satisfied. */
	SATISFIED("satisfied"),

	/** No requirement applies because {@code allow-any-peer} is set. */
	ANY_PEER_ALLOWED("any-peer-allowed"),

	/** The peer's facts contradict the requirement. */
	REQUIREMENT_NOT_SATISFIED("requirement-not-satisfied"),

	/** A fact the requirement needs could not be verified (for example no pidfd on this kernel). */
	FACT_UNVERIFIED("fact-unverified"),

	/** The peer's code signature is invalid, or the OS refused the peer before Peergate saw it. */
	INVALID_SIGNATURE("invalid-signature"),

	/** The peer exited or was replaced while it was being verified. */
	PEER_GONE("peer-gone"),

	/** A configured limit (connections, message size, in-flight calls) refused the peer. */
	LIMIT_EXCEEDED("limit-exceeded"),

	/** Verification could not be carried out (native error, I/O error). */
	VERIFICATION_FAILED("verification-failed"),

	/** An authority asked about a call (polkit) could not be reached or failed; the call is refused. */
	AUTHORITY_UNAVAILABLE("authority-unavailable");

	private final String tag;

	Reason(String tag) {
		this.tag = tag;
	}

	/** Tag value used in metrics and the actuator endpoint. */
	public String tag() {
		return this.tag;
	}

}
