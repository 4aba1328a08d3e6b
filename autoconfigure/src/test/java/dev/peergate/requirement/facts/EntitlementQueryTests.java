package dev.peergate.requirement.facts;

import java.util.List;
import java.util.Map;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.Reason;
import dev.peergate.requirement.InvalidRequirementException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Each opcode of an LWCR entitlement query ({@code $query}), run against a peer's entitlements: what it selects,
 * what it accepts and what it refuses, and which arguments each opcode takes.
 */
class EntitlementQueryTests {

	private static final String PATH = "requirement.lightweight";

	private static Evaluation query(Map<String, Object> entitlements, List<?>... steps) {
		LightweightRequirement requirement = FactRequirements.lightweight(
				Map.of("entitlements", Map.of("$query", List.of(steps))), PATH);
		PeerFacts facts = PeerFacts.builder().verified("entitlements", entitlements).build();
		return requirement.evaluate(PeerCredentials.builder("xpc").facts(facts).build());
	}

	private static boolean holds(Map<String, Object> entitlements, List<?>... steps) {
		Evaluation evaluation = query(entitlements, steps);
		assertThat(evaluation.reason()).as("a query decides locally unless it uses opcode 8 or 9")
			.isIn(Reason.SATISFIED, Reason.REQUIREMENT_NOT_SATISFIED);
		return evaluation.satisfied();
	}

	@Test
	void selectKeyFailsWhenTheKeyIsMissingOrTheValueIsNoDictionary() {
		Map<String, Object> entitlements = Map.of("outer", Map.of("inner", "v"), "text", "v");
		assertThat(holds(entitlements, List.of(1, "outer"), List.of(1, "inner"), List.of(3, "v"))).isTrue();
		assertThat(holds(entitlements, List.of(1, "outer"), List.of(1, "other"))).isFalse();
		assertThat(holds(entitlements, List.of(1, "text"), List.of(1, "v"))).isFalse();
	}

	@Test
	void selectIndexPicksThatElementOfAnArray() {
		Map<String, Object> entitlements = Map.of("groups", List.of("a.group", "b.group"), "text", "a.group");
		assertThat(holds(entitlements, List.of(1, "groups"), List.of(2, 0), List.of(3, "a.group"))).isTrue();
		assertThat(holds(entitlements, List.of(1, "groups"), List.of(2, 1), List.of(3, "b.group"))).isTrue();
		assertThat(holds(entitlements, List.of(1, "groups"), List.of(2, 1), List.of(3, "a.group"))).isFalse();
	}

	@Test
	void selectIndexFailsPastTheEndOfTheArrayOrOnAnythingButAnArray() {
		Map<String, Object> entitlements = Map.of("groups", List.of("a.group", "b.group"), "text", "a.group");
		assertThat(holds(entitlements, List.of(1, "groups"), List.of(2, 2))).isFalse();
		assertThat(holds(entitlements, List.of(1, "text"), List.of(2, 0))).isFalse();
	}

	@Test
	void matchStringNeedsTheWholeString() {
		Map<String, Object> entitlements = Map.of("id", "com.example.app");
		assertThat(holds(entitlements, List.of(1, "id"), List.of(3, "com.example.app"))).isTrue();
		assertThat(holds(entitlements, List.of(1, "id"), List.of(3, "com.example"))).isFalse();
	}

	@Test
	void matchStringPrefixNeedsAStringStartingWithTheArgument() {
		Map<String, Object> entitlements = Map.of("id", "com.example.app", "flag", true);
		assertThat(holds(entitlements, List.of(1, "id"), List.of(4, "com.example."))).isTrue();
		assertThat(holds(entitlements, List.of(1, "id"), List.of(4, "org.example."))).isFalse();
		assertThat(holds(entitlements, List.of(1, "flag"), List.of(4, "t"))).isFalse();
	}

	@Test
	void matchBoolComparesWithTheBoolean() {
		Map<String, Object> entitlements = Map.of("off", false);
		assertThat(holds(entitlements, List.of(1, "off"), List.of(5, false))).isTrue();
		assertThat(holds(entitlements, List.of(1, "off"), List.of(5, true))).isFalse();
	}

	@Test
	void stringValueAllowedAcceptsTheStringOrAnArrayContainingIt() {
		Map<String, Object> entitlements = Map.of("id", "a.group", "groups", List.of("a.group", "b.group"));
		assertThat(holds(entitlements, List.of(1, "id"), List.of(6, "a.group"))).isTrue();
		assertThat(holds(entitlements, List.of(1, "id"), List.of(6, "b.group"))).isFalse();
		assertThat(holds(entitlements, List.of(1, "groups"), List.of(6, "c.group"))).isFalse();
	}

	@Test
	void matchIntegerComparesTheNumber() {
		Map<String, Object> entitlements = Map.of("long", 5L, "int", 5);
		assertThat(holds(entitlements, List.of(1, "long"), List.of(7, 5))).isTrue();
		assertThat(holds(entitlements, List.of(1, "int"), List.of(7, 5))).isTrue();
		assertThat(holds(entitlements, List.of(1, "long"), List.of(7, 6))).isFalse();
	}

