package dev.peergate.requirement.facts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Evaluation of fact requirements against captured peer facts: accept, reject with an explanation an operator
 * can act on, refuse when a needed fact is unverified, and the {@code $optional} exceptions to that.
 */
class FactRequirementEvaluationTests {

	private static final String NO_PIDFD = "kernel has no SO_PEERPIDFD";

	private static LinuxRequirement linux(Map<String, ?> tree) {
		return FactRequirements.linux(tree, "requirement.linux", IdResolver.system());
	}

	private static PeerFacts.Builder unixFacts(long uid, long gid, List<Long> groups) {
		return PeerFacts.builder().verified("uid", uid).verified("gid", gid).verified("groups", groups);
	}

	private static PeerCredentials peer(PeerFacts.Builder facts) {
		return PeerCredentials.builder("unix").facts(facts.build()).build();
	}

	private static PeerCredentials peer(long uid) {
		return peer(unixFacts(uid, uid, List.of()));
	}

	@Test
	void acceptsPeerWhoseUidIsListed() {
		Evaluation evaluation = linux(Map.of("uid", Map.of("$in", List.of(0, 1000)))).evaluate(peer(1000));
		assertThat(evaluation.satisfied()).isTrue();
		assertThat(evaluation.reason()).isEqualTo(Reason.SATISFIED);
	}

