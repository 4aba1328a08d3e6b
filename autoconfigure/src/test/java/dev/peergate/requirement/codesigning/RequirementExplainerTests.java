package dev.peergate.requirement.codesigning;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.peergate.requirement.codesigning.Explanation.Result;
import dev.peergate.requirement.codesigning.SigningFacts.CertificateFacts;
import dev.peergate.requirement.codesigning.SigningFacts.Flag;

import static org.assertj.core.api.Assertions.assertThat;

class RequirementExplainerTests {

	private static final String DEVELOPER_ID = "identifier \"com.example.helper\" and anchor apple generic and "
			+ "certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and "
			+ "certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and certificate leaf[subject.OU] = ABCDE12345";

	private static SigningFacts developerIdPeer(String identifier, String team) {
		CertificateFacts leaf = new CertificateFacts(
				Map.of("CN", "Developer ID Application: Example (" + team + ")", "OU", team),
				Set.of("1.2.840.113635.100.6.1.13"), Set.of(), Map.of(), "aa".repeat(20), true);
		CertificateFacts intermediate = new CertificateFacts(
				Map.of("CN", "Developer ID Certification Authority"), Set.of("1.2.840.113635.100.6.2.6"), Set.of(),
				Map.of(), null, true);
		CertificateFacts root = CertificateFacts.withSubject(Map.of("CN", "Apple Root CA", "O", "Apple Inc."));
		return new SigningFacts(identifier, team, "0123456789abcdef0123456789abcdef01234567",
				List.of(leaf, intermediate, root),
				Map.of("com.apple.security.app-sandbox", true, "com.example.groups", List.of("a", "b")),
				Map.of("CFBundleShortVersionString", "10.2"), null,
				Map.of(Flag.APPLE_GENERIC_ANCHORED, true, Flag.APPLE_ANCHORED, false));
	}

	private static Explanation explain(String requirement, SigningFacts facts) {
		return RequirementExplainer.explain(CodeRequirements.parse(requirement), facts);
	}

	@Test
	void satisfiesMatchingDeveloperIdPeer() {
		Explanation explanation = explain(DEVELOPER_ID, developerIdPeer("com.example.helper", "ABCDE12345"));
		assertThat(explanation.result()).isEqualTo(Result.SATISFIED);
		assertThat(explanation.operands()).hasSize(5).allMatch(Explanation::satisfied);
	}

	@Test
	void explainsWhichCertificateFieldDiffers() {
		Explanation explanation = explain(DEVELOPER_ID, developerIdPeer("com.example.helper", "XYZ9876543"));
		assertThat(explanation.result()).isEqualTo(Result.FAILED);
		assertThat(explanation.summary())
			.isEqualTo("certificate leaf[subject.OU]: expected \"ABCDE12345\", peer has \"XYZ9876543\"");
		Explanation failed = explanation.failedLeaves().get(0);
		assertThat(failed.clause()).isEqualTo("certificate leaf[subject.OU] = ABCDE12345");
		assertThat(failed.expected()).isEqualTo("\"ABCDE12345\"");
		assertThat(failed.actual()).isEqualTo("\"XYZ9876543\"");
	}

	@Test
	void countsFurtherFailedClausesInSummary() {
		Explanation explanation = explain(DEVELOPER_ID, developerIdPeer("com.example.other", "XYZ9876543"));
		assertThat(explanation.summary()).isEqualTo(
				"identifier: expected \"com.example.helper\", peer has \"com.example.other\" (and 1 more failed clause)");
	}

	@Test
	void explainsEveryAlternativeOfFailedDisjunction() {
		Explanation explanation = explain("identifier \"com.google.Chrome\" or identifier \"com.google.Chrome.beta\"",
				developerIdPeer("com.example.helper", "ABCDE12345"));
		assertThat(explanation.failedLeaves()).extracting(Explanation::expected)
			.containsExactly("\"com.google.Chrome\"", "\"com.google.Chrome.beta\"");
	}

	@Test
	void explainsMissingCertificateInChain() {
		Explanation explanation = explain("certificate 5[subject.CN] = x",
				developerIdPeer("com.example.helper", "ABCDE12345"));
		assertThat(explanation.result()).isEqualTo(Result.FAILED);
		assertThat(explanation.actual()).isEqualTo("no such certificate (chain of 3)");
	}

