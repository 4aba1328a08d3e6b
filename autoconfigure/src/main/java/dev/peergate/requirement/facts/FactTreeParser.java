package dev.peergate.requirement.facts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * Turns a configuration tree into a {@link Clause} model, validating everything on the way. Accepts what Spring
 * binds from YAML: numbers and booleans possibly as text, lists possibly as maps keyed {@code "0"}, {@code "1"},
 * ... Dictionary entries are sorted by key, so the model (and everything printed from it) does not depend on the
 * order the configuration was written in.
 */
final class FactTreeParser {

	/** Deepest nesting of dictionaries and lists accepted; real requirements are a handful of levels deep. */
	static final int MAX_DEPTH = 32;

	private static final List<Operator> KEY_OPERATORS = List.of(Operator.AND, Operator.OR, Operator.AND_ARRAY,
			Operator.OR_ARRAY, Operator.OPTIONAL, Operator.NOT);

	private final FactSet factSet;

	private final @Nullable IdResolver resolver;

	FactTreeParser(FactSet factSet, @Nullable IdResolver resolver) {
		this.factSet = factSet;
		this.resolver = resolver;
	}

	Terms parse(@Nullable Object tree, String path) {
		if (tree == null) {
			throw Problems.invalid(path, "no requirement", "a dictionary of " + factNames());
		}
		return terms(tree, path, null, 0, "a dictionary of " + factNames());
	}