	@Test
	void rejectsPeerWhoseUidIsNotListedNamingExpectedAndActual() {
		Evaluation evaluation = linux(Map.of("uid", Map.of("$in", List.of(0, 1000)))).evaluate(peer(1001));
		assertThat(evaluation.satisfied()).isFalse();
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).isEqualTo("uid: expected one of [0, 1000], peer has 1001");
	}

	@Test
	void rejectsPeerOutsideUidRangeShowingTheRange() {
		Evaluation evaluation = linux(Map.of("uid", Map.of("$gte", 1000, "$lt", 2000))).evaluate(peer(2000));
		assertThat(evaluation.explanation()).isEqualTo("uid: expected >= 1000 and < 2000, peer has 2000");
	}

	@Test
	void acceptsPeerInsideUidRange() {
		assertThat(linux(Map.of("uid", Map.of("$gt", 999, "$lte", 1999))).evaluate(peer(1500)).satisfied()).isTrue();
	}

	@Test
	void fallsBackToKernelSuppliedUidWhenNoFactWasRecorded() {
		PeerCredentials peer = PeerCredentials.builder("in-process").uid(0).gid(0).build();
		assertThat(linux(Map.of("uid", 0)).evaluate(peer).satisfied()).isTrue();
	}

	@Test
	void acceptsUserGivenByNameWhenUidMatches() {
		assertThat(linux(Map.of("user", "root")).evaluate(peer(0)).satisfied()).isTrue();
	}

	@Test
	void rejectsUserGivenByNameShowingNameAndUid() {
		assertThat(linux(Map.of("user", "root")).evaluate(peer(1000)).explanation())
			.isEqualTo("user: expected \"root\" (uid 0), peer has uid 1000");
	}

	@Test
	void groupsMatchesThePrimaryGid() {
		assertThat(linux(Map.of("groups", 100)).evaluate(peer(unixFacts(1000, 100, List.of(24L)))).satisfied())
			.isTrue();
	}

	@Test
	void groupsMatchesASupplementaryGid() {
		assertThat(linux(Map.of("groups", Map.of("$in", List.of(27, 24))))
			.evaluate(peer(unixFacts(1000, 100, List.of(24L)))).satisfied()).isTrue();
	}

	@Test
	void groupsRejectsShowingPrimaryAndSupplementaryGids() {
		Evaluation evaluation = linux(Map.of("groups", 27)).evaluate(peer(unixFacts(1000, 100, List.of(24L, 44L))));
		assertThat(evaluation.explanation()).isEqualTo("groups: expected 27, peer has gid 100 and groups [24, 44]");
	}

	@Test
	void groupNameMatchesLikeGroups() {
		assertThat(linux(Map.of("group", "root")).evaluate(peer(unixFacts(1000, 100, List.of(0L)))).satisfied())
			.isTrue();
	}

	@Test
	void groupsAcceptsOnPrimaryGidEvenWhenSupplementaryGroupsAreUnverified() {
		PeerFacts.Builder facts = PeerFacts.builder().verified("gid", 100L).unverified("groups", "no SO_PEERGROUPS");
		assertThat(linux(Map.of("groups", 100)).evaluate(peer(facts)).satisfied()).isTrue();
	}

	@Test
	void groupsIsUnverifiedWhenPrimaryGidFailsAndSupplementaryGroupsAreUnverified() {
		PeerFacts.Builder facts = PeerFacts.builder().verified("gid", 100L).unverified("groups", "no SO_PEERGROUPS");
		Evaluation evaluation = linux(Map.of("groups", 27)).evaluate(peer(facts));
		assertThat(evaluation.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
		assertThat(evaluation.explanation()).contains("groups: no SO_PEERGROUPS");
	}

	@Test
	void refusesWithFactUnverifiedWhenANeededFactCouldNotBeVerified() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).unverified("executable-sha256", NO_PIDFD);
		Evaluation evaluation = linux(Map.of("uid", 1000, "executable-sha256", "ab".repeat(32))).evaluate(peer(facts));
		assertThat(evaluation.satisfied()).isFalse();
		assertThat(evaluation.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
		assertThat(evaluation.explanation()).isEqualTo("executable-sha256: could not be verified (" + NO_PIDFD
				+ "), so it cannot be checked against \"" + "ab".repeat(32) + "\"");
	}

	@Test
	void refusesWithFactUnverifiedWhenTheTransportNeverCapturedTheFact() {
		Evaluation evaluation = linux(Map.of("systemd-unit", "a.service")).evaluate(peer(1000));
		assertThat(evaluation.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
		assertThat(evaluation.explanation()).contains("the unix transport did not capture it");
	}

	@Test
	void contradictedFactOutweighsUnverifiedFact() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).unverified("executable-path", NO_PIDFD);
		Evaluation evaluation = linux(Map.of("uid", 0, "executable-path", "/usr/bin/cli")).evaluate(peer(facts));
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).isEqualTo("uid: expected 0, peer has 1000");
	}

	@Test
	void reportsEveryContradictedFact() {
		Evaluation evaluation = linux(Map.of("uid", 0, "gid", 0)).evaluate(peer(1000));
		assertThat(evaluation.explanation()).isEqualTo("gid: expected 0, peer has 1000; uid: expected 0, peer has 1000");
	}

	@Test
	void optionalAcceptsWhenItsFactIsUnverified() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).unverified("security-label", "no LSM");
		assertThat(linux(Map.of("uid", 1000, "$optional", Map.of("security-label", "unconfined"))).evaluate(peer(facts))
			.satisfied()).isTrue();
	}

	@Test
	void optionalInsideFactValueAcceptsWhenTheFactIsUnverified() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).unverified("security-label", "no LSM");
		assertThat(linux(Map.of("security-label", Map.of("$optional", Map.of("$in", List.of("unconfined")))))
			.evaluate(peer(facts)).satisfied()).isTrue();
	}

	@Test
	void optionalRejectsWhenItsFactIsVerifiedAndWrong() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).verified("security-label", "confined_t");
		Evaluation evaluation = linux(Map.of("$optional", Map.of("security-label", "unconfined"))).evaluate(peer(facts));
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation())
			.isEqualTo("security-label: expected \"unconfined\", peer has \"confined_t\"");
	}

	@Test
	void optionalInsideOrCountsAsFalseWhenUnverified() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).unverified("executable-path", NO_PIDFD);
		Evaluation evaluation = linux(
				Map.of("$or", Map.of("uid", 0, "$optional", Map.of("executable-path", "/usr/bin/cli"))))
			.evaluate(peer(facts));
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).startsWith("none of the alternatives holds: ")
			.contains("(uid: expected 0, peer has 1000)")
			.contains("an $optional test inside $or counts as false when undecided");
	}

	@Test
	void optionalInsideOrArrayCountsAsFalseWhenUnverified() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).unverified("executable-path", NO_PIDFD);
		Evaluation evaluation = linux(Map.of("$or-array", List.of(List.of("$optional", Map.of("executable-path", "/x")))))
			.evaluate(peer(facts));
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
	}

	@Test
	void orAcceptsWhenTheSecondAlternativeHolds() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).verified("systemd-unit", "example-cli.service");
		assertThat(linux(Map.of("$or", Map.of("uid", 0, "systemd-unit", "example-cli.service"))).evaluate(peer(facts))
			.satisfied()).isTrue();
	}

	@Test
	void orAcceptsOnAVerifiedAlternativeEvenIfAnotherIsUnverified() {
		PeerFacts.Builder facts = unixFacts(0, 0, List.of()).unverified("systemd-unit", NO_PIDFD);
		assertThat(linux(Map.of("$or", Map.of("uid", 0, "systemd-unit", "example-cli.service"))).evaluate(peer(facts))
			.satisfied()).isTrue();
	}

	@Test
	void orIsUnverifiedWhenNoAlternativeHoldsAndOneIsUnverified() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).unverified("systemd-unit", NO_PIDFD);
		Evaluation evaluation = linux(Map.of("$or", Map.of("uid", 0, "systemd-unit", "example-cli.service")))
			.evaluate(peer(facts));
		assertThat(evaluation.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
	}

	@Test
	void orInsideFactValueAcceptsEitherRange() {
		LinuxRequirement requirement = linux(Map.of("uid", Map.of("$or", Map.of("$lt", 10, "$gt", 100))));
		assertThat(requirement.evaluate(peer(5)).satisfied()).isTrue();
		assertThat(requirement.evaluate(peer(50)).explanation())
			.isEqualTo("uid: expected > 100 or < 10, peer has 50");
	}

	@Test
	void andArrayRequiresEveryPair() {
		LinuxRequirement requirement = linux(Map.of("$and-array",
				List.of(List.of("$and", Map.of("uid", Map.of("$gte", 1000))), List.of("$and", Map.of("uid", Map.of("$lt", 2000))))));
		assertThat(requirement.evaluate(peer(1500)).satisfied()).isTrue();
		assertThat(requirement.evaluate(peer(2500)).satisfied()).isFalse();
	}

	@Test
	void notRejectsPeerThatSatisfiesItsBody() {
		Evaluation evaluation = linux(Map.of("$not", Map.of("uid", 0))).evaluate(peer(0));
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).isEqualTo("$not: must not hold: {\"uid\":0}");
	}

	@Test
	void notAcceptsPeerThatFailsItsBody() {
		assertThat(linux(Map.of("$not", Map.of("uid", 0))).evaluate(peer(1000)).satisfied()).isTrue();
	}

	@Test
	void notStaysUnverifiedWhenItsFactIsUnverified() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).unverified("executable-path", NO_PIDFD);
		Evaluation evaluation = linux(Map.of("$not", Map.of("executable-path", "/usr/bin/evil"))).evaluate(peer(facts));
		assertThat(evaluation.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
	}

	@Test
	void matchesExecutableSha256RegardlessOfCase() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).verified("executable-sha256", "ab".repeat(32));
		assertThat(linux(Map.of("executable-sha256", "AB".repeat(32))).evaluate(peer(facts)).satisfied()).isTrue();
	}

	@Test
	void rejectsPeerWhoseExecutableDigestDiffers() {
		PeerFacts.Builder facts = unixFacts(1000, 1000, List.of()).verified("executable-sha256", "ab".repeat(32));
		Evaluation evaluation = linux(Map.of("executable-sha256", "ac".repeat(32))).evaluate(peer(facts));
		assertThat(evaluation.satisfied()).isFalse();
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).startsWith("executable-sha256: expected").contains("ac".repeat(32))
			.contains("ab".repeat(32));
	}

	@Test
	void comparesAtTheBoundaryOfEachOrderingOperator() {
		assertThat(linux(Map.of("uid", Map.of("$gt", 999))).evaluate(peer(999)).satisfied()).isFalse();
		assertThat(linux(Map.of("uid", Map.of("$gt", 999))).evaluate(peer(1000)).satisfied()).isTrue();
		assertThat(linux(Map.of("uid", Map.of("$gte", 1000))).evaluate(peer(1000)).satisfied()).isTrue();
		assertThat(linux(Map.of("uid", Map.of("$gte", 1000))).evaluate(peer(999)).satisfied()).isFalse();
		assertThat(linux(Map.of("uid", Map.of("$lte", 1999))).evaluate(peer(1999)).satisfied()).isTrue();
		assertThat(linux(Map.of("uid", Map.of("$lte", 1999))).evaluate(peer(2000)).satisfied()).isFalse();
		assertThat(linux(Map.of("uid", Map.of("$lt", 2000))).evaluate(peer(1999)).satisfied()).isTrue();
		assertThat(linux(Map.of("uid", Map.of("$lt", 2000))).evaluate(peer(2000)).satisfied()).isFalse();
	}

	@Test
	void refusesAPeerWithoutAUidWhenAUidIsRequired() {
		PeerCredentials unknown = PeerCredentials.builder("unix").build();
		assertThat(unknown.uid()).isEqualTo(-1);
		assertThat(unknown.gid()).isEqualTo(-1);
		assertThat(linux(Map.of("uid", 0)).evaluate(unknown).satisfied()).isFalse();
		assertThat(linux(Map.of("gid", 0)).evaluate(unknown).satisfied()).isFalse();
	}

	@Test
	void resolvesUserNamesInTheUserDatabaseAndGroupNamesInTheGroupDatabase() throws Exception {
		// a name that is a user but no group, and one that is a group but no user: swapped databases would not
		// know them (Debian has several, e.g. the user sync and the group adm)
		Map<String, Long> users = ids(Path.of("/etc/passwd"));
		Map<String, Long> groups = ids(Path.of("/etc/group"));
		String user = users.keySet().stream().filter(name -> !groups.containsKey(name)).findFirst().orElse(null);
		String group = groups.keySet().stream().filter(name -> !users.containsKey(name)).findFirst().orElse(null);
		assumeTrue(user != null && group != null,
				"needs a user without a group of its name and a group without a user of its name");
		long uid = users.get(user);
		long gid = groups.get(group);
		assertThat(linux(Map.of("user", user)).evaluate(peer(unixFacts(uid, 65534, List.of()))).satisfied()).isTrue();
		assertThat(linux(Map.of("user", user)).evaluate(peer(unixFacts(uid + 1, 65534, List.of()))).satisfied())
			.isFalse();
		assertThat(linux(Map.of("group", group)).evaluate(peer(unixFacts(65534, gid, List.of()))).satisfied())
			.isTrue();
		assertThat(linux(Map.of("group", group)).evaluate(peer(unixFacts(65534, gid + 1, List.of()))).satisfied())
			.isFalse();
	}

	private static Map<String, Long> ids(Path database) throws IOException {
		Map<String, Long> ids = new LinkedHashMap<>();
		for (String line : Files.readAllLines(database)) {
			String[] fields = line.split(":");
			if (fields.length > 2 && !fields[0].startsWith("#")) {
				ids.put(fields[0], Long.parseLong(fields[2]));
			}
		}
		return ids;
	}

	@Test
	void satisfiedEvaluationQuotesTheRequirement() {
		assertThat(linux(Map.of("uid", 0)).evaluate(peer(0)).explanation()).isEqualTo("peer satisfies {\"uid\":0}");
	}

	@Test
	void lightweightRequirementMatchesSigningFacts() {
		String cdhash = "0123456789abcdef0123456789abcdef01234567";
		PeerFacts facts = PeerFacts.builder()
			.verified("team-identifier", "ABCDE12345")
			.verified("cdhash", HexFormat.of().parseHex(cdhash))
			.verified("validation-category", 6L)
			.build();
		LightweightRequirement requirement = FactRequirements.lightweight(Map.of("team-identifier", "ABCDE12345",
				"cdhash", cdhash, "validation-category", "developer-id"), "requirement.lightweight");
		assertThat(requirement.evaluate(PeerCredentials.builder("xpc").facts(facts).build()).satisfied()).isTrue();
	}

	@Test
	void lightweightRequirementExplainsWrongTeam() {
		PeerFacts facts = PeerFacts.builder().verified("team-identifier", "XYZ9876543").build();
		Evaluation evaluation = FactRequirements.lightweight(Map.of("team-identifier", "ABCDE12345"), "lwcr")
			.evaluate(PeerCredentials.builder("xpc").facts(facts).build());
		assertThat(evaluation.explanation()).isEqualTo("team-identifier: expected \"ABCDE12345\", peer has \"XYZ9876543\"");
	}

	@Test
	void entitlementQuerySelectsKeyAndMatchesBool() {
		PeerFacts facts = PeerFacts.builder()
			.verified("entitlements", Map.of("com.apple.security.device.camera", true))
			.build();
		LightweightRequirement requirement = FactRequirements.lightweight(Map.of("entitlements",
				Map.of("$query", List.of(List.of(1, "com.apple.security.device.camera"), List.of(5, true)))), "lwcr");
		assertThat(requirement.evaluate(PeerCredentials.builder("xpc").facts(facts).build()).satisfied()).isTrue();
	}

	@Test
	void entitlementQueryRejectsMissingEntitlement() {
		PeerFacts facts = PeerFacts.builder().verified("entitlements", Map.of("other", true)).build();
		LightweightRequirement requirement = FactRequirements.lightweight(
				Map.of("entitlements", Map.of("$query", List.of(List.of(1, "wanted"), List.of(5, true)))), "lwcr");
		Evaluation evaluation = requirement.evaluate(PeerCredentials.builder("xpc").facts(facts).build());
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).startsWith("entitlements: expected entitlements matching $query [[1,\"wanted\"],[5,true]]");
	}

	@Test
	void entitlementQueryStringValueAllowedSearchesLists() {
		PeerFacts facts = PeerFacts.builder()
			.verified("entitlements", Map.of("groups", List.of("a.group", "b.group")))
			.build();
		LightweightRequirement requirement = FactRequirements.lightweight(
				Map.of("entitlements", Map.of("$query", List.of(List.of(1, "groups"), List.of(11, 2), List.of(6, "b.group")))),
				"lwcr");
		assertThat(requirement.evaluate(PeerCredentials.builder("xpc").facts(facts).build()).satisfied()).isTrue();
	}

	@Test
	void entitlementQueryWithUndocumentedOpcodeIsUndecidedRatherThanGuessed() {
		PeerFacts facts = PeerFacts.builder().verified("entitlements", Map.of("k", "v")).build();
		LightweightRequirement requirement = FactRequirements.lightweight(
				Map.of("entitlements", Map.of("$query", List.of(List.of(9, "k")))), "lwcr");
		Evaluation evaluation = requirement.evaluate(PeerCredentials.builder("xpc").facts(facts).build());
		assertThat(evaluation.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
		assertThat(evaluation.explanation()).contains("only macOS evaluates");
	}

	@Test
	void acceptsSetuidProgramOnlyWhenItsInvokingUserIsAllowed() {
		LinuxRequirement requirement = linux(Map.of("uid", 0, "real-uid", Map.of("$in", List.of(1000, 1001))));
		assertThat(requirement.evaluate(peer(unixFacts(0, 0, List.of()).verified("real-uid", 1000L))).satisfied())
			.isTrue();
		Evaluation evaluation = requirement.evaluate(peer(unixFacts(0, 0, List.of()).verified("real-uid", 1002L)));
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).isEqualTo("real-uid: expected one of [1000, 1001], peer has 1002");
	}

	@Test
	void rejectsPeerWithoutNoNewPrivs() {
		Evaluation evaluation = linux(Map.of("no-new-privs", true))
			.evaluate(peer(unixFacts(1000, 1000, List.of()).verified("no-new-privs", false)));
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).isEqualTo("no-new-privs: expected true, peer has false");
	}

	@Test
	void refusesAsUnverifiedWhenTheKernelShowsNoNoNewPrivsLine() {
		String reason = "/proc/42/status has no 'NoNewPrivs:' line (the kernel is older than Linux 4.10)";
		Evaluation evaluation = linux(Map.of("no-new-privs", true))
			.evaluate(peer(unixFacts(1000, 1000, List.of()).unverified("no-new-privs", reason)));
		assertThat(evaluation.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
		assertThat(evaluation.explanation()).startsWith("no-new-privs: could not be verified (" + reason + ")");
	}

	@Test
	void explainsSeccompModesByName() {
		Evaluation evaluation = linux(Map.of("seccomp", "filter"))
			.evaluate(peer(unixFacts(1000, 1000, List.of()).verified("seccomp", 0L)));
		assertThat(evaluation.explanation()).isEqualTo("seccomp: expected 2 (filter), peer has 0");
	}

	@Test
	void explainsArrayOperatorsInsideAFactsValue() {
		LinuxRequirement either = linux(Map.of("uid", Map.of("$or-array",
				List.of(List.of("$and", Map.of("$lt", 10)), List.of("$and", Map.of("$gt", 100))))));
		assertThat(either.evaluate(peer(5)).satisfied()).isTrue();
		assertThat(either.evaluate(peer(50)).explanation()).isEqualTo("uid: expected < 10 or > 100, peer has 50");
		LinuxRequirement both = linux(Map.of("uid", Map.of("$and-array",
				List.of(List.of("$and", Map.of("$gte", 10, "$lt", 20)), List.of("$and", Map.of("$gt", 5))))));
		assertThat(both.evaluate(peer(15)).satisfied()).isTrue();
		assertThat(both.evaluate(peer(30)).explanation())
			.isEqualTo("uid: expected (>= 10 and < 20) and > 5, peer has 30");
	}

	@Test
	void explainsAVerifiedFactThatFailsAnOptionalTestInsideItsValue() {
		Evaluation evaluation = linux(Map.of("uid", Map.of("$optional", Map.of("$in", List.of(0, 1)))))
			.evaluate(peer(5));
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).isEqualTo("uid: expected one of [0, 1], peer has 5");
	}

	@Test
	void explainsANegationInsideAFactsValue() {
		assertThat(linux(Map.of("uid", Map.of("$not", Map.of("$in", List.of(0))))).evaluate(peer(0)).explanation())
			.isEqualTo("uid: expected not one of [0], peer has 0");
		LinuxRequirement outsideRange = linux(Map.of("uid", Map.of("$not", Map.of("$gte", 10, "$lt", 20))));
		assertThat(outsideRange.evaluate(peer(25)).satisfied()).isTrue();
		assertThat(outsideRange.evaluate(peer(15)).explanation())
			.isEqualTo("uid: expected not (>= 10 and < 20), peer has 15");
	}

	@Test
	void parenthesisesOnlyOperatorsOfMoreThanOneTestInExplanations() {
		assertThat(linux(Map.of("uid", Map.of("$lt", 5, "$or", Map.of("$gt", 10, "$lt", 3)))).evaluate(peer(7))
			.explanation()).isEqualTo("uid: expected < 5 and (> 10 or < 3), peer has 7");
		assertThat(linux(Map.of("uid", Map.of("$gt", 0, "$or", Map.of("$lt", 3)))).evaluate(peer(5)).explanation())
			.isEqualTo("uid: expected > 0 and < 3, peer has 5");
		assertThat(linux(Map.of("uid", Map.of("$gt", 0, "$or-array",
				List.of(List.of("$and", Map.of("$lt", 3)), List.of("$and", Map.of("$gt", 10)))))).evaluate(peer(5))
			.explanation()).isEqualTo("uid: expected > 0 and (< 3 or > 10), peer has 5");
		assertThat(linux(Map.of("uid", Map.of("$gt", 0, "$and-array", List.of(List.of("$and", Map.of("$lt", 3))))))
			.evaluate(peer(5)).explanation()).isEqualTo("uid: expected < 3 and > 0, peer has 5");
	}
}
