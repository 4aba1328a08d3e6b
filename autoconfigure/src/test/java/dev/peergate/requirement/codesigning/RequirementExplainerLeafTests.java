package dev.peergate.requirement.codesigning;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.peergate.requirement.codesigning.Explanation.Result;
import dev.peergate.requirement.codesigning.SigningFacts.CertificateFacts;
import dev.peergate.requirement.codesigning.SigningFacts.Flag;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the explainer decides and words each kind of leaf clause (identifiers, hashes, platform, flags, trust,
 * certificate fields) and combines three-valued results with {@code and}, {@code or} and {@code !}.
 */
class RequirementExplainerLeafTests {

	private static final String SHA1 = "0123456789abcdef0123456789abcdef01234567";

	private static final String OTHER_SHA1 = "89abcdef0123456789abcdef0123456789abcdef";

	private static SigningFacts withFlags(Map<Flag, Boolean> flags) {
		return new SigningFacts("com.example.app", null, null, List.of(), Map.of(), Map.of(), null, flags);
	}

	private static SigningFacts withChain(CertificateFacts... chain) {
		return new SigningFacts("com.example.app", null, null, List.of(chain), Map.of(), Map.of(), null, Map.of());
	}

	private static CertificateFacts certificate(Set<String> extensions, Set<String> policies, String sha1,
			Boolean trusted) {
		return new CertificateFacts(Map.of("CN", "Leaf"), extensions, policies, Map.of(), sha1, trusted);
	}

	private static Explanation explain(String requirement, SigningFacts facts) {
		return RequirementExplainer.explain(CodeRequirements.parse(requirement), facts);
	}

	private static String line(Explanation explanation) {
		return explanation.result() + " " + explanation.subject() + ": expected " + explanation.expected()
				+ ", has " + explanation.actual();
	}

	@Test
	void constantsNeedNoFacts() {
		Explanation always = explain("always", withFlags(Map.of()));
		assertThat(always.result()).isEqualTo(Result.SATISFIED);
		assertThat(always.expected()).isNull();
		assertThat(explain("never", withFlags(Map.of())).result()).isEqualTo(Result.FAILED);
	}

	@Test
	void aPeerWithoutIdentifierOrCdhashHasNothing() {
		SigningFacts anonymous = new SigningFacts(null, null, null, List.of(), Map.of(), Map.of(), null, Map.of());
		assertThat(line(explain("identifier \"com.example.app\"", anonymous)))
			.isEqualTo("FAILED identifier: expected \"com.example.app\", has nothing");
		assertThat(line(explain("cdhash H\"" + SHA1 + "\"", anonymous)))
			.isEqualTo("FAILED cdhash: expected H\"" + SHA1 + "\", has nothing");
	}

	@Test
	void comparesCdhashesIgnoringCase() {
		SigningFacts peer = new SigningFacts("x", null, SHA1.toUpperCase(), List.of(), Map.of(), Map.of(), null,
				Map.of());
		assertThat(line(explain("cdhash H\"" + SHA1 + "\"", peer)))
			.isEqualTo("SATISFIED cdhash: expected H\"" + SHA1 + "\", has H\"" + SHA1 + "\"");
	}

	@Test
	void comparesThePlatform() {
		SigningFacts platformOne = new SigningFacts("x", null, null, List.of(), Map.of(), Map.of(), 1, Map.of());
		SigningFacts noPlatform = new SigningFacts("x", null, null, List.of(), Map.of(), Map.of(), null, Map.of());
		assertThat(line(explain("platform 1", platformOne))).isEqualTo("SATISFIED platform: expected 1, has 1");
		assertThat(line(explain("platform 2", platformOne))).isEqualTo("FAILED platform: expected 2, has 1");
		assertThat(line(explain("platform 1", noPlatform))).isEqualTo("FAILED platform: expected 1, has no platform");
	}

