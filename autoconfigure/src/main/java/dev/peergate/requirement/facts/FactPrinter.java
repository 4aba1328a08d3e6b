package dev.peergate.requirement.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.peergate.requirement.facts.Clause.Compare;
import dev.peergate.requirement.facts.Clause.Equals;
import dev.peergate.requirement.facts.Clause.FactTest;
import dev.peergate.requirement.facts.Clause.In;
import dev.peergate.requirement.facts.Clause.Logical;
import dev.peergate.requirement.facts.Clause.LogicalArray;
import dev.peergate.requirement.facts.Clause.Not;
import dev.peergate.requirement.facts.Clause.Query;
import dev.peergate.requirement.facts.Clause.QueryStep;
import dev.peergate.requirement.facts.Clause.Terms;
import org.jspecify.annotations.Nullable;

/**
 * Prints a model three ways: canonical text ({@link #describe}), the neutral tree of plain Java values
 * ({@link #neutral}) and the "expected" part of an explanation ({@link #expected}). Each node of the model is
 * one dictionary entry, so all three walk the same shape.
 */
final class FactPrinter {

	private FactPrinter() {
	}

	/** Canonical JSON-like text: keys sorted, no spaces, names annotated with their ids. */
	static String describe(Terms terms) {
		return dictionary(terms, null);
	}

	private static String dictionary(Terms terms, @Nullable Fact bound) {
		return terms.entries().stream().map((entry) -> entry(entry, bound)).collect(Collectors.joining(",", "{", "}"));
	}

	private static String entry(Clause clause, @Nullable Fact bound) {
		if (clause instanceof FactTest test) {
			return ValueType.quote(test.fact().name()) + ":" + value(test.test(), test.fact());
		}
		return ValueType.quote(key(clause)) + ":" + operand(clause, bound);
	}

	private static String value(Clause test, Fact fact) {
		return (test instanceof Equals equals) ? fact.type().display(equals.value()) : dictionary((Terms) test, fact);
	}

	private static String operand(Clause clause, @Nullable Fact bound) {
		if (clause instanceof Logical logical) {
			return dictionary(logical.body(), bound);
		}
		if (clause instanceof Clause.Optional optional) {
			return dictionary(optional.body(), bound);
		}
		if (clause instanceof Not not) {
			return dictionary(not.body(), bound);
		}
		if (clause instanceof LogicalArray array) {
			return array.pairs()
				.stream()
				.map((pair) -> "[" + ValueType.quote(key(pair)) + "," + operand(pair, bound) + "]")
				.collect(Collectors.joining(",", "[", "]"));
		}
		ValueType type = (bound != null) ? bound.type() : null;
		if (clause instanceof In in && type != null) {
			return in.values().stream().map(type::display).collect(Collectors.joining(",", "[", "]"));
		}
		if (clause instanceof Compare compare && type != null) {
			return type.display(compare.operand());
		}
		if (clause instanceof Query query) {
			return steps(query.steps());
		}
		throw new IllegalStateException("Unexpected clause " + clause);
	}

	private static String steps(List<QueryStep> steps) {
		return steps.stream()
			.map((step) -> "[" + step.opcode() + ","
					+ ((step.argument() instanceof String text) ? ValueType.quote(text) : step.argument()) + "]")
			.collect(Collectors.joining(",", "[", "]"));
	}

	/** The key under which a node appears in its dictionary. */
	static String key(Clause clause) {
		if (clause instanceof FactTest test) {
			return test.fact().name();
		}
		if (clause instanceof Logical logical) {
			return logical.operator().key();
		}
		if (clause instanceof LogicalArray array) {
			return array.operator().key();
		}
		if (clause instanceof Clause.Optional) {
			return Operator.OPTIONAL.key();
		}
		if (clause instanceof Not) {
			return Operator.NOT.key();
		}
		if (clause instanceof In) {
			return Operator.IN.key();
		}
		if (clause instanceof Compare compare) {
			return compare.operator().key();
		}
		if (clause instanceof Query) {
			return Operator.QUERY.key();
		}
		throw new IllegalStateException("No key for " + clause);
	}

	/** The neutral tree: Map, List, String, Long, Boolean and byte[] (for data facts such as cdhash). */
	static Map<String, Object> neutral(Terms terms) {
		return neutralDictionary(terms, null);
	}

	private static Map<String, Object> neutralDictionary(Terms terms, @Nullable Fact bound) {
		Map<String, Object> dictionary = new LinkedHashMap<>();
		for (Clause entry : terms.entries()) {
			dictionary.put(key(entry), neutralOperand(entry, bound));
		}
		return dictionary;
	}

