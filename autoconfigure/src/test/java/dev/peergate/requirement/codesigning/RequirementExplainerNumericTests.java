package dev.peergate.requirement.codesigning;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.peergate.requirement.codesigning.Explanation.Result;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ordering of {@code <}, {@code >}, {@code <=} and {@code >=} on strings: Core Foundation's
 * {@code kCFCompareNumerically}, where runs of ASCII digits compare by value and everything else by character.
 */
class RequirementExplainerNumericTests {

	private static Result compare(String actual, String operator, String bound) {
		SigningFacts peer = new SigningFacts("x", null, null, List.of(), Map.of(), Map.of("k", actual), null,
				Map.of());
		return RequirementExplainer
			.explain(CodeRequirements.parse("info[k] " + operator + " \"" + bound + "\""), peer)
			.result();
	}

	private static void assertOrder(String smaller, String larger) {
		assertThat(compare(smaller, "<", larger)).as("%s < %s", smaller, larger).isEqualTo(Result.SATISFIED);
		assertThat(compare(larger, ">", smaller)).as("%s > %s", larger, smaller).isEqualTo(Result.SATISFIED);
		assertThat(compare(smaller, ">=", larger)).as("not %s >= %s", smaller, larger).isEqualTo(Result.FAILED);
		assertThat(compare(larger, "<=", smaller)).as("not %s <= %s", larger, smaller).isEqualTo(Result.FAILED);
	}

	private static void assertSame(String left, String right) {
		assertThat(compare(left, "<=", right)).as("%s <= %s", left, right).isEqualTo(Result.SATISFIED);
		assertThat(compare(left, ">=", right)).as("%s >= %s", left, right).isEqualTo(Result.SATISFIED);
		assertThat(compare(left, "<", right)).as("not %s < %s", left, right).isEqualTo(Result.FAILED);
		assertThat(compare(left, ">", right)).as("not %s > %s", left, right).isEqualTo(Result.FAILED);
	}

	@Test
	void comparesRunsOfDigitsByValue() {
		assertOrder("9.1", "10.2");
		assertOrder("1.9", "1.10");
		assertOrder("build 99", "build 100");
		assertOrder("99999999999999999999", "100000000000000000000");
	}

	@Test
	void comparesEqualNumbersAsEqualWhateverTheirLeadingZeros() {
		assertSame("1.007", "1.7");
		assertSame("10.2", "10.2");
	}

	@Test
	void goesOnAfterEqualNumbers() {
		assertOrder("1.2a", "1.2b");
		assertOrder("1.2.3", "1.2.4");
	}

	@Test
	void comparesEverythingButDigitsByCharacter() {
		assertOrder("Alpha", "Beta");
		assertOrder("1", "a");
		assertOrder("a1", "ab");
	}

	@Test
	void ranksAStringAfterItsPrefixes() {
		assertOrder("1.2", "1.2.1");
		assertOrder("a10", "a10x");
		assertOrder("", "a");
	}

	@Test
	void comparesDigitsOtherThanAsciiAsCharactersAsCoreFoundationDoes() {
		// U+0663 ARABIC-INDIC DIGIT THREE: a digit to Java, but kCFCompareNumerically reads only '0' to '9' as
		// numbers and compares every other character by its code, so it sorts after all ASCII characters.
		assertOrder("4", "\u0663");
		assertOrder("34", "\u0663\u0665");
		assertOrder("x4", "x\u0663");
	}

}
