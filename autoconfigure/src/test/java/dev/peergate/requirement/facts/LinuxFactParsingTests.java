package dev.peergate.requirement.facts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.peergate.requirement.facts.Clause.Equals;
import dev.peergate.requirement.facts.Clause.FactTest;
import dev.peergate.requirement.facts.Clause.In;
import dev.peergate.requirement.facts.Clause.Terms;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parsing of every Linux fact and operator, checked through the model and the canonical description.
 */
class LinuxFactParsingTests {

	private static final String BASE = "peergate.listeners.helper.requirement.linux";

	private static LinuxRequirement linux(Map<String, ?> tree) {
		return FactRequirements.linux(tree, BASE, IdResolver.system());
	}

	@Test
	void buildsUidEqualityIntoTypedModel() {
		LinuxRequirement requirement = linux(Map.of("uid", 1000));
		assertThat(requirement.model().entries()).singleElement().isInstanceOfSatisfying(FactTest.class, (test) -> {
			assertThat(test.fact()).isSameAs(FactSet.LINUX.fact("uid"));
			assertThat(test.test()).isEqualTo(new Equals(1000L));
		});
	}

	@Test
	void acceptsUidGivenAsNumericText() {
		assertThat(linux(Map.of("uid", "1000")).describe()).isEqualTo("{\"uid\":1000}");
	}

	@Test
	void acceptsInListGivenAsJavaList() {
		assertThat(linux(Map.of("uid", Map.of("$in", List.of(0, 1000L)))).describe())
			.isEqualTo("{\"uid\":{\"$in\":[0,1000]}}");
	}

	@Test
	void acceptsInListBoundBySpringAsIndexedMap() {
		Map<String, Object> list = new LinkedHashMap<>();
		list.put("1", "1000");
		list.put("0", "0");
		LinuxRequirement requirement = linux(Map.of("uid", Map.of("$in", list)));
		FactTest test = (FactTest) requirement.model().entries().get(0);
		assertThat(((Terms) test.test()).entries()).containsExactly(new In(List.of(0L, 1000L)));
	}

	@Test
	void acceptsBracketedIndexKeysAsList() {
		assertThat(linux(Map.of("gid", Map.of("$in", Map.of("[0]", 5, "[1]", 6)))).describe())
			.isEqualTo("{\"gid\":{\"$in\":[5,6]}}");
	}

	@Test
	void parsesOrderingOperatorsOnUid() {
		assertThat(linux(Map.of("uid", Map.of("$gte", 1000, "$lt", "2000", "$gt", 999, "$lte", 1999))).describe())
			.isEqualTo("{\"uid\":{\"$gt\":999,\"$gte\":1000,\"$lt\":2000,\"$lte\":1999}}");
	}

	@Test
	void sortsEntriesSoThatDescriptionDoesNotDependOnWritingOrder() {
		Map<String, Object> first = new LinkedHashMap<>();
		first.put("uid", 0);
		first.put("gid", 0);
		Map<String, Object> second = new LinkedHashMap<>();
		second.put("gid", 0);
		second.put("uid", 0);
		assertThat(linux(first)).isEqualTo(linux(second));
		assertThat(linux(first).describe()).isEqualTo("{\"gid\":0,\"uid\":0}");
	}

	@Test
	void parsesAndOfFacts() {
		assertThat(linux(Map.of("$and", Map.of("uid", 0, "gid", 0))).describe())
			.isEqualTo("{\"$and\":{\"gid\":0,\"uid\":0}}");
	}

	@Test
	void parsesOrOfFacts() {
		assertThat(linux(Map.of("$or", Map.of("uid", 0, "systemd-unit", "example-cli.service"))).describe())
			.isEqualTo("{\"$or\":{\"systemd-unit\":\"example-cli.service\",\"uid\":0}}");
	}

	@Test
	void parsesOrInsideFactValue() {
		assertThat(linux(Map.of("uid", Map.of("$or", Map.of("$lt", 10, "$gt", 100)))).describe())
			.isEqualTo("{\"uid\":{\"$or\":{\"$gt\":100,\"$lt\":10}}}");
	}

	@Test
	void parsesAndArrayOfPairs() {
		Map<String, Object> tree = Map.of("$and-array",
				List.of(List.of("$or", Map.of("uid", 0, "gid", 0)), List.of("$optional", Map.of("uid", 5))));
		assertThat(linux(tree).describe())
			.isEqualTo("{\"$and-array\":[[\"$or\",{\"gid\":0,\"uid\":0}],[\"$optional\",{\"uid\":5}]]}");
	}

