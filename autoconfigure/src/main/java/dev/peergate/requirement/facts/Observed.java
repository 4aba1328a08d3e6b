package dev.peergate.requirement.facts;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a peer's credentials say about one fact: the candidate values (one for most facts; the primary gid and
 * the supplementary gids for {@code groups} and {@code group}), whether more values may exist that could not be
 * verified, and how to show them in an explanation.
 *
 * @param values verified values; the test holds if any of them satisfies it
 * @param unknownReason why the fact (or part of it) could not be verified, or {@code null} when complete
 * @param display how the peer's value is shown, e.g. {@code 1001} or {@code gid 1000 and groups [24, 27]}
 */
record Observed(List<Object> values, @Nullable String unknownReason, String display) {

	Observed {
		values = List.copyOf(values);
	}

	static Observed of(Object value, String display) {
		return new Observed(List.of(value), null, display);
	}

	static Observed unknown(String reason) {
		return new Observed(List.of(), reason, "nothing verified");
	}

}
