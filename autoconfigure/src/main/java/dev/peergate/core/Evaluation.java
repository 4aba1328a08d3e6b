package dev.peergate.core;

/**
 * What a {@link PeerRequirement} found: satisfied or not, why, and the human explanation.
 *
 * @param satisfied whether the peer satisfies the requirement
 * @param reason reason tag
 * @param explanation human text naming the failing clause, expected and actual values
 *
 * <pre>{@code
 * PeerRequirement staff = PeerRequirement.of("gid 50", peer -> (peer.gid() == 50)
 *         ? Evaluation.satisfied("gid 50")
 *         : Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED, "gid: expected 50, peer has " + peer.gid()));
 * }</pre>
 */
public record Evaluation(boolean satisfied, Reason reason, String explanation) {

	/** The requirement holds. */
	public static Evaluation satisfied(String explanation) {
		return new Evaluation(true, Reason.SATISFIED, explanation);
	}

	/** The requirement does not hold for the given reason. */
	public static Evaluation unsatisfied(Reason reason, String explanation) {
		if (reason == Reason.SATISFIED || reason == Reason.ANY_PEER_ALLOWED) {
			throw new IllegalArgumentException("A refusal needs a refusal reason, not " + reason);
		}
		return new Evaluation(false, reason, explanation);
	}

}
