package dev.peergate.requirement.facts;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parsing of every LWCR fact and operator, the canonical description, and the neutral tree the XPC layer turns
 * into an XPC dictionary.
 */
class LightweightFactParsingTests {

	private static final String BASE = "peergate.listeners.helper.requirement.lightweight";

	private static final String CDHASH = "0123456789abcdef0123456789abcdef01234567";

	private static LightweightRequirement lwcr(Map<String, ?> tree) {
		return FactRequirements.lightweight(tree, BASE);
	}

	@Test
	void describesTeamAndSigningIdentifierCanonically() {
		LightweightRequirement requirement = lwcr(Map.of("team-identifier", "ABCDE12345", "signing-identifier",
				Map.of("$in", List.of("com.example.app", "com.example.cli"))));
		assertThat(requirement.describe()).isEqualTo(
				"{\"signing-identifier\":{\"$in\":[\"com.example.app\",\"com.example.cli\"]},\"team-identifier\":\"ABCDE12345\"}");
	}

	@Test
	void neutralTreeKeepsStringsAndNestedInLists() {
		Map<String, Object> tree = lwcr(Map.of("team-identifier", "ABCDE12345", "signing-identifier",
				Map.of("$in", List.of("com.example.app")))).toNeutralTree();
		assertThat(tree).containsExactly(Map.entry("signing-identifier", Map.of("$in", List.of("com.example.app"))),
				Map.entry("team-identifier", "ABCDE12345"));
	}

	@Test
	void neutralTreeCarriesCdhashAsTwentyBytesOfData() {
		Object cdhash = lwcr(Map.of("cdhash", CDHASH.toUpperCase())).toNeutralTree().get("cdhash");
		assertThat(cdhash).isInstanceOf(byte[].class);
		assertThat((byte[]) cdhash).hasSize(20).isEqualTo(HexFormat.of().parseHex(CDHASH));
	}

	@Test
	void neutralTreeCarriesCdhashListAsListOfData() {
		Map<String, Object> tree = lwcr(Map.of("cdhash", Map.of("$in", List.of(CDHASH)))).toNeutralTree();
		@SuppressWarnings("unchecked")
		List<Object> hashes = (List<Object>) ((Map<String, Object>) tree.get("cdhash")).get("$in");
		assertThat(hashes).singleElement().isInstanceOf(byte[].class);
	}

	@Test
	void describesCdhashAsLowerCaseHex() {
		assertThat(lwcr(Map.of("cdhash", CDHASH.toUpperCase())).describe()).isEqualTo("{\"cdhash\":\"" + CDHASH + "\"}");
	}

	@Test
	void mapsValidationCategoryNamesToTheirIntegers() {
		Map<String, Object> tree = lwcr(Map.of("validation-category",
				Map.of("$in", List.of("platform", "testflight", "development", "app-store", "enterprise",
						"developer-id", "local-signing", "rosetta", "oopjit", "none"))))
			.toNeutralTree();
		assertThat(tree).isEqualTo(Map.of("validation-category",
				Map.of("$in", List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L))));
	}

	@Test
	void acceptsValidationCategoryNameInConstantSpelling() {
		assertThat(lwcr(Map.of("validation-category", "DEVELOPER_ID")).toNeutralTree())
			.isEqualTo(Map.of("validation-category", 6L));
	}

	@Test
	void describesValidationCategoryWithItsName() {
		assertThat(lwcr(Map.of("validation-category", 6)).describe())
			.isEqualTo("{\"validation-category\":6 (developer-id)}");
	}

	@Test
	void acceptsOrderingOperatorsOnValidationCategory() {
		assertThat(lwcr(Map.of("validation-category", Map.of("$lte", "app-store"))).toNeutralTree())
			.isEqualTo(Map.of("validation-category", Map.of("$lte", 4L)));
	}

	@Test
	void convertsBooleanFactsGivenAsTextToBooleans() {
		Map<String, Object> tree = lwcr(Map.of("is-init-proc", "false", "is-sip-protected", true, "on-system-volume",
				"TRUE", "on-authorized-authapfs-volume", false)).toNeutralTree();
		assertThat(tree).isEqualTo(Map.of("is-init-proc", false, "is-sip-protected", true, "on-system-volume", true,
				"on-authorized-authapfs-volume", false));
	}

	@Test
	void convertsLaunchTypeToLong() {
		assertThat(lwcr(Map.of("launch-type", "3")).toNeutralTree()).isEqualTo(Map.of("launch-type", 3L));
	}

	@Test
	void convertsEntitlementQueryToListsOfOpcodeAndArgument() {
		Map<String, Object> tree = lwcr(Map.of("entitlements",
				Map.of("$query", List.of(List.of(1, "com.apple.security.device.camera"), List.of("5", "true")))))
			.toNeutralTree();
		assertThat(tree).isEqualTo(Map.of("entitlements", Map.of("$query",
				List.of(List.of(1L, "com.apple.security.device.camera"), List.of(5L, true)))));
	}

	@Test
	void describesEntitlementQuery() {
		assertThat(lwcr(Map.of("entitlements", Map.of("$query", List.of(List.of(1, "a.b"), List.of(11, 4)))))
			.describe()).isEqualTo("{\"entitlements\":{\"$query\":[[1,\"a.b\"],[11,4]]}}");
	}

	@Test
	void neutralTreeWritesArrayOperatorsAsOperatorDictionaryPairs() {
		Map<String, Object> tree = lwcr(Map.of("$or-array",
				List.of(List.of("$and", Map.of("team-identifier", "ABCDE12345")),
						List.of("$optional", Map.of("is-sip-protected", true)))))
			.toNeutralTree();
		assertThat(tree).isEqualTo(Map.of("$or-array", List.of(List.of("$and", Map.of("team-identifier", "ABCDE12345")),
				List.of("$optional", Map.of("is-sip-protected", true)))));
	}

	@Test
	void neutralTreeKeepsLogicalOperatorsAsDictionaries() {
		Map<String, Object> tree = lwcr(Map.of("$or", Map.of("team-identifier", "ABCDE12345", "$and",
				Map.of("validation-category", "platform", "is-init-proc", true)))).toNeutralTree();
		assertThat(tree).isEqualTo(Map.of("$or", Map.of("team-identifier", "ABCDE12345", "$and",
				Map.of("validation-category", 1L, "is-init-proc", true))));
	}

	@Test
	void neutralTreeContainsOnlyNeutralTypes() {
		Map<String, Object> tree = lwcr(Map.of("team-identifier", Map.of("$in", List.of("ABCDE12345")), "cdhash",
				CDHASH, "launch-type", 0, "$optional", Map.of("on-system-volume", true))).toNeutralTree();
		assertThat(tree.values()).allSatisfy(LightweightFactParsingTests::assertNeutral);
	}

	private static void assertNeutral(Object value) {
		if (value instanceof Map<?, ?> map) {
			assertThat(map.keySet()).allSatisfy((key) -> assertThat(key).isInstanceOf(String.class));
			map.values().forEach(LightweightFactParsingTests::assertNeutral);
		}
		else if (value instanceof List<?> list) {
			list.forEach(LightweightFactParsingTests::assertNeutral);
		}
		else {
			assertThat(value).isInstanceOfAny(String.class, Long.class, Boolean.class, byte[].class);
		}
	}

	@Test
	void eachCallReturnsAnIndependentNeutralTree() {
		LightweightRequirement requirement = lwcr(Map.of("team-identifier", "ABCDE12345"));
		requirement.toNeutralTree().clear();
		assertThat(requirement.toNeutralTree()).containsEntry("team-identifier", "ABCDE12345");
	}

}
