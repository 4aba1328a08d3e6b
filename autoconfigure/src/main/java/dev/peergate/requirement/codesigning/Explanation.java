package dev.peergate.requirement.codesigning;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one clause of a requirement against a peer's {@link SigningFacts}, with the outcomes of its
 * operands for {@code and}, {@code or} and {@code !}.
 *
 * <pre>{@code
 * Explanation explanation = RequirementExplainer.explain(requirement, facts);
 * log.info(explanation.summary());
 * }</pre>
 *
 * @param clause the clause's canonical text
 * @param subject what the clause looks at, e.g. {@code certificate leaf[subject.OU]}
 * @param result satisfied, failed or undecidable from the facts
 * @param expected what a leaf clause needs, {@code null} for operators and constants
 * @param actual what the peer has, {@code null} for operators and constants
 * @param operands the operands' explanations, empty for leaves
 */
public record Explanation(String clause, String subject, Result result, @Nullable String expected,
		@Nullable String actual, List<Explanation> operands) {

	public Explanation {
		operands = List.copyOf(operands);
	}

	/** Three-valued outcome (Kleene logic for {@code and}, {@code or}, {@code !}). */
	public enum Result {

		/** The clause holds. */
		SATISFIED,
		/** The clause does not hold. */
		FAILED,
		/** The facts do not tell (e.g. a certificate file, a named requirement, an unknown flag). */
		UNDECIDED

	}

	/** Whether the clause holds. */
	public boolean satisfied() {
		return this.result == Result.SATISFIED;
	}

	/**
	 * The leaves that made this clause fail, depth first; empty unless it failed. A leaf under a negation that
	 * held is reported with its expectation negated ({@code not "com.example.evil"}).
	 */
	public List<Explanation> failedLeaves() {
		List<Explanation> leaves = new ArrayList<>();
		if (this.result == Result.FAILED) {
			collect(this, Result.FAILED, false, leaves);
		}
		return leaves;
	}

	private static void collect(Explanation node, Result wanted, boolean negated, List<Explanation> leaves) {
		if (node.operands.isEmpty()) {
			leaves.add((!negated || node.expected == null) ? node : new Explanation(node.clause, node.subject,
					Result.FAILED, "not " + node.expected, node.actual, List.of()));
			return;
		}
		boolean negation = node.clause.startsWith("! ") && node.operands.size() == 1;
		Result next = negation ? invert(wanted) : wanted;
		for (Explanation operand : node.operands) {
			if (operand.result == next) {
				collect(operand, next, negated ^ negation, leaves);
			}
		}
	}

	private static Result invert(Result result) {
		return (result == Result.SATISFIED) ? Result.FAILED
				: (result == Result.FAILED) ? Result.SATISFIED : Result.UNDECIDED;
	}

	/**
	 * One line for a log, e.g.
	 * {@code certificate leaf[subject.OU]: expected "ABCDE12345", peer has "XYZ9876543"}.
	 */
	public String summary() {
		if (this.result == Result.SATISFIED) {
			return "satisfied: " + this.clause;
		}
		if (this.result == Result.UNDECIDED) {
			List<Explanation> undecided = new ArrayList<>();
			collect(this, Result.UNDECIDED, false, undecided);
			Explanation first = undecided.isEmpty() ? this : undecided.get(0);
			return "undecided: " + first.subject + ((first.actual != null) ? " (" + first.actual + ")" : "");
		}
		List<Explanation> failed = failedLeaves();
		Explanation first = failed.get(0);
		StringBuilder line = new StringBuilder(first.subject);
		if (first.expected != null) {
			line.append(": expected ").append(first.expected).append(", peer has ").append(first.actual);
		}
		else {
			line.append(": not satisfied");
		}
		if (failed.size() > 1) {
			line.append(" (and ").append(failed.size() - 1).append(" more failed clause")
				.append((failed.size() > 2) ? "s" : "").append(')');
		}
		return line.toString();
	}

}
