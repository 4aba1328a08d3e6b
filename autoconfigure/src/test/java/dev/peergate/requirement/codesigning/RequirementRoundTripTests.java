package dev.peergate.requirement.codesigning;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Property: printing any syntax tree and parsing the text gives the same tree, for thousands of random trees. */
class RequirementRoundTripTests {

	private static final long SEED = 0x5EC2E9L;

	@Test
	void printThenParseGivesEqualTreeForRandomTrees() {
		RandomRequirements random = new RandomRequirements(SEED);
		for (int i = 0; i < 5000; i++) {
			ParsedRequirement tree = random.any();
			String text = tree.canonical();
			assertThat(CodeRequirements.parseAny(text)).as("tree #%d printed as %s", i, text).isEqualTo(tree);
		}
	}

	@Test
	void printThenParseGivesEqualSetForRandomSets() {
		RandomRequirements random = new RandomRequirements(SEED + 1);
		for (int i = 0; i < 1000; i++) {
			RequirementSet set = random.set();
			assertThat(CodeRequirements.parseSet(set.canonical())).as(set.canonical()).isEqualTo(set);
		}
	}

	@Test
	void everyExampleOfTheReferenceParsesAndPrintsStably() {
		// Apple's examples from Security.framework sources and documentation, verbatim.
		List<String> examples = List.of("anchor apple",
				"anchor apple generic and certificate leaf[field.1.2.840.113635.100.6.1.9] exists",
				"anchor apple generic and certificate leaf[field.1.2.840.113635.100.6.1.10] exists",
				"anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] exists and certificate leaf[field.1.2.840.113635.100.6.1.13] exists",
				"anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] exists and (certificate leaf[field.1.2.840.113635.100.6.1.14] or certificate leaf[field.1.2.840.113635.100.6.1.13])",
				"anchor apple generic and certificate 1[subject.CN] = \"Apple Software Update Certification Authority\"",
				"anchor apple generic and certificate leaf[field.1.2.840.113635.100.6.1.2] exists",
				"anchor apple generic and certificate leaf[field.1.2.840.113635.100.6.1.12] exists",
				"anchor apple generic and certificate leaf[field.1.2.840.113635.100.6.1.7] exists",
				"anchor apple generic and certificate leaf[field.1.2.840.113635.100.6.1.4] exists",
				"entitlement [com.example.testentitlement] exists",
				"identifier \"com.example.id\" and anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and certificate leaf[subject.OU] = ABCDE12345",
				"identifier \"com.example.id\" and anchor apple generic and certificate leaf[subject.CN] = \"Apple Development: J (X)\" and certificate 1[field.1.2.840.113635.100.6.2.1] /* exists */",
				"identifier \"com.example.id\" and anchor apple",
				"identifier \"com.example.id\" and certificate root = H\"0123456789abcdef0123456789abcdef01234567\"");
		for (String example : examples) {
			CodeRequirement parsed = CodeRequirements.parse(example);
			String canonical = parsed.canonical();
			assertThat(CodeRequirements.parse(canonical)).as(example).isEqualTo(parsed);
			assertThat(CodeRequirements.parse(canonical).canonical()).isEqualTo(canonical);
		}
	}

}