	@Test
	void integerValueAllowedAcceptsTheNumberOrAnArrayContainingIt() {
		Map<String, Object> entitlements = Map.of("one", 3L, "many", List.of(1L, 2L));
		assertThat(holds(entitlements, List.of(1, "one"), List.of(10, 3))).isTrue();
		assertThat(holds(entitlements, List.of(1, "one"), List.of(10, 4))).isFalse();
		assertThat(holds(entitlements, List.of(1, "many"), List.of(10, 2))).isTrue();
		assertThat(holds(entitlements, List.of(1, "many"), List.of(10, 3))).isFalse();
	}

	@Test
	void matchTypeTellsTheFiveTypesApart() {
		Map<String, Object> entitlements = Map.of("dictionary", Map.of("k", "v"), "array", List.of("a"), "integer",
				5L, "string", "5", "bool", true);
		List<String> keys = List.of("dictionary", "array", "integer", "string", "bool");
		for (int type = 1; type <= 5; type++) {
			for (String key : keys) {
				assertThat(holds(entitlements, List.of(1, key), List.of(11, type))).as("%s is of type %d", key, type)
					.isEqualTo(keys.indexOf(key) == type - 1);
			}
		}
	}

	@Test
	void explainsARefusedQueryWithTheStepsAndThePeersEntitlements() {
		Evaluation evaluation = query(Map.of("id", "com.example.other"), List.of(1, "id"),
				List.of(3, "com.example.app"));
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).isEqualTo("entitlements: expected entitlements matching $query "
				+ "[[1,\"id\"],[3,\"com.example.app\"]], peer has {id=com.example.other}");
	}

	@Test
	void leavesPrefixQueriesUndecidedInsteadOfGuessing() {
		Evaluation evaluation = query(Map.of("id", "com.example.app"), List.of(1, "id"), List.of(8, "com.example."));
		assertThat(evaluation.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
		assertThat(evaluation.explanation()).isEqualTo("entitlements: expected entitlements matching $query "
				+ "[[1,\"id\"],[8,\"com.example.\"]], which Peergate cannot decide for peer value {id=com.example.app} "
				+ "(only macOS evaluates entitlement query opcodes 8 and 9)");
	}

	@Test
	void acceptsOpcodesOneToEleven() {
		assertThatNoException().isThrownBy(() -> query(Map.of(), List.of(1, "a")));
		assertThatNoException().isThrownBy(() -> query(Map.of(), List.of(11, 1)));
	}

	@Test
	void rejectsOpcodesOutsideOneToElevenListingEveryOpcode() {
		for (int opcode : new int[] { 0, 12 }) {
			assertThatExceptionOfType(InvalidRequirementException.class)
				.isThrownBy(() -> query(Map.of(), List.of(opcode, "a")))
				.satisfies((ex) -> assertThat(ex.propertyPath()).isEqualTo(PATH + ".entitlements.$query[0][0]"))
				.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("found number " + opcode))
				.satisfies((ex) -> assertThat(ex.expected()).isEqualTo("an opcode from 1 to 11: 1 select key, "
						+ "2 select index, 3 match string, 4 match string prefix, 5 match bool, "
						+ "6 string value allowed, 7 match integer, 8 string-prefix value allowed, "
						+ "9 select key with prefix, 10 integer value allowed, 11 match type"));
		}
	}

	@Test
	void selectIndexTakesANonNegativeIndex() {
		assertThatNoException().isThrownBy(() -> query(Map.of(), List.of(2, 0)));
		assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> query(Map.of(), List.of(2, -1)))
			.satisfies((ex) -> assertThat(ex.propertyPath()).isEqualTo(PATH + ".entitlements.$query[0][1]"))
			.satisfies((ex) -> assertThat(ex.expected())
				.isEqualTo("for opcode 2 (select index) a non-negative integer"));
	}

	@Test
	void matchTypeTakesTypeNumbersOneToFive() {
		assertThatNoException().isThrownBy(() -> query(Map.of(), List.of(11, 5)));
		for (int type : new int[] { 0, 6 }) {
			assertThatExceptionOfType(InvalidRequirementException.class)
				.isThrownBy(() -> query(Map.of(), List.of(11, type)))
				.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("found number " + type))
				.satisfies((ex) -> assertThat(ex.expected()).isEqualTo(
						"for opcode 11 (match type) a type number: 1 dictionary, 2 array, 3 integer, 4 string, 5 bool"));
		}
	}

	@Test
	void stringOpcodesTakeANonEmptyString() {
		assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> query(Map.of(), List.of(3, "")))
			.satisfies((ex) -> assertThat(ex.expected()).isEqualTo("for opcode 3 (match string) a non-empty string"));
		assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> query(Map.of(), List.of(7, "seven")))
			.satisfies((ex) -> assertThat(ex.expected()).isEqualTo("for opcode 7 (match integer) an integer"));
	}

}
