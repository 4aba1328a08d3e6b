package dev.peergate.xpc;

import java.util.Map;

import dev.peergate.requirement.codesigning.CodeRequirements;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rejected XPC peers are explained by the first clause their signing facts contradict. */
class ClauseRejectionExplainerTests {

	private static final String REQUIREMENT = "identifier \"com.example.cli\" and anchor apple generic";

	private final ClauseRejectionExplainer explainer = new ClauseRejectionExplainer(
			CodeRequirements.parse(REQUIREMENT));

	@Test
	void namesTheIdentifierThatDiffers() {
		String explanation = this.explainer.explain(REQUIREMENT,
				Map.of("signing-identifier", "com.evil.tool", "team-identifier", "XYZ9876543"),
				"code failed to satisfy specified code requirement(s)");
		assertThat(explanation).startsWith("identifier: expected \"com.example.cli\", peer has \"com.evil.tool\"")
			.contains("code failed to satisfy specified code requirement(s)")
			.contains("team-identifier=XYZ9876543");
	}

	@Test
	void fallsBackToTheOsErrorWhenNoFactsAreKnown() {
		assertThat(this.explainer.explain(REQUIREMENT, Map.of(), "invalid signature"))
			.isEqualTo("requirement not satisfied: " + REQUIREMENT + "; OS: invalid signature; peer: no signing facts available");
	}

}
