package dev.peergate.requirement.codesigning;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real-world designated requirements and hand-written inputs covering the whole grammar parse, print in Apple's
 * canonical form and print stably.
 */
class RequirementCorpusTests {

	static List<CorpusLoader.Entry> corpus() {
		return CorpusLoader.corpus();
	}

	@Test
	void corpusHoldsAtLeastSixtyRequirements() {
		assertThat(corpus()).hasSizeGreaterThanOrEqualTo(60);
	}

	@ParameterizedTest
	@MethodSource("corpus")
	void printsCanonically(CorpusLoader.Entry entry) {
		assertThat(CodeRequirements.parseAny(entry.input()).canonical()).isEqualTo(entry.canonical());
	}

	@ParameterizedTest
	@MethodSource("corpus")
	void printsStably(CorpusLoader.Entry entry) {
		ParsedRequirement parsed = CodeRequirements.parseAny(entry.input());
		ParsedRequirement reparsed = CodeRequirements.parseAny(parsed.canonical());
		assertThat(reparsed).isEqualTo(parsed);
		assertThat(reparsed.canonical()).isEqualTo(parsed.canonical());
	}

}