	@Test
	void parsesOrArrayWithRepeatedFacts() {
		Map<String, Object> tree = Map.of("$or-array",
				List.of(List.of("$and", Map.of("uid", 0)), List.of("$and", Map.of("uid", 1000))));
		assertThat(linux(tree).describe()).isEqualTo("{\"$or-array\":[[\"$and\",{\"uid\":0}],[\"$and\",{\"uid\":1000}]]}");
	}

	@Test
	void parsesOptional() {
		assertThat(linux(Map.of("$optional", Map.of("security-label", "unconfined"))).describe())
			.isEqualTo("{\"$optional\":{\"security-label\":\"unconfined\"}}");
	}

	@Test
	void parsesNotInTheLinuxFactSet() {
		assertThat(linux(Map.of("$not", Map.of("uid", 0))).describe()).isEqualTo("{\"$not\":{\"uid\":0}}");
	}

	@Test
	void parsesNotAsArrayPairInTheLinuxFactSet() {
		assertThat(linux(Map.of("$and-array", List.of(List.of("$not", Map.of("uid", 0))))).describe())
			.isEqualTo("{\"$and-array\":[[\"$not\",{\"uid\":0}]]}");
	}

	@Test
	void parsesGidAndGroups() {
		assertThat(linux(Map.of("gid", 100, "groups", Map.of("$in", List.of(27, "24")))).describe())
			.isEqualTo("{\"gid\":100,\"groups\":{\"$in\":[27,24]}}");
	}

	@Test
	void resolvesUserNameToUidAndShowsBoth() {
		LinuxRequirement requirement = linux(Map.of("user", "root"));
		assertThat(requirement.describe()).isEqualTo("{\"user\":\"root\" (uid 0)}");
		FactTest test = (FactTest) requirement.model().entries().get(0);
		assertThat(test.test()).isEqualTo(new Equals(new Clause.ResolvedId("root", 0, "uid")));
	}

	@Test
	void resolvesGroupNamesInsideIn() {
		assertThat(linux(Map.of("group", Map.of("$in", List.of("root", "daemon")))).describe())
			.isEqualTo("{\"group\":{\"$in\":[\"root\" (gid 0),\"daemon\" (gid 1)]}}");
	}

	@Test
	void parsesExecutablePath() {
		assertThat(linux(Map.of("executable-path", "/usr/bin/example-cli")).describe())
			.isEqualTo("{\"executable-path\":\"/usr/bin/example-cli\"}");
	}

	@Test
	void normalisesExecutableSha256ToLowerCase() {
		String digest = "AB".repeat(32);
		assertThat(linux(Map.of("executable-sha256", digest)).describe())
			.isEqualTo("{\"executable-sha256\":\"" + "ab".repeat(32) + "\"}");
	}

	@Test
	void parsesSystemdUnit() {
		assertThat(linux(Map.of("systemd-unit", Map.of("$in", List.of("a.service", "user@1000.service")))).describe())
			.isEqualTo("{\"systemd-unit\":{\"$in\":[\"a.service\",\"user@1000.service\"]}}");
	}

	@Test
	void parsesSecurityLabel() {
		assertThat(linux(Map.of("security-label", "system_u:system_r:example_t:s0")).describe())
			.isEqualTo("{\"security-label\":\"system_u:system_r:example_t:s0\"}");
	}

	@Test
	void quotesSpecialCharactersInDescription() {
		assertThat(linux(Map.of("security-label", "a\"b\\c")).describe())
			.isEqualTo("{\"security-label\":\"a\\\"b\\\\c\"}");
	}

	@Test
	void sameUserRequiresTheGivenUid() {
		assertThat(LinuxRequirements.sameUser(1000).describe()).isEqualTo("{\"uid\":1000}");
	}

	@Test
	void acceptsTreeAsSpringBootBindsItFromYaml() {
		// What Binder.bind(..., Bindable.mapOf(String.class, Object.class)) yields for
		// { uid: { $in: [0, 1000] }, $or-array: [[$and, { gid: 5 }]] }: '$' dropped from unbracketed keys,
		// lists as maps keyed by index.
		Map<String, Object> tree = Map.of("uid", Map.of("in", Map.of("0", 0, "1", 1000)), "or-array",
				Map.of("0", Map.of("0", "$and", "1", Map.of("gid", 5))));
		assertThat(linux(tree).describe())
			.isEqualTo("{\"$or-array\":[[\"$and\",{\"gid\":5}]],\"uid\":{\"$in\":[0,1000]}}");
	}