	private static Object neutralOperand(Clause clause, @Nullable Fact bound) {
		if (clause instanceof FactTest test) {
			return (test.test() instanceof Equals equals) ? test.fact().type().neutral(equals.value())
					: neutralDictionary((Terms) test.test(), test.fact());
		}
		if (clause instanceof Logical logical) {
			return neutralDictionary(logical.body(), bound);
		}
		if (clause instanceof Clause.Optional optional) {
			return neutralDictionary(optional.body(), bound);
		}
		if (clause instanceof Not not) {
			return neutralDictionary(not.body(), bound);
		}
		if (clause instanceof LogicalArray array) {
			List<Object> pairs = new ArrayList<>();
			for (Clause pair : array.pairs()) {
				pairs.add(List.of(key(pair), neutralOperand(pair, bound)));
			}
			return pairs;
		}
		ValueType type = (bound != null) ? bound.type() : null;
		if (clause instanceof In in && type != null) {
			return in.values().stream().map(type::neutral).toList();
		}
		if (clause instanceof Compare compare) {
			return compare.operand();
		}
		if (clause instanceof Query query) {
			return query.steps().stream().map((step) -> List.of((long) step.opcode(), step.argument())).toList();
		}
		throw new IllegalStateException("Unexpected clause " + clause);
	}

	/**
	 * Names of the peer facts (as recorded in {@link dev.peergate.core.PeerFacts}) that evaluating the model
	 * reads: {@code user} reads {@code uid}; {@code group} and {@code groups} read {@code gid} and {@code groups}.
	 */
	static java.util.Set<String> capturedFacts(Terms terms) {
		java.util.Set<String> names = new java.util.TreeSet<>();
		collect(terms, names);
		return java.util.Collections.unmodifiableSet(names);
	}

	private static void collect(Clause clause, java.util.Set<String> names) {
		if (clause instanceof Terms terms) {
			terms.entries().forEach((entry) -> collect(entry, names));
		}
		else if (clause instanceof FactTest test) {
			String name = test.fact().name();
			switch (name) {
				case "user" -> names.add("uid");
				case "group", "groups" -> names.addAll(List.of("gid", "groups"));
				default -> names.add(name);
			}
		}
		else if (clause instanceof Logical logical) {
			collect(logical.body(), names);
		}
		else if (clause instanceof LogicalArray array) {
			array.pairs().forEach((pair) -> collect(pair, names));
		}
		else if (clause instanceof Clause.Optional optional) {
			collect(optional.body(), names);
		}
		else if (clause instanceof Not not) {
			collect(not.body(), names);
		}
	}

	/** What a test of {@code fact}'s value expects, in words: {@code one of [0, 1000]}, {@code >= 1000}. */
	static String expected(Clause test, Fact fact) {
		ValueType type = fact.type();
		if (test instanceof Equals equals) {
			return type.display(equals.value());
		}
		if (test instanceof In in) {
			return "one of " + in.values().stream().map(type::display).collect(Collectors.joining(", ", "[", "]"));
		}
		if (test instanceof Compare compare) {
			String symbol = switch (compare.operator()) {
				case LT -> "<";
				case LTE -> "<=";
				case GT -> ">";
				default -> ">=";
			};
			return symbol + " " + type.display(compare.operand());
		}
		if (test instanceof Query query) {
			return "entitlements matching $query " + steps(query.steps());
		}
		if (test instanceof Terms terms) {
			return joined(terms.entries(), " and ", fact);
		}
		if (test instanceof Logical logical) {
			return joined(logical.body().entries(), (logical.operator() == Operator.AND) ? " and " : " or ", fact);
		}
		if (test instanceof LogicalArray array) {
			return joined(array.pairs(), (array.operator() == Operator.AND_ARRAY) ? " and " : " or ", fact);
		}
		if (test instanceof Clause.Optional optional) {
			return expected(optional.body(), fact);
		}
		if (test instanceof Not not) {
			return "not " + parenthesised(not.body(), fact);
		}
		throw new IllegalStateException("Unexpected clause " + test);
	}

	private static String joined(List<Clause> clauses, String separator, Fact fact) {
		if (clauses.size() == 1) {
			return expected(clauses.get(0), fact);
		}
		return clauses.stream().map((clause) -> parenthesised(clause, fact)).collect(Collectors.joining(separator));
	}

	private static String parenthesised(Clause clause, Fact fact) {
		boolean compound = (clause instanceof Terms terms && terms.entries().size() > 1)
				|| (clause instanceof Logical logical && logical.body().entries().size() > 1)
				|| (clause instanceof LogicalArray array && array.pairs().size() > 1);
		String text = expected(clause, fact);
		return compound ? "(" + text + ")" : text;
	}

}
