package dev.peergate.xpc;

import java.util.Map;
import java.util.function.Function;

/**
 * The shape every requirement-aware explanation shares: what the requirement's own evaluation says about the
 * peer's facts, then the facts summary and the OS error. Without facts (the OS refused before Peergate could read
 * any) only the summary.
 */
final class ClausesFirst {

	private static final RejectionExplainer SUMMARY = RejectionExplainer.factsSummary();

	private ClausesFirst() {
	}

	static String explain(String requirement, Map<String, Object> peerFacts, String osError,
			Function<Map<String, Object>, String> clauses) {
		String summary = SUMMARY.explain(requirement, peerFacts, osError);
		if (peerFacts.isEmpty()) {
			return summary;
		}
		return clauses.apply(peerFacts) + " — " + summary;
	}

}
