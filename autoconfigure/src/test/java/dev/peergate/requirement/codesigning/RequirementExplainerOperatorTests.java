package dev.peergate.requirement.codesigning;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.peergate.requirement.codesigning.Explanation.Result;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each match operation of {@code info[…]} and {@code entitlement[…]} clauses as the explainer decides and words it:
 * string operations, numeric-aware ordering, dates, binary values, and values that are neither strings nor dates.
 */
class RequirementExplainerOperatorTests {

	private static final Instant NEW_YEAR = Instant.parse("2025-01-01T00:00:00Z");

	private static SigningFacts info(Map<String, Object> infoPlist) {
		return new SigningFacts("com.example.app", null, null, List.of(), Map.of(), infoPlist, null, Map.of());
	}

	private static SigningFacts entitlements(Map<String, Object> entitlements) {
		return new SigningFacts("com.example.app", null, null, List.of(), entitlements, Map.of(), null, Map.of());
	}

	private static Explanation explain(String requirement, SigningFacts facts) {
		return RequirementExplainer.explain(CodeRequirements.parse(requirement), facts);
	}

	private static Result result(String requirement, SigningFacts facts) {
		return explain(requirement, facts).result();
	}

	@Test
	void wordsWhatEachStringOperationExpects() {
		SigningFacts peer = info(Map.of("k", "value"));
		assertThat(explain("info[k] exists", peer).expected()).isEqualTo("present");
		assertThat(explain("info[k] absent", peer).expected()).isEqualTo("nothing");
		assertThat(explain("info[k] = \"a b\"", peer).expected()).isEqualTo("\"a b\"");
		assertThat(explain("info[k] = *a*", peer).expected()).isEqualTo("a value containing \"a\"");
		assertThat(explain("info[k] ~ \"a b\"", peer).expected()).isEqualTo("a value containing \"a b\"");
		assertThat(explain("info[k] = a*", peer).expected()).isEqualTo("a value beginning with \"a\"");
		assertThat(explain("info[k] = *a", peer).expected()).isEqualTo("a value ending with \"a\"");
		assertThat(explain("info[k] < \"1.0\"", peer).expected()).isEqualTo("a value < \"1.0\"");
		assertThat(explain("info[k] > \"1.0\"", peer).expected()).isEqualTo("a value > \"1.0\"");
		assertThat(explain("info[k] <= \"1.0\"", peer).expected()).isEqualTo("a value <= \"1.0\"");
		assertThat(explain("info[k] >= \"1.0\"", peer).expected()).isEqualTo("a value >= \"1.0\"");
	}

	@Test
	void wordsWhatEachDateOperationExpects() {
		SigningFacts peer = info(Map.of("k", NEW_YEAR));
		String when = " timestamp \"20250101000000Z\"";
		assertThat(explain("info[k] =" + when, peer).expected()).isEqualTo("the date 2025-01-01T00:00:00Z");
		assertThat(explain("info[k] <" + when, peer).expected()).isEqualTo("a date before 2025-01-01T00:00:00Z");
		assertThat(explain("info[k] >" + when, peer).expected()).isEqualTo("a date after 2025-01-01T00:00:00Z");
		assertThat(explain("info[k] <=" + when, peer).expected())
			.isEqualTo("a date on or before 2025-01-01T00:00:00Z");
		assertThat(explain("info[k] >=" + when, peer).expected())
			.isEqualTo("a date on or after 2025-01-01T00:00:00Z");
	}

	@Test
	void containsBeginsWithAndEndsWithLookAtTheirPartOfTheString() {
		SigningFacts peer = info(Map.of("k", "com.example.app"));
		assertThat(result("info[k] = *example*", peer)).isEqualTo(Result.SATISFIED);
		assertThat(result("info[k] ~ example", peer)).isEqualTo(Result.SATISFIED);
		assertThat(result("info[k] = *other*", peer)).isEqualTo(Result.FAILED);
		assertThat(result("info[k] = com.example*", peer)).isEqualTo(Result.SATISFIED);
		assertThat(result("info[k] = example*", peer)).isEqualTo(Result.FAILED);
		assertThat(result("info[k] = *app", peer)).isEqualTo(Result.SATISFIED);
		assertThat(result("info[k] = *example", peer)).isEqualTo(Result.FAILED);
	}

	@Test
	void orderingIncludesEqualityOnlyForLessOrEqualAndGreaterOrEqual() {
		SigningFacts peer = info(Map.of("k", "2.5"));
		assertThat(result("info[k] < \"2.5\"", peer)).isEqualTo(Result.FAILED);
		assertThat(result("info[k] > \"2.5\"", peer)).isEqualTo(Result.FAILED);
		assertThat(result("info[k] <= \"2.5\"", peer)).isEqualTo(Result.SATISFIED);
		assertThat(result("info[k] >= \"2.5\"", peer)).isEqualTo(Result.SATISFIED);
		assertThat(result("info[k] <= \"2.4\"", peer)).isEqualTo(Result.FAILED);
		assertThat(result("info[k] >= \"2.6\"", peer)).isEqualTo(Result.FAILED);
		assertThat(result("info[k] <= \"2.6\"", peer)).isEqualTo(Result.SATISFIED);
		assertThat(result("info[k] >= \"2.4\"", peer)).isEqualTo(Result.SATISFIED);
	}

