package dev.peergate.requirement.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.Reason;
import dev.peergate.requirement.facts.Clause.Compare;
import dev.peergate.requirement.facts.Clause.Equals;
import dev.peergate.requirement.facts.Clause.FactTest;
import dev.peergate.requirement.facts.Clause.In;
import dev.peergate.requirement.facts.Clause.Logical;
import dev.peergate.requirement.facts.Clause.LogicalArray;
import dev.peergate.requirement.facts.Clause.Not;
import dev.peergate.requirement.facts.Clause.Query;
import dev.peergate.requirement.facts.Clause.Terms;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a model against a peer's captured facts in three-valued logic: a test is true, false, or unknown
 * when the fact it needs could not be verified. Unknown is never true: at the top it refuses the peer with
 * {@link Reason#FACT_UNVERIFIED} (fail closed). Only {@code $optional} turns unknown into true, and inside
 * {@code $or} into false, as Apple's LWCR documentation specifies.
 */
final class FactEvaluator {

	enum State {

		TRUE, FALSE, UNKNOWN

	}

	/**
	 * A node's result and, when not true, why: one line per failing or undecided fact.
	 */
	record Result(State state, List<String> why) {

		static final Result TRUE = new Result(State.TRUE, List.of());

	}

	/** Marks "the peer's value is not known" in value-position evaluation. */
	private static final Object UNKNOWN_VALUE = new Object();

	private FactEvaluator() {
	}

	static Evaluation evaluate(Terms requirement, String description, PeerCredentials peer) {
		Result result = evaluate(requirement, peer, false);
		return switch (result.state()) {
			case TRUE -> Evaluation.satisfied("peer satisfies " + description);
			case FALSE -> Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED, String.join("; ", result.why()));
			case UNKNOWN -> Evaluation.unsatisfied(Reason.FACT_UNVERIFIED, String.join("; ", result.why()));
		};
	}

	private static Result evaluate(Clause clause, PeerCredentials peer, boolean inOr) {
		if (clause instanceof FactTest test) {
			return factTest(test, peer, inOr);
		}
		return combine(clause, inOr, (child) -> evaluate(child.clause(), peer, child.inOr()), (body) -> "must not hold: "
				+ FactPrinter.describe(body));
	}

	private record Child(Clause clause, boolean inOr) {

	}

	/** The logical operators, shared by key position (facts) and value position (one fact's value). */
	private static Result combine(Clause clause, boolean inOr, Function<Child, Result> evaluator,
			Function<Terms, String> negationFailure) {
		if (clause instanceof Terms terms) {
			if (terms.entries().size() == 1) {
				return evaluator.apply(new Child(terms.entries().get(0), inOr));
			}
			return all(terms.entries(), evaluator);
		}
		if (clause instanceof Logical logical) {
			return (logical.operator() == Operator.AND) ? all(logical.body().entries(), evaluator)
					: any(logical.body().entries(), evaluator);
		}
		if (clause instanceof LogicalArray array) {
			return (array.operator() == Operator.AND_ARRAY) ? all(array.pairs(), evaluator)
					: any(array.pairs(), evaluator);
		}
		if (clause instanceof Clause.Optional optional) {
			Result result = evaluator.apply(new Child(optional.body(), false));
			if (result.state() != State.UNKNOWN) {
				return result;
			}
			return inOr ? new Result(State.FALSE, result.why().stream()
				.map((why) -> why + " (an $optional test inside $or counts as false when undecided)")
				.toList()) : Result.TRUE;
		}
		if (clause instanceof Not not) {
			Result result = evaluator.apply(new Child(not.body(), false));
			return switch (result.state()) {
				case TRUE -> new Result(State.FALSE, List.of("$not: " + negationFailure.apply(not.body())));
				case FALSE -> Result.TRUE;
				case UNKNOWN -> result;
			};
		}
		throw new IllegalStateException("Unexpected clause " + clause);
	}

	private static Result all(List<Clause> clauses, Function<Child, Result> evaluator) {
		List<Result> results = new ArrayList<>(clauses.size());
		for (Clause clause : clauses) {
			results.add(evaluator.apply(new Child(clause, false)));
		}
		for (State state : List.of(State.FALSE, State.UNKNOWN)) {
			List<String> why = results.stream()
				.filter((result) -> result.state() == state)
				.flatMap((result) -> result.why().stream())
				.toList();
			if (results.stream().anyMatch((result) -> result.state() == state)) {
				return new Result(state, why);
			}
		}
		return Result.TRUE;
	}

	private static Result any(List<Clause> clauses, Function<Child, Result> evaluator) {
		List<Result> results = new ArrayList<>(clauses.size());
		for (Clause clause : clauses) {
			Result result = evaluator.apply(new Child(clause, true));
			if (result.state() == State.TRUE) {
				return result;
			}
			results.add(result);
		}
		State state = results.stream().anyMatch((result) -> result.state() == State.UNKNOWN) ? State.UNKNOWN
				: State.FALSE;
		String alternatives = results.stream()
			.map((result) -> "(" + String.join("; ", result.why()) + ")")
			.collect(Collectors.joining(" or "));
		return new Result(state, List.of("none of the alternatives holds: " + alternatives));
	}

	private static Result factTest(FactTest test, PeerCredentials peer, boolean inOr) {
		Fact fact = test.fact();
		Observed observed = fact.observe(peer);
		boolean undecidable = false;
		for (Object value : observed.values()) {
			State state = value(test.test(), fact, value, inOr);
			if (state == State.TRUE) {
				return Result.TRUE;
			}
			undecidable |= (state == State.UNKNOWN);
		}
		String expected = fact.name() + ": expected " + FactPrinter.expected(test.test(), fact);
		if (observed.unknownReason() != null) {
			State state = value(test.test(), fact, UNKNOWN_VALUE, inOr);
			return switch (state) {
				case TRUE -> Result.TRUE;
				case FALSE -> new Result(State.FALSE, List.of(expected + ", peer has " + observed.display()));
				case UNKNOWN -> new Result(State.UNKNOWN,
						List.of(fact.name() + ": could not be verified (" + observed.unknownReason() + "), "
								+ "so it cannot be checked against " + FactPrinter.expected(test.test(), fact)));
			};
		}
		if (undecidable) {
			return new Result(State.UNKNOWN, List.of(expected + ", which Peergate cannot decide for peer value "
					+ observed.display() + " (only macOS evaluates entitlement query opcodes 8 and 9)"));
		}
		return new Result(State.FALSE, List.of(expected + ", peer has " + observed.display()));
	}

	/** Evaluates the test of one fact's value against one candidate value (or {@link #UNKNOWN_VALUE}). */
	private static State value(Clause test, Fact fact, Object value, boolean inOr) {
		if (value == UNKNOWN_VALUE && isLeaf(test)) {
			return State.UNKNOWN;
		}
		ValueType type = fact.type();
		if (test instanceof Equals equals) {
			return state(type.matches(equals.value(), value));
		}
		if (test instanceof In in) {
			return state(in.values().stream().anyMatch((expected) -> type.matches(expected, value)));
		}
		if (test instanceof Compare compare) {
			@Nullable Long number = type.number(value);
			if (number == null) {
				return State.FALSE;
			}
			long operand = compare.operand();
			return state(switch (compare.operator()) {
				case LT -> number < operand;
				case LTE -> number <= operand;
				case GT -> number > operand;
				default -> number >= operand;
			});
		}
		if (test instanceof Query query) {
			return switch (EntitlementQueries.run(query.steps(), value)) {
				case MATCH -> State.TRUE;
				case NO_MATCH -> State.FALSE;
				case UNDECIDABLE -> State.UNKNOWN;
			};
		}
		return combine(test, inOr, (child) -> new Result(value(child.clause(), fact, value, child.inOr()), List.of()),
				(body) -> "").state();
	}

	private static boolean isLeaf(Clause test) {
		return test instanceof Equals || test instanceof In || test instanceof Compare || test instanceof Query;
	}

	private static State state(boolean holds) {
		return holds ? State.TRUE : State.FALSE;
	}

}
