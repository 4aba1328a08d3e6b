package dev.peergate.requirement.facts;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.peergate.requirement.InvalidRequirementException;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Every way a fact dictionary can be wrong is an {@link InvalidRequirementException} naming the full property
 * path and what was expected.
 */
class FactRequirementErrorTests {

	private static final String LINUX = "peergate.listeners.helper.requirement.linux";

	private static final String LWCR = "peergate.listeners.helper.requirement.lightweight";

	private static ThrowableAssertAlternative<InvalidRequirementException> linuxError(Map<String, ?> tree,
			String path) {
		return assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> FactRequirements.linux(tree, LINUX, IdResolver.system()))
			.matches((ex) -> path.equals(ex.propertyPath()), "property path " + path);
	}

	private static ThrowableAssertAlternative<InvalidRequirementException> lwcrError(Map<String, ?> tree,
			String path) {
		return assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> FactRequirements.lightweight(tree, LWCR))
			.matches((ex) -> path.equals(ex.propertyPath()), "property path " + path);
	}

	@Test
	void rejectsUnknownFactAndSuggestsTheClosestOne() {
		linuxError(Map.of("uidd", 0), LINUX + ".uidd").withMessageContaining("unknown fact 'uidd'")
			.withMessageContaining("did you mean 'uid'?")
			.withMessageContaining("expected one of the facts uid, gid, groups");
	}

	@Test
	void suggestsTheFactACommonNameMeansRatherThanTheNearestSpelling() {
		linuxError(Map.of("userid", 0), LINUX + ".userid").withMessageContaining("did you mean 'uid'?");
		linuxError(Map.of("unit", "backup.service"), LINUX + ".unit").withMessageContaining("did you mean 'systemd-unit'?");
		lwcrError(Map.of("team-id", "ABCDE12345"), LWCR + ".team-id")
			.withMessageContaining("did you mean 'team-identifier'?");
	}

	@Test
	void rejectsUnknownOperatorAndSuggestsTheClosestOne() {
		linuxError(Map.of("uid", Map.of("$inn", List.of(0))), LINUX + ".uid.$inn")
			.withMessageContaining("unknown operator '$inn'")
			.withMessageContaining("did you mean '$in'?");
	}

	@Test
	void rejectsWrongValueTypeInsideInWithTheElementIndex() {
		linuxError(Map.of("uid", Map.of("$in", List.of(0, 1000, "alice"))), LINUX + ".uid.$in[2]")
			.withMessageContaining("found text \"alice\"")
			.withMessageContaining("expected a uid (an integer from 0 to 4294967294)");
	}

	@Test
	void rejectsNonIntegralNumberForUid() {
		linuxError(Map.of("uid", 1.5), LINUX + ".uid").withMessageContaining("found number 1.5");
	}

	@Test
	void rejectsUidOutOfRange() {
		linuxError(Map.of("uid", -1), LINUX + ".uid").withMessageContaining("value -1 is out of range");
	}

	@Test
	void rejectsEmptyIn() {
		linuxError(Map.of("gid", Map.of("$in", List.of())), LINUX + ".gid.$in")
			.withMessageContaining("empty $in list")
			.withMessageContaining("expected a non-empty list of a gid");
	}

	@Test
	void rejectsInThatIsNotAList() {
		linuxError(Map.of("gid", Map.of("$in", 5)), LINUX + ".gid.$in").withMessageContaining("found number 5");
	}

	@Test
	void rejectsNotInTheLightweightRequirement() {
		lwcrError(Map.of("$not", Map.of("team-identifier", "ABCDE12345")), LWCR + ".$not")
			.withMessageContaining("$not is not part of Apple's lightweight code requirement language");
	}

	@Test
	void rejectsNotAsArrayPairInTheLightweightRequirement() {
		lwcrError(Map.of("$or-array", List.of(List.of("$not", Map.of("launch-type", 3)))), LWCR + ".$or-array[0][0]")
			.withMessageContaining("expected one of $and, $or, $optional");
	}

	@Test
	void rejectsLinuxFactUnderTheLightweightRequirementNamingTheLinuxSet() {
		lwcrError(Map.of("uid", 0), LWCR + ".uid")
			.withMessageContaining("fact 'uid' belongs to the Linux requirement (requirement.linux)")
			.withMessageContaining("move it to requirement.linux");
	}

	@Test
	void rejectsMacFactUnderTheLinuxRequirementNamingTheMacSet() {
		linuxError(Map.of("team-identifier", "ABCDE12345"), LINUX + ".team-identifier")
			.withMessageContaining("belongs to the lightweight code requirement for macOS")
			.withMessageContaining("move it to requirement.lightweight");
	}

	@Test
	void rejectsComparisonOperatorInPlaceOfAFact() {
		linuxError(Map.of("$in", List.of(0)), LINUX + ".$in")
			.withMessageContaining("'$in' compares a fact's value and cannot stand in place of a fact");
	}

	@Test
	void rejectsFactNestedInsideAnotherFactsValue() {
		linuxError(Map.of("uid", Map.of("gid", 0)), LINUX + ".uid.gid")
			.withMessageContaining("fact 'gid' cannot be nested inside the value of 'uid'");
	}

	@Test
	void rejectsOptionalWithMoreThanOneEntry() {
		linuxError(Map.of("$optional", Map.of("uid", 0, "gid", 0)), LINUX + ".$optional")
			.withMessageContaining("$optional holds 2 entries")
			.withMessageContaining("expected a dictionary with exactly one fact or operator");
	}

	@Test
	void rejectsOrderingOperatorOnTextFact() {
		linuxError(Map.of("executable-path", Map.of("$lt", 5)), LINUX + ".executable-path.$lt")
			.withMessageContaining("$lt does not apply to 'executable-path': it is not a number");
	}

	@Test
	void rejectsInOnBooleanFact() {
		lwcrError(Map.of("is-init-proc", Map.of("$in", List.of(true))), LWCR + ".is-init-proc.$in")
			.withMessageContaining("$in does not apply to 'is-init-proc'");
	}

	@Test
	void rejectsQueryOnAnythingButEntitlements() {
		lwcrError(Map.of("team-identifier", Map.of("$query", List.of(List.of(1, "a")))), LWCR + ".team-identifier.$query")
			.withMessageContaining("$query applies only to 'entitlements'");
	}

	@Test
	void rejectsEntitlementsComparedWithPlainValue() {
		lwcrError(Map.of("entitlements", "com.apple.security.app-sandbox"), LWCR + ".entitlements")
			.withMessageContaining("expected {\"$query\": [[opcode, argument], ...]}");
	}

	@Test
	void rejectsUnknownQueryOpcodeWithStepPath() {
		lwcrError(Map.of("entitlements", Map.of("$query", List.of(List.of(1, "a"), List.of(12, "b")))),
				LWCR + ".entitlements.$query[1][0]")
			.withMessageContaining("expected an opcode from 1 to 11");
	}

	@Test
	void rejectsQueryArgumentOfWrongTypeWithStepPath() {
		lwcrError(Map.of("entitlements", Map.of("$query", List.of(List.of(1, "a"), List.of(5, "yes")))),
				LWCR + ".entitlements.$query[1][1]")
			.withMessageContaining("expected true or false");
	}

	@Test
	void rejectsMatchTypeOutsideItsFiveTypes() {
		lwcrError(Map.of("entitlements", Map.of("$query", List.of(List.of(11, 6)))), LWCR + ".entitlements.$query[0][1]")
			.withMessageContaining("1 dictionary, 2 array, 3 integer, 4 string, 5 bool");
	}

	@Test
	void rejectsQueryStepThatIsNotAPair() {
		lwcrError(Map.of("entitlements", Map.of("$query", List.of(List.of(1)))), LWCR + ".entitlements.$query[0]")
			.withMessageContaining("expected a step [opcode, argument]");
	}

	@Test
	void rejectsEmptyRequirement() {
		linuxError(Map.of(), LINUX).withMessageContaining("empty dictionary");
	}

	@Test
	void rejectsMissingRequirement() {
		linuxError(null, LINUX).withMessageContaining("no requirement");
	}

	@Test
	void rejectsListAsFactValueAndPointsToIn() {
		linuxError(Map.of("uid", List.of(0, 1)), LINUX + ".uid").withMessageContaining("found a list")
			.withMessageContaining("for several allowed values write {$in: [...]}");
	}

	@Test
	void rejectsNullFactValue() {
		Map<String, Object> tree = new HashMap<>();
		tree.put("uid", null);
		linuxError(tree, LINUX + ".uid").withMessageContaining("no value");
	}

	@Test
	void rejectsUnknownUserName() {
		linuxError(Map.of("user", "no-such-user-peergate"), LINUX + ".user")
			.withMessageContaining("unknown user 'no-such-user-peergate'");
	}

	@Test
	void rejectsUnknownGroupNameInsideIn() {
		linuxError(Map.of("group", Map.of("$in", List.of("root", "no-such-group-peergate"))), LINUX + ".group.$in[1]")
			.withMessageContaining("unknown group 'no-such-group-peergate'");
	}

	@Test
	void rejectsNumericUserAndPointsToUid() {
		linuxError(Map.of("user", "1000"), LINUX + ".user").withMessageContaining("for a numeric id use the 'uid' fact");
	}

	@Test
	void rejectsOrderingOnUserNames() {
		linuxError(Map.of("user", Map.of("$gt", "root")), LINUX + ".user.$gt").withMessageContaining("not a number");
	}

	@Test
	void rejectsExecutableSha256OfWrongLength() {
		linuxError(Map.of("executable-sha256", "abc"), LINUX + ".executable-sha256")
			.withMessageContaining("expected a SHA-256 digest (64 hexadecimal digits)");
	}

	@Test
	void rejectsRelativeExecutablePath() {
		linuxError(Map.of("executable-path", "bin/cli"), LINUX + ".executable-path")
			.withMessageContaining("expected an absolute path");
	}

	@Test
	void rejectsSystemdUnitWithoutTypeSuffix() {
		linuxError(Map.of("systemd-unit", "example-cli"), LINUX + ".systemd-unit")
			.withMessageContaining("include the unit type suffix");
	}

	@Test
	void rejectsCdhashOfWrongLength() {
		lwcrError(Map.of("cdhash", "abcd"), LWCR + ".cdhash").withMessageContaining("expected a cdhash (40 hexadecimal digits)");
	}

	@Test
	void rejectsLowerCaseTeamIdentifier() {
		lwcrError(Map.of("team-identifier", "abcde12345"), LWCR + ".team-identifier")
			.withMessageContaining("Team IDs are upper case");
	}

	@Test
	void rejectsUnknownValidationCategoryNameAndSuggestsOne() {
		lwcrError(Map.of("validation-category", "developerid"), LWCR + ".validation-category")
			.withMessageContaining("did you mean 'developer-id'?");
	}

	@Test
	void rejectsValidationCategoryZero() {
		lwcrError(Map.of("validation-category", 0), LWCR + ".validation-category")
			.withMessageContaining("value 0 is out of range");
	}

	@Test
	void rejectsLaunchTypeOutsideDocumentedValues() {
		lwcrError(Map.of("launch-type", 7), LWCR + ".launch-type").withMessageContaining("from 0 to 3");
	}

	@Test
	void rejectsBooleanFactGivenAsWord() {
		lwcrError(Map.of("on-system-volume", "yes"), LWCR + ".on-system-volume").withMessageContaining("expected true or false");
	}

	@Test
	void rejectsArrayOperatorElementThatIsNotAPair() {
		linuxError(Map.of("$and-array", List.of(Map.of("uid", 0))), LINUX + ".$and-array[0]")
			.withMessageContaining("expected a pair [operator, dictionary]");
	}

	@Test
	void rejectsArrayPairWithUnknownOperator() {
		linuxError(Map.of("$or-array", List.of(List.of("$xor", Map.of("uid", 0)))), LINUX + ".$or-array[0][0]")
			.withMessageContaining("found text \"$xor\"");
	}

	@Test
	void rejectsArrayPairWhoseBodyIsInvalidWithItsPath() {
		linuxError(Map.of("$or-array", List.of(List.of("$and", Map.of("uid", "x")))), LINUX + ".$or-array[0][1].uid")
			.withMessageContaining("found text \"x\"");
	}

	@Test
	void rejectsEmptyArrayOperator() {
		linuxError(Map.of("$and-array", List.of()), LINUX + ".$and-array").withMessageContaining("empty list");
	}

	@Test
	void rejectsLogicalOperatorWithoutDictionary() {
		linuxError(Map.of("$or", List.of(Map.of("uid", 0))), LINUX + ".$or").withMessageContaining("found list");
	}

	@Test
	void rejectsNonTextKeys() {
		Map<Object, Object> inner = new HashMap<>();
		inner.put(5, 0);
		linuxError(Map.of("$and", inner), LINUX + ".$and").withMessageContaining("key number 5 is not text");
	}

	@Test
	void rejectsNestingBeyondTheDepthLimit() {
		Map<String, Object> tree = Map.of("uid", 0);
		for (int i = 0; i < FactTreeParser.MAX_DEPTH + 1; i++) {
			tree = Map.of("$and", tree);
		}
		linuxError(tree, LINUX + ".$and".repeat(FactTreeParser.MAX_DEPTH + 1))
			.withMessageContaining("nested more than 32 levels deep");
	}

	@Test
	void writesKeysThatAreNotPlainNamesInBrackets() {
		linuxError(Map.of("a.b", 0), LINUX + "[a.b]").withMessageContaining("unknown fact 'a.b'");
	}

	@Test
	void namesOperatorWithItsDollarInPathsEvenWhenSpringDroppedIt() {
		linuxError(Map.of("uid", Map.of("in", List.of(0, "x"))), LINUX + ".uid.$in[1]").withMessageContaining("found text \"x\"");
	}

	@Test
	void rejectsOperatorGivenBothWithAndWithoutDollar() {
		linuxError(Map.of("uid", Map.of("in", List.of(0), "$in", List.of(1))), LINUX + ".uid.$in")
			.withMessageContaining("'$in' is given twice");
	}

	@Test
	void callsAnIndexKeyedMapAListWhenADictionaryWasExpected() {
		linuxError(Map.of("$or", Map.of("0", Map.of("uid", 0))), LINUX + ".$or").withMessageContaining("found list");
	}

	@Test
	void rejectsCyclicTreeInsteadOfOverflowingTheStack() {
		Map<String, Object> tree = new HashMap<>();
		tree.put("$and", List.of(tree));
		Map<String, Object> root = Map.of("$or-array", List.of(List.of("$and", tree)));
		linuxError(root, LINUX + ".$or-array[0][1].$and").withMessageContaining("found list (1 element)");
	}

	@Test
	void rejectsSelfContainingTreeAtTheDepthLimit() {
		Map<String, Object> tree = new HashMap<>();
		tree.put("$and", tree);
		assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> FactRequirements.linux(tree, LINUX, IdResolver.system()))
			.withMessageContaining("nested more than 32 levels deep");
	}

	@Test
	void rejectsTextForRealUid() {
		linuxError(Map.of("real-uid", "alice"), LINUX + ".real-uid").withMessageContaining("found text \"alice\"")
			.withMessageContaining("expected a uid (an integer from 0 to 4294967294)");
	}

	@Test
	void rejectsSavedUidOutOfRange() {
		linuxError(Map.of("saved-uid", Map.of("$in", List.of(0, 4294967295L))), LINUX + ".saved-uid.$in[1]")
			.withMessageContaining("value 4294967295 is out of range");
	}

	@Test
	void rejectsNumberForNoNewPrivs() {
		linuxError(Map.of("no-new-privs", 1), LINUX + ".no-new-privs").withMessageContaining("found number 1")
			.withMessageContaining("expected true or false");
	}

	@Test
	void rejectsInOnNoNewPrivs() {
		linuxError(Map.of("no-new-privs", Map.of("$in", List.of(true))), LINUX + ".no-new-privs.$in")
			.withMessageContaining("$in does not apply to 'no-new-privs'");
	}

	@Test
	void rejectsUnknownSeccompModeAndSuggestsTheClosestName() {
		linuxError(Map.of("seccomp", "filtre"), LINUX + ".seccomp").withMessageContaining("unknown name text \"filtre\"")
			.withMessageContaining("did you mean 'filter'?")
			.withMessageContaining("expected a seccomp mode (an integer from 0 to 2) or one of the names disabled, strict, filter");
	}

	@Test
	void rejectsSeccompModeOutOfRange() {
		linuxError(Map.of("seccomp", 3), LINUX + ".seccomp").withMessageContaining("value 3 is out of range");
	}

	@Test
	void listsTheOperatorsAFactsValueMayUse() {
		linuxError(Map.of("uid", Map.of("gid", 0)), LINUX + ".uid.gid")
			.satisfies((ex) -> assertThat(ex.expected()).isEqualTo("a uid (an integer from 0 to 4294967294), or a "
					+ "dictionary of the operators $in, $lt, $lte, $gt, $gte, $and, $or, $and-array, $or-array, "
					+ "$optional, $not for 'uid'"));
		lwcrError(Map.of("is-init-proc", Map.of("$lt", 1)), LWCR + ".is-init-proc.$lt")
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("$lt does not apply to 'is-init-proc': it is not a number"))
			.satisfies((ex) -> assertThat(ex.expected()).isEqualTo("true or false, or a dictionary of the operators "
					+ "$and, $or, $and-array, $or-array, $optional for 'is-init-proc'"));
	}

	@Test
	void rejectsInOnEntitlementsListingOnlyQueryAndTheLogicalOperators() {
		lwcrError(Map.of("entitlements", Map.of("$in", List.of("a"))), LWCR + ".entitlements.$in")
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("$in does not apply to 'entitlements'"))
			.satisfies((ex) -> assertThat(ex.expected()).isEqualTo(
					"a dictionary of the operators $query, $and, $or, $and-array, $or-array, $optional for 'entitlements'"));
	}

	@Test
	void listsTheOperatorsThatMayStandInPlaceOfAFact() {
		linuxError(Map.of("$gt", 5), LINUX + ".$gt")
			.satisfies((ex) -> assertThat(ex.expected()).isEqualTo("a fact or one of $and, $or, $and-array, $or-array, $optional, $not"))
			.satisfies((ex) -> assertThat(ex.hint()).isEqualTo("write it inside a fact, e.g. uid: {$gt: ...}"));
		lwcrError(Map.of("$gt", 5), LWCR + ".$gt")
			.satisfies((ex) -> assertThat(ex.expected()).isEqualTo("a fact or one of $and, $or, $and-array, $or-array, $optional"));
	}

	@Test
	void listsNotAmongTheArrayPairOperatorsOfTheLinuxRequirement() {
		linuxError(Map.of("$or-array", List.of(List.of("$xor", Map.of("uid", 0)))), LINUX + ".$or-array[0][0]")
			.satisfies((ex) -> assertThat(ex.expected()).isEqualTo("one of $and, $or, $optional, $not"));
	}

	@Test
	void summarisesADictionaryByItsFirstFiveKeys() {
		Map<String, Object> five = new LinkedHashMap<>();
		List.of("a", "b", "c", "d", "e").forEach((key) -> five.put(key, 1));
		linuxError(Map.of("uid", Map.of("$in", five)), LINUX + ".uid.$in")
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("found dictionary with keys [a, b, c, d, e]"));
		Map<String, Object> six = new LinkedHashMap<>(five);
		six.put("f", 1);
		linuxError(Map.of("uid", Map.of("$in", six)), LINUX + ".uid.$in")
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("found dictionary with keys [a, b, c, d, e, ...]"));
	}

	@Test
	void showsFoundTextOfUpTo60CharactersWhole() {
		String sixty = "a".repeat(60);
		linuxError(Map.of("executable-path", sixty), LINUX + ".executable-path")
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("invalid value text \"" + sixty + "\""));
		linuxError(Map.of("executable-path", sixty + "b"), LINUX + ".executable-path")
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("invalid value text \"" + "a".repeat(57) + "...\""));
	}

	@Test
	void saysSoWhenAValueIsMissing() {
		lwcrError(Map.of("entitlements", Map.of("$query", List.of(Arrays.asList(null, "a")))),
				LWCR + ".entitlements.$query[0][0]")
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("found no value"));
	}

	@Test
	void suggestsTheFirstOfEquallyCloseFacts() {
		// 'xid' is one edit from both 'uid' and 'gid'
		linuxError(Map.of("xid", 0), LINUX + ".xid")
			.satisfies((ex) -> assertThat(ex.hint()).isEqualTo("did you mean 'uid'?"));
	}

	@Test
	void suggestsNothingForANameFarFromEveryFact() {
		linuxError(Map.of("zzzzzzzzzzzz", 0), LINUX + ".zzzzzzzzzzzz")
			.satisfies((ex) -> assertThat(ex.hint()).isNull());
	}

	@Test
	void namesTheKindOfNameThatIsUnknownAndHowNamesAreResolved() {
		linuxError(Map.of("group", "no-such-group-peergate"), LINUX + ".group")
			.satisfies((ex) -> assertThat(ex.expected()).isEqualTo("a group name known to this system"))
			.satisfies((ex) -> assertThat(ex.hint()).isEqualTo("names are resolved when the application starts, "
					+ "through getent (falling back to /etc/passwd and /etc/group)"));
		linuxError(Map.of("user", "no-such-user-peergate"), LINUX + ".user")
			.satisfies((ex) -> assertThat(ex.expected()).isEqualTo("a user name known to this system"));
	}

	@Test
	void countsEachLogicalOperatorAsOneLevelOfNesting() {
		for (String operator : List.of("$and", "$or", "$not", "$optional")) {
			assertThatNoException().as(operator)
				.isThrownBy(() -> FactRequirements.linux(nest(operator, 32, Map.of("uid", 0)), LINUX, IdResolver.system()));
			linuxError(nest(operator, 33, Map.of("uid", 0)), LINUX + ("." + operator).repeat(33))
				.withMessageContaining("nested more than 32 levels deep");
		}
	}

	@Test
	void countsTheValueOfAFactAsOneLevelOfNesting() {
		assertThatNoException()
			.isThrownBy(() -> FactRequirements.linux(Map.of("uid", nest("$and", 31, Map.of("$gte", 0))), LINUX,
					IdResolver.system()));
		linuxError(Map.of("uid", nest("$and", 32, Map.of("$gte", 0))), LINUX + ".uid" + ".$and".repeat(32))
			.withMessageContaining("nested more than 32 levels deep");
	}

	@Test
	void countsEachPairOfAnArrayOperatorAsTwoLevelsOfNesting() {
		for (String pair : List.of("$and", "$or", "$not", "$optional")) {
			assertThatNoException().as(pair)
				.isThrownBy(() -> FactRequirements.linux(nestPairs(pair, 16), LINUX, IdResolver.system()));
			linuxError(nestPairs(pair, 17), LINUX + ".$and-array[0][1]".repeat(17))
				.withMessageContaining("nested more than 32 levels deep");
		}
	}

	private static Map<String, Object> nest(String operator, int levels, Map<String, Object> innermost) {
		Map<String, Object> tree = innermost;
		for (int i = 0; i < levels; i++) {
			tree = Map.of(operator, tree);
		}
		return tree;
	}

	private static Map<String, Object> nestPairs(String pair, int levels) {
		Map<String, Object> tree = Map.of("uid", 0);
		for (int i = 0; i < levels; i++) {
			tree = Map.of("$and-array", List.of(List.of(pair, tree)));
		}
		return tree;
	}

	@Test
	void takesAnIndexKeyedMapOfTenElementsForAList() {
		Map<String, Object> indexed = new LinkedHashMap<>();
		for (int i = 0; i < 10; i++) {
			indexed.put(Integer.toString(i), i);
		}
		assertThatNoException().isThrownBy(() -> FactRequirements.linux(Map.of("uid", Map.of("$in", indexed)), LINUX,
				IdResolver.system()));
		assertThat(FactRequirements.linux(Map.of("uid", Map.of("$in", indexed)), LINUX, IdResolver.system()).describe())
			.isEqualTo("{\"uid\":{\"$in\":[0,1,2,3,4,5,6,7,8,9]}}");
	}

	@Test
	void takesAMapForAListOnlyWhenItsKeysAreExactlyTheIndexes() {
		for (List<String> keys : List.of(List.of("0", "01"), List.of("0", "2"), List.of("0", "[0]"))) {
			Map<String, Object> map = new LinkedHashMap<>();
			keys.forEach((key) -> map.put(key, 1));
			linuxError(Map.of("uid", Map.of("$in", map)), LINUX + ".uid.$in")
				.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("found dictionary with keys " + keys));
		}
	}
}