	@Test
	void comparesDatesOnAndAroundTheBound() {
		String when = " timestamp \"20250101000000Z\"";
		SigningFacts on = info(Map.of("k", NEW_YEAR));
		SigningFacts before = info(Map.of("k", NEW_YEAR.minusSeconds(1)));
		SigningFacts after = info(Map.of("k", NEW_YEAR.plusSeconds(1)));
		assertThat(List.of(result("info[k] =" + when, before), result("info[k] =" + when, on),
				result("info[k] =" + when, after)))
			.containsExactly(Result.FAILED, Result.SATISFIED, Result.FAILED);
		assertThat(List.of(result("info[k] <" + when, before), result("info[k] <" + when, on),
				result("info[k] <" + when, after)))
			.containsExactly(Result.SATISFIED, Result.FAILED, Result.FAILED);
		assertThat(List.of(result("info[k] >" + when, before), result("info[k] >" + when, on),
				result("info[k] >" + when, after)))
			.containsExactly(Result.FAILED, Result.FAILED, Result.SATISFIED);
		assertThat(List.of(result("info[k] <=" + when, before), result("info[k] <=" + when, on),
				result("info[k] <=" + when, after)))
			.containsExactly(Result.SATISFIED, Result.SATISFIED, Result.FAILED);
		assertThat(List.of(result("info[k] >=" + when, before), result("info[k] >=" + when, on),
				result("info[k] >=" + when, after)))
			.containsExactly(Result.FAILED, Result.SATISFIED, Result.SATISFIED);
	}

	@Test
	void comparesADateGivenAsJavaUtilDate() {
		SigningFacts peer = info(Map.of("k", Date.from(NEW_YEAR)));
		assertThat(result("info[k] = timestamp \"20250101000000Z\"", peer)).isEqualTo(Result.SATISFIED);
		assertThat(result("info[k] > timestamp \"20250101000000Z\"", peer)).isEqualTo(Result.FAILED);
	}

	@Test
	void aDateComparisonFailsOnAValueThatIsNoDate() {
		SigningFacts peer = info(Map.of("k", "20250101000000Z"));
		assertThat(result("info[k] = timestamp \"20250101000000Z\"", peer)).isEqualTo(Result.FAILED);
		assertThat(result("info[k] <= timestamp \"20250101000000Z\"", peer)).isEqualTo(Result.FAILED);
	}

	@Test
	void aBinaryValueEqualsOnlyTheSameBytes() {
		SigningFacts peer = entitlements(Map.of("data", new byte[] { 0, (byte) 0xff }, "other",
				new byte[] { 0, (byte) 0xfe }, "text", "\u0000\u00ff"));
		Explanation equal = explain("entitlement[data] = 0x00ff", peer);
		assertThat(equal.result()).isEqualTo(Result.SATISFIED);
		assertThat(equal.expected()).isEqualTo("0x00ff");
		assertThat(equal.actual()).isEqualTo("0x00ff");
		assertThat(explain("entitlement[other] = 0x00ff", peer).actual()).isEqualTo("0x00fe");
		assertThat(result("entitlement[other] = 0x00ff", peer)).isEqualTo(Result.FAILED);
		assertThat(result("entitlement[text] = 0x00ff", peer)).isEqualTo(Result.FAILED);
		assertThat(result("entitlement[data] ~ 0x00ff", peer)).as("only = compares bytes").isEqualTo(Result.FAILED);
	}

	@Test
	void aStringNeverEqualsANumberOrADictionary() {
		SigningFacts peer = entitlements(Map.of("number", 5, "dictionary", Map.of("5", "5")));
		Explanation number = explain("entitlement[number] = \"5\"", peer);
		assertThat(number.result()).isEqualTo(Result.FAILED);
		assertThat(number.actual()).isEqualTo("5");
		Explanation dictionary = explain("entitlement[dictionary] = \"5\"", peer);
		assertThat(dictionary.result()).isEqualTo(Result.FAILED);
		assertThat(dictionary.actual()).isEqualTo("a dictionary");
		assertThat(result("entitlement[number] exists", peer)).isEqualTo(Result.SATISFIED);
	}

	@Test
	void anArrayMatchesAnOrderingWhenAnyElementDoes() {
		SigningFacts peer = info(Map.of("versions", List.of("1.2", "3.4")));
		assertThat(result("info[versions] > \"3.0\"", peer)).isEqualTo(Result.SATISFIED);
		assertThat(result("info[versions] > \"3.4\"", peer)).isEqualTo(Result.FAILED);
		assertThat(result("info[versions] absent", peer)).isEqualTo(Result.FAILED);
	}

	@Test
	void aMissingKeyMatchesOnlyAbsent() {
		SigningFacts peer = info(Map.of("k", "value"));
		Explanation equal = explain("info[missing] = value", peer);
		assertThat(equal.result()).isEqualTo(Result.FAILED);
		assertThat(equal.actual()).isEqualTo("nothing");
		assertThat(result("info[missing] exists", peer)).isEqualTo(Result.FAILED);
		assertThat(result("info[missing] < \"1\"", peer)).isEqualTo(Result.FAILED);
		assertThat(result("info[missing] absent", peer)).isEqualTo(Result.SATISFIED);
	}

}