	@Test
	void negativeSlotsCountFromTheAnchor() {
		SigningFacts peer = developerIdPeer("com.example.helper", "ABCDE12345");
		assertThat(explain("certificate root[subject.O] = \"Apple Inc.\"", peer).satisfied()).isTrue();
		assertThat(explain("certificate -2[subject.CN] = \"Developer ID Certification Authority\"", peer).satisfied())
			.isTrue();
	}

	@Test
	void explainsNegatedClauseThatHeld() {
		Explanation explanation = explain("! identifier \"com.example.helper\"",
				developerIdPeer("com.example.helper", "ABCDE12345"));
		assertThat(explanation.result()).isEqualTo(Result.FAILED);
		assertThat(explanation.summary())
			.isEqualTo("identifier: expected not \"com.example.helper\", peer has \"com.example.helper\"");
	}

	@Test
	void booleanEntitlementExistsButDoesNotEqualTrueString() {
		SigningFacts peer = developerIdPeer("com.example.helper", "ABCDE12345");
		assertThat(explain("entitlement[\"com.apple.security.app-sandbox\"] exists", peer).satisfied()).isTrue();
		Explanation equalsTrue = explain("entitlement[\"com.apple.security.app-sandbox\"] = \"true\"", peer);
		assertThat(equalsTrue.result()).isEqualTo(Result.FAILED);
		assertThat(equalsTrue.actual()).isEqualTo("true");
	}

	@Test
	void arrayValueMatchesWhenAnyElementMatches() {
		SigningFacts peer = developerIdPeer("com.example.helper", "ABCDE12345");
		assertThat(explain("entitlement[com.example.groups] = b", peer).satisfied()).isTrue();
		assertThat(explain("entitlement[com.example.groups] = c", peer).actual()).isEqualTo("[\"a\", \"b\"]");
	}

	@Test
	void anArrayWithoutAMatchingElementFails() {
		SigningFacts peer = developerIdPeer("com.example.helper", "ABCDE12345");
		assertThat(explain("entitlement[com.example.groups] = c", peer).result()).isEqualTo(Result.FAILED);
		assertThat(explain("entitlement[com.example.groups] exists", peer).result()).isEqualTo(Result.SATISFIED);
	}

	@Test
	void existsFailsOnAFalseValueAsSecurityFrameworkDoes() {
		SigningFacts peer = new SigningFacts("x", null, null, List.of(),
				Map.of("com.example.off", false, "com.example.on", true), Map.of(), null, Map.of());
		assertThat(explain("entitlement[com.example.off] exists", peer).result()).isEqualTo(Result.FAILED);
		assertThat(explain("entitlement[com.example.on] exists", peer).result()).isEqualTo(Result.SATISFIED);
	}

	@Test
	void aDateNotBeforeTheBoundFailsTheLessThanComparison() {
		CertificateFacts leaf = new CertificateFacts(Map.of(), Set.of(), Set.of(),
				Map.of("1.2.3.4", Instant.parse("2024-06-01T00:00:00Z")), null, null);
		SigningFacts peer = new SigningFacts("x", null, null, List.of(leaf), Map.of(), Map.of(), null, Map.of());
		assertThat(explain("certificate leaf[timestamp.1.2.3.4] < timestamp \"20240101000000Z\"", peer).result())
			.isEqualTo(Result.FAILED);
		assertThat(explain("certificate leaf[timestamp.1.2.3.4] < timestamp \"20240601000000Z\"", peer).result())
			.as("not before itself")
			.isEqualTo(Result.FAILED);
	}

	@Test
	void aCertificateSlotAtTheChainLengthIsMissingAndFails() {
		SigningFacts peer = developerIdPeer("com.example.helper", "ABCDE12345"); // a chain of 3
		Explanation beyond = explain("certificate 3[subject.CN] = x", peer);
		assertThat(beyond.result()).isEqualTo(Result.FAILED);
		assertThat(explain("certificate 2[subject.CN] = \"Apple Root CA\"", peer).result())
			.isEqualTo(Result.SATISFIED);
	}