	@Test
	void decidesEachFlagClauseFromItsOwnFlag() {
		Map<String, Flag> clauses = Map.of("notarized", Flag.NOTARIZED, "legacy", Flag.LEGACY_DEVELOPER_ID,
				"anchor apple", Flag.APPLE_ANCHORED, "anchor trusted", Flag.CHAIN_TRUSTED);
		Map<String, String> expected = Map.of("notarized", "notarized", "legacy", "a legacy Developer ID signature",
				"anchor apple", "signed by Apple as Apple's own code", "anchor trusted", "every certificate trusted");
		clauses.forEach((clause, flag) -> {
			String what = expected.get(clause);
			assertThat(line(explain(clause, withFlags(Map.of(flag, true)))))
				.isEqualTo("SATISFIED " + clause + ": expected " + what + ", has yes");
			assertThat(line(explain(clause, withFlags(Map.of(flag, false)))))
				.isEqualTo("FAILED " + clause + ": expected " + what + ", has no");
			Map<Flag, Boolean> others = new HashMap<>();
			for (Flag other : Flag.values()) {
				if (other != flag) {
					others.put(other, true);
				}
			}
			assertThat(line(explain(clause, withFlags(others))))
				.isEqualTo("UNDECIDED " + clause + ": expected " + what + ", has unknown");
		});
	}

	@Test
	void appleOwnCodeIsAnchoredAtAnAppleRootUnlessTheFactsSayOtherwise() {
		String clause = "anchor apple generic";
		assertThat(line(explain(clause, withFlags(Map.of(Flag.APPLE_ANCHORED, true)))))
			.isEqualTo("SATISFIED anchor apple generic: expected a chain anchored at an Apple root, has yes");
		assertThat(explain(clause, withFlags(Map.of(Flag.APPLE_ANCHORED, true, Flag.APPLE_GENERIC_ANCHORED, false)))
			.result()).isEqualTo(Result.FAILED);
		assertThat(explain(clause, withFlags(Map.of(Flag.APPLE_ANCHORED, false))).result())
			.isEqualTo(Result.UNDECIDED);
		assertThat(explain(clause, withFlags(Map.of(Flag.APPLE_ANCHORED, false, Flag.APPLE_GENERIC_ANCHORED, true)))
			.result()).isEqualTo(Result.SATISFIED);
	}

	@Test
	void decidesTrustOfOneCertificate() {
		assertThat(line(explain("certificate leaf trusted", withChain(certificate(Set.of(), Set.of(), null, true)))))
			.isEqualTo("SATISFIED certificate leaf: expected trusted, has trusted");
		assertThat(line(explain("certificate leaf trusted", withChain(certificate(Set.of(), Set.of(), null, false)))))
			.isEqualTo("FAILED certificate leaf: expected trusted, has not trusted");
		assertThat(line(explain("certificate leaf trusted", withChain(certificate(Set.of(), Set.of(), null, null)))))
			.isEqualTo("UNDECIDED certificate leaf: expected trusted, has unknown trust");
		assertThat(line(explain("certificate 1 trusted", withChain(certificate(Set.of(), Set.of(), null, true)))))
			.isEqualTo("FAILED certificate 1: expected a trusted certificate, has no such certificate (chain of 1)");
	}

	@Test
	void comparesCertificateHashesIgnoringCaseAndLeavesUnknownHashesUndecided() {
		SigningFacts upper = withChain(certificate(Set.of(), Set.of(), SHA1.toUpperCase(), null));
		assertThat(line(explain("certificate leaf = H\"" + SHA1 + "\"", upper)))
			.isEqualTo("SATISFIED certificate leaf: expected H\"" + SHA1 + "\", has H\"" + SHA1 + "\"");
		assertThat(explain("certificate leaf = H\"" + OTHER_SHA1 + "\"", upper).result()).isEqualTo(Result.FAILED);
		SigningFacts unknown = withChain(certificate(Set.of(), Set.of(), null, null));
		assertThat(line(explain("certificate leaf = H\"" + SHA1 + "\"", unknown)))
			.isEqualTo("UNDECIDED certificate leaf: expected H\"" + SHA1 + "\", has unknown hash");
		assertThat(line(explain("certificate 2 = H\"" + SHA1 + "\"", unknown)))
			.isEqualTo("FAILED certificate 2: expected H\"" + SHA1 + "\", has no such certificate (chain of 1)");
	}

