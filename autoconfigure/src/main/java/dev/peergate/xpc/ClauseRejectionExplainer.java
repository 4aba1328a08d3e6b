package dev.peergate.xpc;

import java.util.List;
import java.util.Map;

import dev.peergate.requirement.codesigning.CodeRequirement;
import dev.peergate.requirement.codesigning.Explanation;
import dev.peergate.requirement.codesigning.RequirementExplainer;
import dev.peergate.requirement.codesigning.SigningFacts;
import org.jspecify.annotations.Nullable;

/**
 * Explains a refused XPC peer clause by clause: the peer's signing facts (as {@code SecCodeCopySigningInformation}
 * reported them) are run through {@link RequirementExplainer} against the parsed code-signing requirement, and
 * the first failing clause leads the explanation, e.g.
 * {@code identifier: expected "com.example.cli", peer has "com.evil.tool"}. The OS's own error text and the facts
 * summary follow. The decision stays the OS's; this only tells an operator why.
 *
 * <pre>{@code
 * XpcListenerOptions options = XpcListenerOptions.of("helper", "com.example.helper", XpcRequirement.codeSigning(text))
 *     .withExplainer(new ClauseRejectionExplainer(CodeRequirements.parse(text)));
 * }</pre>
 */
public final class ClauseRejectionExplainer implements RejectionExplainer {

	private static final RejectionExplainer SUMMARY = RejectionExplainer.factsSummary();

	private final CodeRequirement requirement;

	/** An explainer for the given parsed requirement. */
	public ClauseRejectionExplainer(CodeRequirement requirement) {
		this.requirement = requirement;
	}

	@Override
	public String explain(String requirement, Map<String, Object> peerFacts, String osError) {
		String summary = SUMMARY.explain(requirement, peerFacts, osError);
		if (peerFacts.isEmpty()) {
			return summary;
		}
		Explanation explanation = RequirementExplainer.explain(this.requirement, signingFacts(peerFacts));
		return explanation.summary() + " — " + summary;
	}

	static SigningFacts signingFacts(Map<String, Object> facts) {
		return new SigningFacts(text(facts.get("signing-identifier")), text(facts.get("team-identifier")),
				text(facts.get("cdhash")), List.of(), Map.of(), Map.of(), platform(facts.get("platform-identifier")),
				Map.of());
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static @Nullable Integer platform(@Nullable Object value) {
		return (value instanceof Number number && number.intValue() != 0) ? number.intValue() : null;
	}

}