	@Test
	void acceptsOperatorKeysInSpringBracketNotation() {
		assertThat(linux(Map.of("uid", Map.of("$in", List.of(0)))))
			.isEqualTo(linux(Map.of("uid", Map.of("in", List.of(0)))));
	}

	@Test
	void listsTheCapturedFactsEvaluationReads() {
		LinuxRequirement requirement = linux(Map.of("user", "root", "$or",
				Map.of("group", "root", "$not", Map.of("executable-sha256", "ab".repeat(32)))));
		assertThat(requirement.capturedFacts()).containsExactly("executable-sha256", "gid", "groups", "uid");
	}

	@Test
	void parsesRealAndSavedUid() {
		assertThat(linux(Map.of("real-uid", Map.of("$in", List.of(0, 1000)), "saved-uid", "0")).describe())
			.isEqualTo("{\"real-uid\":{\"$in\":[0,1000]},\"saved-uid\":0}");
	}

	@Test
	void parsesNoNewPrivsGivenAsBooleanOrAsText() {
		assertThat(linux(Map.of("no-new-privs", true)).describe()).isEqualTo("{\"no-new-privs\":true}");
		assertThat(linux(Map.of("no-new-privs", "false"))).isEqualTo(linux(Map.of("no-new-privs", false)));
	}

	@Test
	void parsesSeccompModeByNameOrNumberAndShowsItsName() {
		assertThat(linux(Map.of("seccomp", "filter"))).isEqualTo(linux(Map.of("seccomp", 2)));
		assertThat(linux(Map.of("seccomp", "FILTER")).describe()).isEqualTo("{\"seccomp\":2 (filter)}");
		assertThat(linux(Map.of("seccomp", Map.of("$gte", "strict"))).describe())
			.isEqualTo("{\"seccomp\":{\"$gte\":1 (strict)}}");
		assertThat(linux(Map.of("seccomp", 0)).describe()).isEqualTo("{\"seccomp\":0 (disabled)}");
	}

	@Test
	void listsStatusFactsAsCapturedFactsUnderTheirOwnNames() {
		LinuxRequirement requirement = linux(Map.of("uid", 0, "real-uid", 1000, "$or",
				Map.of("no-new-privs", true, "seccomp", "filter"), "$not", Map.of("saved-uid", 0)));
		assertThat(requirement.capturedFacts()).containsExactly("no-new-privs", "real-uid", "saved-uid", "seccomp",
				"uid");
	}

	@Test
	void equalRequirementsHaveEqualHashCodesAndDifferentOnesDiffer() {
		LinuxRequirement written = linux(Map.of("uid", 0, "gid", 0));
		LinuxRequirement reordered = linux(new LinkedHashMap<>(Map.of("gid", 0, "uid", 0)));
		assertThat(written).isEqualTo(reordered).hasSameHashCodeAs(reordered);
		assertThat(written).isNotEqualTo(linux(Map.of("uid", 0, "gid", 1)));
		assertThat(written).isNotEqualTo(written.describe());
	}

	@Test
	void namesItsFactSetAndDescriptionInToString() {
		assertThat(linux(Map.of("uid", 0))).hasToString("linux {\"uid\":0}");
		assertThat(FactRequirements.lightweight(Map.of("launch-type", 3), "requirement.lightweight"))
			.hasToString("lightweight {\"launch-type\":3}");
	}

	@Test
	void listsTheCapturedFactsInsideArrayOperatorsAndOptionalTests() {
		LinuxRequirement requirement = linux(Map.of("$or-array", List.of(List.of("$and", Map.of("real-uid", 0))),
				"$optional", Map.of("security-label", "unconfined_t")));
		assertThat(requirement.capturedFacts()).containsExactly("real-uid", "security-label");
	}

	@Test
	void needsExactlyTheFactsItReads() {
		assertThat(linux(Map.of("user", "root", "executable-path", "/usr/bin/cli")).neededFacts())
			.hasValue(java.util.Set.of("executable-path", "uid"));
	}
}
