package dev.peergate.requirement.facts;

import java.util.List;
import java.util.Objects;

/**
 * The typed model of a fact dictionary, one node per dictionary entry, so that it converts back to the same
 * dictionary shape. Nodes are either in <em>key position</em> (facts and logical operators whose value is a
 * dictionary of facts) or in <em>value position</em> (inside a fact's value: comparisons bound to that fact).
 * <p>
 * Values held by the nodes are canonical: {@link Long} for integers, {@link Boolean}, {@link String} (lower-case
 * hex for hashes) and {@link ResolvedId} for Linux user and group names.
 *
 * <pre>{@code
 * // { uid: { $in: [0, 1000] } }
 * new Clause.Terms(List.of(new Clause.FactTest(fact, new Clause.Terms(List.of(new Clause.In(List.of(0L, 1000L)))))));
 * }</pre>
 */
public sealed interface Clause {

	/**
	 * A dictionary: all its entries must hold. Entries are kept in canonical (sorted by key) order.
	 * @param entries the entries, each one key of the dictionary
	 */
	record Terms(List<Clause> entries) implements Clause {

		public Terms {
			entries = List.copyOf(entries);
		}

	}

	/**
	 * A fact and the test of its value: {@code fact: value}.
	 * @param fact the fact
	 * @param test {@link Equals} for a plain value, otherwise {@link Terms} of value-position operators
	 */
	record FactTest(Fact fact, Clause test) implements Clause {

		public FactTest {
			Objects.requireNonNull(fact, "'fact' must not be null");
			Objects.requireNonNull(test, "'test' must not be null");
		}

	}

	/**
	 * {@code $and} or {@code $or} with a dictionary.
	 * @param operator {@link Operator#AND} or {@link Operator#OR}
	 * @param body the dictionary
	 */
	record Logical(Operator operator, Terms body) implements Clause {

	}

	/**
	 * {@code $and-array} or {@code $or-array}: a list of {@code [operator, dictionary]} pairs.
	 * @param operator {@link Operator#AND_ARRAY} or {@link Operator#OR_ARRAY}
	 * @param pairs {@link Logical}, {@link Optional} or (Linux) {@link Not} nodes, one per pair
	 */
	record LogicalArray(Operator operator, List<Clause> pairs) implements Clause {

		public LogicalArray {
			pairs = List.copyOf(pairs);
		}

	}

	/**
	 * {@code $optional}: a dictionary with exactly one entry.
	 * @param body the dictionary
	 */
	record Optional(Terms body) implements Clause {

	}

	/**
	 * {@code $not} (Linux only).
	 * @param body the dictionary that must not hold
	 */
	record Not(Terms body) implements Clause {

	}

	/**
	 * A plain value in value position: the fact equals it.
	 * @param value the canonical value
	 */
	record Equals(Object value) implements Clause {

	}

	/**
	 * {@code $in}: the fact's value is one of these (never empty).
	 * @param values canonical values
	 */
	record In(List<Object> values) implements Clause {

		public In {
			values = List.copyOf(values);
		}

	}

	/**
	 * {@code $lt}, {@code $lte}, {@code $gt} or {@code $gte}.
	 * @param operator the ordering operator
	 * @param operand the bound
	 */
	record Compare(Operator operator, long operand) implements Clause {

	}

	/**
	 * {@code $query} over the entitlements.
	 * @param steps the query steps in order
	 */
	record Query(List<QueryStep> steps) implements Clause {

		public Query {
			steps = List.copyOf(steps);
		}

	}

	/**
	 * One step of an entitlement query.
	 * @param opcode 1 to 11, see {@link EntitlementQueries}
	 * @param argument {@link String}, {@link Long} or {@link Boolean} as the opcode requires
	 */
	record QueryStep(int opcode, Object argument) {

	}

	/**
	 * A Linux user or group name resolved to its id when the requirement was built.
	 * @param name the name as written
	 * @param id the numeric id
	 * @param kind {@code uid} or {@code gid}
	 */
	record ResolvedId(String name, long id, String kind) {

		@Override
		public String toString() {
			return "\"" + this.name + "\" (" + this.kind + " " + this.id + ")";
		}

	}

}
