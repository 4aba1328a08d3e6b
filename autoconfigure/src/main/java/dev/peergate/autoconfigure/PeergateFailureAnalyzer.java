package dev.peergate.autoconfigure;

import dev.peergate.requirement.InvalidRequirementException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Explains why Peergate refused to start: the property, the position in a requirement, what was expected and
 * what to write.
 */
class PeergateFailureAnalyzer implements FailureAnalyzer {

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ListenerConfigurationException ex) {
				String subject = ex.property().startsWith("peergate.clients.") ? "client" : "listener";
				return new FailureAnalysis("Peergate " + subject + " configuration is not valid.\n\n    Property: "
						+ ex.property() + "\n    Problem:  " + ex.problem(), ex.action(), ex);
			}
			if (cause instanceof InvalidRequirementException ex) {
				return analyze(ex);
			}
		}
		return null;
	}

	/** A hint ends as a sentence, without a full stop after its own question mark. */
	private static String sentence(String hint) {
		return (hint.endsWith("?") || hint.endsWith(".")) ? hint : hint + ".";
	}

	private FailureAnalysis analyze(InvalidRequirementException ex) {
		StringBuilder description = new StringBuilder("A Peergate requirement is not valid.\n\n");
		description.append("    Property: ").append((ex.propertyPath() != null) ? ex.propertyPath() : "(unknown)").append('\n');
		if (ex.line() > 0) {
			description.append("    Position: line ").append(ex.line()).append(", column ").append(ex.column()).append('\n');
		}
		description.append("    Problem:  ").append(ex.problem()).append('\n');
		if (ex.expected() != null) {
			description.append("    Expected: ").append(ex.expected()).append('\n');
		}
		if (ex.excerpt() != null) {
			description.append('\n').append(ex.excerpt().indent(4));
		}
		String action = "Correct " + ((ex.propertyPath() != null) ? ex.propertyPath() : "the requirement")
				+ ((ex.hint() != null) ? ": " + sentence(ex.hint()) : ".")
				+ " Peergate fails closed: the listener does not start with a requirement it cannot evaluate.";
		return new FailureAnalysis(description.toString().stripTrailing(), action, ex);
	}

}