	@Test
	void testsExtensionsAndPoliciesForPresence() {
		SigningFacts peer = withChain(certificate(Set.of("1.2.3"), Set.of("4.5.6"), null, null));
		assertThat(line(explain("certificate leaf[field.1.2.3] exists", peer)))
			.isEqualTo("SATISFIED certificate leaf[field.1.2.3]: expected present, has present");
		assertThat(line(explain("certificate leaf[field.1.2.3] absent", peer)))
			.isEqualTo("FAILED certificate leaf[field.1.2.3]: expected nothing, has present");
		assertThat(line(explain("certificate leaf[field.4.5.6] exists", peer)))
			.isEqualTo("FAILED certificate leaf[field.4.5.6]: expected present, has nothing");
		assertThat(line(explain("certificate leaf[field.4.5.6] absent", peer)))
			.isEqualTo("SATISFIED certificate leaf[field.4.5.6]: expected nothing, has nothing");
		assertThat(line(explain("certificate leaf[policy.4.5.6] exists", peer)))
			.isEqualTo("SATISFIED certificate leaf[policy.4.5.6]: expected present, has present");
		assertThat(line(explain("certificate leaf[policy.1.2.3] exists", peer)))
			.isEqualTo("FAILED certificate leaf[policy.1.2.3]: expected present, has nothing");
	}

	@Test
	void leavesExtensionValuesUndecided() {
		SigningFacts peer = withChain(certificate(Set.of("1.2.3"), Set.of(), null, null));
		assertThat(line(explain("certificate leaf[field.1.2.3] = x", peer)))
			.isEqualTo("UNDECIDED certificate leaf[field.1.2.3]: expected \"x\", "
					+ "has extension values are not decidable from signing facts");
	}

	@Test
	void failsAFieldOfACertificateTheChainDoesNotHave() {
		SigningFacts peer = withChain(certificate(Set.of("1.2.3"), Set.of(), null, null));
		assertThat(line(explain("certificate 1[field.1.2.3] exists", peer)))
			.isEqualTo("FAILED certificate 1[field.1.2.3]: expected present, has no such certificate (chain of 1)");
		assertThat(line(explain("certificate -2[subject.CN] = Leaf", peer)))
			.isEqualTo("FAILED certificate -2[subject.CN]: expected \"Leaf\", has no such certificate (chain of 1)");
		assertThat(explain("certificate root[subject.CN] = Leaf", peer).result()).isEqualTo(Result.SATISFIED);
	}

	@Test
	void leavesNamedRequirementsAndAnchorsUndecided() {
		SigningFacts peer = withFlags(Map.of(Flag.APPLE_ANCHORED, true));
		assertThat(line(explain("(com.example.named)", peer))).isEqualTo(
				"UNDECIDED (\"com.example.named\"): expected (\"com.example.named\"), has not decidable from signing facts");
		assertThat(explain("anchor apple someone", peer).result()).isEqualTo(Result.UNDECIDED);
	}

	@Test
	void combinesUndecidedClausesInThreeValuedLogic() {
		SigningFacts peer = withFlags(Map.of(Flag.APPLE_ANCHORED, true));
		// notarized is unknown here, anchor apple holds, identifier "other" fails
		assertThat(explain("! notarized", peer).result()).isEqualTo(Result.UNDECIDED);
		assertThat(explain("! identifier other", peer).result()).isEqualTo(Result.SATISFIED);
		assertThat(explain("! anchor apple", peer).result()).isEqualTo(Result.FAILED);
		assertThat(explain("anchor apple and notarized", peer).result()).isEqualTo(Result.UNDECIDED);
		assertThat(explain("notarized and identifier other", peer).result()).isEqualTo(Result.FAILED);
		assertThat(explain("identifier other and notarized", peer).result()).isEqualTo(Result.FAILED);
		assertThat(explain("identifier other or notarized", peer).result()).isEqualTo(Result.UNDECIDED);
		assertThat(explain("notarized or anchor apple", peer).result()).isEqualTo(Result.SATISFIED);
		assertThat(explain("identifier other or identifier another", peer).result()).isEqualTo(Result.FAILED);
		assertThat(explain("anchor apple and anchor apple", peer).result()).isEqualTo(Result.SATISFIED);
	}

	@Test
	void summarisesASatisfiedRequirementByItsClause() {
		assertThat(explain("identifier \"com.example.app\" or never", withFlags(Map.of())).summary())
			.isEqualTo("satisfied: identifier \"com.example.app\" or never");
	}

	@Test
	void explainsEveryOperandOfACombination() {
		Explanation explanation = explain("identifier other and notarized and anchor apple",
				withFlags(Map.of(Flag.APPLE_ANCHORED, true)));
		assertThat(explanation.operands()).extracting(Explanation::result)
			.containsExactly(Result.FAILED, Result.UNDECIDED, Result.SATISFIED);
		assertThat(explanation.clause()).isEqualTo("identifier other and notarized and anchor apple");
	}

}