	@Test
	void comparesStringsCharacterByCharacterOutsideDigits() {
		SigningFacts peer = new SigningFacts("x", null, null, List.of(), Map.of(),
				Map.of("CFBundleName", "Beta", "Build", "a10"), null, Map.of());
		assertThat(explain("info[CFBundleName] > \"Alpha\"", peer).result()).isEqualTo(Result.SATISFIED);
		assertThat(explain("info[CFBundleName] < \"Alpha\"", peer).result()).isEqualTo(Result.FAILED);
		assertThat(explain("info[CFBundleName] <= \"Beta\"", peer).result()).isEqualTo(Result.SATISFIED);
		assertThat(explain("info[CFBundleName] > \"Beta\"", peer).result()).isEqualTo(Result.FAILED);
		assertThat(explain("info[Build] > \"a9\"", peer).result()).as("digits by value").isEqualTo(Result.SATISFIED);
		assertThat(explain("info[Build] < \"a10x\"", peer).result()).as("a prefix is smaller")
			.isEqualTo(Result.SATISFIED);
	}

	@Test
	void comparesVersionsNumerically() {
		SigningFacts peer = developerIdPeer("com.example.helper", "ABCDE12345");
		assertThat(explain("info[CFBundleShortVersionString] > \"9.1\"", peer).satisfied()).isTrue();
		assertThat(explain("info[CFBundleShortVersionString] >= \"10.10\"", peer).satisfied()).isFalse();
	}

	@Test
	void absentHoldsOnlyForMissingKeys() {
		SigningFacts peer = developerIdPeer("com.example.helper", "ABCDE12345");
		assertThat(explain("entitlement[\"com.apple.security.get-task-allow\"] absent", peer).satisfied()).isTrue();
		assertThat(explain("info[CFBundleShortVersionString] absent", peer).satisfied()).isFalse();
	}

	@Test
	void unknownFlagsAndCertificateFilesAreUndecided() {
		SigningFacts peer = developerIdPeer("com.example.helper", "ABCDE12345");
		assertThat(explain("notarized", peer).result()).isEqualTo(Result.UNDECIDED);
		assertThat(explain("certificate leaf = /some/cert", peer).result()).isEqualTo(Result.UNDECIDED);
		assertThat(explain("notarized and identifier \"com.example.other\"", peer).result())
			.isEqualTo(Result.FAILED);
		assertThat(explain("notarized or identifier \"com.example.helper\"", peer).result())
			.isEqualTo(Result.SATISFIED);
		assertThat(explain("notarized or anchor apple", peer).summary()).isEqualTo("undecided: notarized (unknown)");
	}

	@Test
	void comparesCertificateHashesAndCdhash() {
		SigningFacts peer = developerIdPeer("com.example.helper", "ABCDE12345");
		assertThat(explain("certificate leaf = H\"" + "AA".repeat(20) + "\"", peer).satisfied()).isTrue();
		Explanation cdhash = explain("cdhash H\"" + "00".repeat(20) + "\"", peer);
		assertThat(cdhash.summary()).isEqualTo("cdhash: expected H\"" + "00".repeat(20)
				+ "\", peer has H\"0123456789abcdef0123456789abcdef01234567\"");
	}

	@Test
	void comparesDateExtensions() {
		CertificateFacts leaf = new CertificateFacts(Map.of(), Set.of(), Set.of(),
				Map.of("1.2.3.4", Instant.parse("2024-06-01T00:00:00Z")), null, null);
		SigningFacts peer = new SigningFacts("x", null, null, List.of(leaf), Map.of(), Map.of(), null, Map.of());
		assertThat(explain("certificate leaf[timestamp.1.2.3.4] < timestamp \"20250101000000Z\"", peer).satisfied())
			.isTrue();
		assertThat(explain("certificate leaf[timestamp.1.2.3.4] > timestamp \"20250101000000Z\"", peer).summary())
			.isEqualTo("certificate leaf[timestamp.1.2.3.4]: expected a date after 2025-01-01T00:00:00Z, "
					+ "peer has 2024-06-01T00:00:00Z");
	}

	@Test
	void appleAnchoredCodeSatisfiesGenericAnchorWhenThatIsNotStated() {
		SigningFacts apple = new SigningFacts("com.apple.Safari", null, null, List.of(), Map.of(), Map.of(), 1,
				Map.of(Flag.APPLE_ANCHORED, true));
		assertThat(explain("anchor apple generic and anchor apple and platform 1", apple).satisfied()).isTrue();
	}

}
