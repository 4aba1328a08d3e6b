package dev.peergate.xpc;

import java.util.List;
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

	@Test
	void decidesCertificateClausesFromTheCertificatesFact() {
		String requirement = "certificate leaf[field.1.2.840.113635.100.6.1.13] exists "
				+ "and certificate leaf[subject.CN] = \"Developer ID Application: Example Corp (ABCDE12345)\"";
		ClauseRejectionExplainer explainer = new ClauseRejectionExplainer(CodeRequirements.parse(requirement));
		Map<String, Object> leaf = Map.of("subject",
				Map.of("CN", "Developer ID Application: Evil Tools (XYZ9876543)", "OU", "XYZ9876543"), "sha1",
				"0000000000000000000000000000000000000000", "extensions", List.of("1.2.840.113635.100.6.1.13"));
		assertThat(explainer.explain(requirement, Map.of("certificates", List.of(leaf)), "refused")).startsWith(
				"certificate leaf[subject.CN]: expected \"Developer ID Application: Example Corp (ABCDE12345)\", "
						+ "peer has \"Developer ID Application: Evil Tools (XYZ9876543)\"");
	}

	@Test
	void entitlementOfAnotherTypeIsExplainedWithItsValue() {
		String requirement = "entitlement[\"com.example.tier\"] = \"3\"";
		ClauseRejectionExplainer explainer = new ClauseRejectionExplainer(CodeRequirements.parse(requirement));
		assertThat(explainer.explain(requirement, Map.of("entitlements", Map.of("com.example.tier", 3L)), "refused"))
			.startsWith("entitlement[com.example.tier]: expected \"3\", peer has 3");
	}

	@Test
	void summarisesStructuredFactsBySizeToKeepTheLineReadable() {
		String explanation = RejectionExplainer.factsSummary()
			.explain(REQUIREMENT, new java.util.LinkedHashMap<>(Map.of("signing-identifier", "com.evil.tool",
					"entitlements", Map.of("a", true, "b", "x"), "certificates", List.of(Map.of()))), "refused");
		assertThat(explanation).contains("signing-identifier=com.evil.tool")
			.contains("entitlements={2 entries}")
			.contains("certificates=[1 item]");
	}

}