	private Terms terms(Object raw, String path, @Nullable Fact bound, int depth, String expected) {
		if (depth > MAX_DEPTH) {
			throw Problems.invalid(path, "nested more than " + MAX_DEPTH + " levels deep", "a flatter requirement");
		}
		Map<?, ?> map = map(raw);
		if (map == null) {
			throw Problems.invalid(path, "found " + Problems.describeRaw(raw), expected);
		}
		if (map.isEmpty()) {
			throw Problems.invalid(path, "empty dictionary", expected);
		}
		TreeMap<String, Object> sorted = new TreeMap<>();
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (!(entry.getKey() instanceof String key)) {
				throw Problems.invalid(path, "key " + Problems.describeRaw(entry.getKey()) + " is not text", expected);
			}
			String written = operatorKey(key);
			if (entry.getValue() == null) {
				throw Problems.invalid(Problems.key(path, written), "no value", null);
			}
			if (sorted.put(written, entry.getValue()) != null) {
				throw Problems.invalid(Problems.key(path, written), "'" + written + "' is given twice", "each key once",
						"write it once, or use $and-array / $or-array to repeat a test");
			}
		}
		List<Clause> entries = new ArrayList<>(sorted.size());
		sorted.forEach((key, value) -> entries.add(entry(key, value, Problems.key(path, key), bound, depth)));
		return new Terms(entries);
	}

	/**
	 * The key as the user wrote it. Spring Boot's binder drops the {@code $} of a map key written without
	 * brackets ({@code $in} arrives as {@code in}); no fact has an operator's name, so the operator is meant.
	 */
	private static String operatorKey(String key) {
		return (!key.startsWith("$") && Operator.ofKey("$" + key) != null) ? "$" + key : key;
	}

	private Clause entry(String key, Object value, String path, @Nullable Fact bound, int depth) {
		if (key.startsWith("$")) {
			return operator(key, value, path, bound, depth);
		}
		if (bound != null) {
			if (this.factSet.fact(key) != null) {
				throw Problems.invalid(path, "fact '" + key + "' cannot be nested inside the value of '" + bound + "'",
						valueOperators(bound), "move '" + key + "' up one level, next to '" + bound + "'");
			}
			throw Problems.invalid(path, "unexpected key '" + key + "' inside the value of fact '" + bound + "'",
					valueOperators(bound));
		}
		Fact fact = this.factSet.fact(key);
		if (fact == null) {
			throw unknownFact(key, path);
		}
		return factTest(fact, value, path, depth);
	}

	private RuntimeException unknownFact(String key, String path) {
		Fact elsewhere = this.factSet.other().fact(key);
		if (elsewhere != null) {
			return Problems.invalid(path,
					"fact '" + key + "' belongs to the " + this.factSet.other().title() + ", not to the "
							+ this.factSet.title(),
					"one of " + factNames(), "move it to requirement." + this.factSet.other().propertyName());
		}
		String alias = this.factSet.alias(key);
		String closest = (alias != null) ? alias : Problems.closest(key, this.factSet.facts().keySet());
		return Problems.invalid(path, "unknown fact '" + key + "'", "one of " + factNames() + " or an operator",
				(closest != null) ? "did you mean '" + closest + "'?" : null);
	}

	private Clause factTest(Fact fact, Object value, String path, int depth) {
		if (map(value) != null) {
			return new FactTest(fact, terms(value, path, fact, depth + 1, valueOperators(fact)));
		}
		if (list(value) != null) {
			throw Problems.invalid(path, "found a list", fact.type().expected(),
					fact.type().allowsIn() ? "for several allowed values write {$in: [...]}" : null);
		}
		return new FactTest(fact, new Equals(fact.type().parse(value, path, this.resolver)));
	}

	private Clause operator(String key, Object value, String path, @Nullable Fact bound, int depth) {
		Operator operator = Operator.ofKey(key);
		if (operator == null || !this.factSet.allows(operator)) {
			String expected = (bound != null) ? valueOperators(bound) : "a fact or one of " + keyOperators();
			if (operator == Operator.NOT) {
				throw Problems.invalid(path, "$not is not part of Apple's lightweight code requirement language",
						expected, "state what is allowed instead, e.g. with $in");
			}
			String closest = Problems.closest(key,
					Arrays.stream(Operator.values()).filter(this.factSet::allows).map(Operator::key).toList());
			throw Problems.invalid(path, "unknown operator '" + key + "'", expected,
					(closest != null) ? "did you mean '" + closest + "'?" : null);
		}
		String dictionary = (bound != null) ? valueOperators(bound) : "a dictionary of facts and operators";
		switch (operator) {
			case AND, OR -> {
				return new Logical(operator, terms(value, path, bound, depth + 1, dictionary));
			}
			case OPTIONAL -> {
				return optional(value, path, bound, depth);
			}
			case NOT -> {
				return new Not(terms(value, path, bound, depth + 1, dictionary));
			}
			case AND_ARRAY, OR_ARRAY -> {
				return array(operator, value, path, bound, depth);
			}
			default -> {
				if (bound == null) {
					throw Problems.invalid(path,
							"'" + key + "' compares a fact's value and cannot stand in place of a fact",
							"a fact or one of " + keyOperators(), "write it inside a fact, e.g. uid: {" + key + ": ...}");
				}
				return comparison(operator, value, path, bound, depth);
			}
		}
	}

	private Clause optional(Object value, String path, @Nullable Fact bound, int depth) {
		String expected = "a dictionary with exactly one fact or operator";
		Terms body = terms(value, path, bound, depth + 1, expected);
		if (body.entries().size() != 1) {
			throw Problems.invalid(path, "$optional holds " + body.entries().size() + " entries", expected,
					"wrap each optional test in its own $optional, inside $and-array if needed");
		}
		return new Clause.Optional(body);
	}

	private Clause array(Operator operator, Object value, String path, @Nullable Fact bound, int depth) {
		String pairs = "a list of [operator, dictionary] pairs, operator one of " + pairOperators();
		List<?> list = list(value);
		if (list == null) {
			throw Problems.invalid(path, "found " + Problems.describeRaw(value), pairs);
		}
		if (list.isEmpty()) {
			throw Problems.invalid(path, "empty list", pairs);
		}
		List<Clause> clauses = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			String pairPath = Problems.index(path, i);
			List<?> pair = list(list.get(i));
			if (pair == null || pair.size() != 2) {
				throw Problems.invalid(pairPath, "found " + Problems.describeRaw(list.get(i)),
						"a pair [operator, dictionary], operator one of " + pairOperators());
			}
			Object name = pair.get(0);
			Operator pairOperator = (name instanceof String text) ? Operator.ofKey(operatorKey(text.trim())) : null;
			if (pairOperator == null || !(pairOperator == Operator.AND || pairOperator == Operator.OR
					|| pairOperator == Operator.OPTIONAL || (pairOperator == Operator.NOT && this.factSet.allows(pairOperator)))) {
				throw Problems.invalid(Problems.index(pairPath, 0), "found " + Problems.describeRaw(name),
						"one of " + pairOperators());
			}
			String bodyPath = Problems.index(pairPath, 1);
			Object body = (pair.get(1) != null) ? pair.get(1) : "";
			String dictionary = (bound != null) ? valueOperators(bound) : "a dictionary of facts and operators";
			clauses.add(switch (pairOperator) {
				case OPTIONAL -> optional(body, bodyPath, bound, depth + 1);
				case NOT -> new Not(terms(body, bodyPath, bound, depth + 2, dictionary));
				default -> new Logical(pairOperator, terms(body, bodyPath, bound, depth + 2, dictionary));
			});
		}
		return new LogicalArray(operator, clauses);
	}

	private Clause comparison(Operator operator, Object value, String path, Fact fact, int depth) {
		ValueType type = fact.type();
		if (operator == Operator.QUERY) {
			if (!(type instanceof ValueType.EntitlementsType)) {
				throw Problems.invalid(path, "$query applies only to 'entitlements', not to '" + fact + "'",
						valueOperators(fact));
			}
			return query(value, path, depth);
		}
		if (operator == Operator.IN) {
			if (!type.allowsIn()) {
				throw Problems.invalid(path, "$in does not apply to '" + fact + "'", valueOperators(fact));
			}
			List<?> list = list(value);
			String expected = "a non-empty list of " + type.expected();
			if (list == null) {
				throw Problems.invalid(path, "found " + Problems.describeRaw(value), expected);
			}
			if (list.isEmpty()) {
				throw Problems.invalid(path, "empty $in list: no peer could ever match", expected);
			}
			List<Object> values = new ArrayList<>(list.size());
			for (int i = 0; i < list.size(); i++) {
				Object element = list.get(i);
				String elementPath = Problems.index(path, i);
				if (element == null || map(element) != null || list(element) != null) {
					throw Problems.invalid(elementPath, "found " + Problems.describeRaw(element), type.expected());
				}
				values.add(type.parse(element, elementPath, this.resolver));
			}
			return new In(values);
		}
		if (!type.ordered()) {
			throw Problems.invalid(path, operator + " does not apply to '" + fact + "': it is not a number",
					valueOperators(fact));
		}
		if (map(value) != null || list(value) != null) {
			throw Problems.invalid(path, "found " + Problems.describeRaw(value), type.expected());
		}
		return new Compare(operator, (Long) type.parse(value, path, this.resolver));
	}

	private Clause query(Object value, String path, int depth) {
		String expected = "a non-empty list of [opcode, argument] steps";
		List<?> list = list(value);
		if (list == null) {
			throw Problems.invalid(path, "found " + Problems.describeRaw(value), expected,
					"e.g. $query: [[1, com.apple.security.device.camera], [5, true]]");
		}
		if (list.isEmpty()) {
			throw Problems.invalid(path, "empty query", expected);
		}
		List<QueryStep> steps = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			String stepPath = Problems.index(path, i);
			List<?> step = list(list.get(i));
			if (step == null || step.size() != 2) {
				throw Problems.invalid(stepPath, "found " + Problems.describeRaw(list.get(i)),
						"a step [opcode, argument] with opcode 1 to 11");
			}
			steps.add(EntitlementQueries.step(step.get(0), step.get(1), stepPath));
		}
		return new Query(steps);
	}

	/** A map that is a dictionary (not a list bound as a map), or {@code null}. */
	static @Nullable Map<?, ?> map(@Nullable Object raw) {
		return (raw instanceof Map<?, ?> map && listFromMap(map) == null) ? map : null;
	}

	/** A list, or a map keyed "0".."n-1" (or "[0]".."[n-1]") as Spring binds lists into maps; else {@code null}. */
	static @Nullable List<?> list(@Nullable Object raw) {
		if (raw instanceof List<?> list) {
			return list;
		}
		return (raw instanceof Map<?, ?> map) ? listFromMap(map) : null;
	}

	private static @Nullable List<?> listFromMap(Map<?, ?> map) {
		if (map.isEmpty()) {
			return null;
		}
		Object[] elements = new Object[map.size()];
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (!(entry.getKey() instanceof String key)) {
				return null;
			}
			String digits = (key.startsWith("[") && key.endsWith("]")) ? key.substring(1, key.length() - 1) : key;
			if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch((c) -> c >= '0' && c <= '9')
					|| (digits.length() > 1 && digits.charAt(0) == '0')) {
				return null;
			}
			int index = Integer.parseInt(digits);
			if (index >= elements.length || elements[index] != null) {
				return null;
			}
			elements[index] = (entry.getValue() != null) ? entry.getValue() : "";
		}
		return Arrays.asList(elements);
	}

	private String factNames() {
		return "the facts " + Problems.join(this.factSet.facts().keySet());
	}

	private String keyOperators() {
		return KEY_OPERATORS.stream().filter(this.factSet::allows).map(Operator::key).collect(Collectors.joining(", "));
	}

	private String pairOperators() {
		return (this.factSet.allows(Operator.NOT)) ? "$and, $or, $optional, $not" : "$and, $or, $optional";
	}

	private String valueOperators(Fact fact) {
		List<String> operators = new ArrayList<>();
		ValueType type = fact.type();
		if (type instanceof ValueType.EntitlementsType) {
			operators.add("$query");
		}
		if (type.allowsIn()) {
			operators.add("$in");
		}
		if (type.ordered()) {
			operators.addAll(List.of("$lt", "$lte", "$gt", "$gte"));
		}
		KEY_OPERATORS.stream().filter(this.factSet::allows).forEach((operator) -> operators.add(operator.key()));
		String plain = (type instanceof ValueType.EntitlementsType) ? "" : type.expected() + ", or ";
		return plain + "a dictionary of the operators " + String.join(", ", operators) + " for '" + fact + "'";
	}

}
