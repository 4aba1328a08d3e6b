package dev.peergate.xpc;

import java.util.Map;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.requirement.facts.FactRequirement;

/**
 * Explains a refused XPC peer of a lightweight (LWCR) requirement clause by clause: the peer's signing facts (as
 * {@code SecCodeCopySigningInformation} reported them, LWCR names) are evaluated with the parsed requirement's
 * own evaluation ({@link FactRequirement#evaluate}), and its explanation leads, e.g.
 * {@code team-identifier: expected "ABCDE12345", peer has "XYZ9876543"}; the OS's error and the facts summary
 * follow. libxpc decides; facts libxpc sees and Peergate does not (e.g. {@code validation-category}) are missing
 * here, and the evaluation says so rather than guessing.
 *
 * <pre>{@code
 * LightweightRequirement lwcr = FactRequirements.lightweight(tree, "peergate.listeners.helper.requirement.lightweight");
 * XpcListenerOptions options = XpcListenerOptions.of("helper", "com.example.helper", XpcRequirement.lightweight(tree))
 *     .withExplainer(new LightweightRejectionExplainer(lwcr));
 * }</pre>
 */
public final class LightweightRejectionExplainer implements RejectionExplainer {

	private final FactRequirement requirement;

	/** An explainer for the given parsed lightweight requirement. */
	public LightweightRejectionExplainer(FactRequirement requirement) {
		this.requirement = requirement;
	}

	@Override
	public String explain(String requirement, Map<String, Object> peerFacts, String osError) {
		return ClausesFirst.explain(requirement, peerFacts, osError, this::evaluate);
	}

	private String evaluate(Map<String, Object> peerFacts) {
		PeerFacts.Builder facts = PeerFacts.builder();
		peerFacts.forEach(facts::verified);
		Evaluation evaluation = this.requirement.evaluate(PeerCredentials.builder(XpcListener.TRANSPORT)
			.facts(facts.build())
			.build());
		// satisfied: the OS saw something the facts do not show (signature validity, a fact Peergate cannot read)
		return evaluation.satisfied() ? "the signing facts Peergate read satisfy the requirement; the OS refused on "
				+ "what they do not show" : evaluation.explanation();
	}

}
