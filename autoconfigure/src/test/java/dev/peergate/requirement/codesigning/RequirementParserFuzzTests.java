package dev.peergate.requirement.codesigning;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.peergate.requirement.InvalidRequirementException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any input ends in a parsed requirement or an {@link InvalidRequirementException}: never another exception, a
 * hang or a stack overflow; and whatever parses prints to text that parses back to the same tree. Runs its seeds
 * (under {@code RequirementParserFuzzTestsInputs/}) in the normal build; set {@code JAZZER_FUZZ=1} for a campaign.
 */
class RequirementParserFuzzTests {

	@FuzzTest(maxDuration = "5m")
	void parsesOrRejectsAnyInput(FuzzedDataProvider data) {
		String text = data.consumeRemainingAsString();
		ParsedRequirement parsed;
		try {
			parsed = CodeRequirements.parseAny(text);
		}
		catch (InvalidRequirementException ex) {
			assertThat(ex.line()).isPositive();
			assertThat(ex.column()).isPositive();
			return;
		}
		assertThat(CodeRequirements.parseAny(parsed.canonical())).isEqualTo(parsed);
	}

}
