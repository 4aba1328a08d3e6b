package dev.peergate.unix.peer;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.peergate.core.FactNames;
import dev.peergate.core.PeerCredentials;
import dev.peergate.requirement.facts.FactSet;
import dev.peergate.unix.LinuxAssumptions;
import dev.peergate.unix.jna.LinuxNative;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Linux inspector records and what the requirement language reads are one vocabulary ({@link FactNames}):
 * a fact recorded under a name no requirement can read, or a requirement fact no inspector records, fails here.
 */
class FactVocabularyTests {

	@Test
	void theLinuxRequirementLanguageReadsExactlyTheLinuxVocabulary() {
		assertThat(FactSet.LINUX.facts().keySet()).containsExactlyInAnyOrderElementsOf(FactNames.LINUX);
	}

	@Test
	void theLightweightRequirementLanguageNamesCodeSigningFactsAsSecurityFrameworkDoes() {
		assertThat(FactSet.LIGHTWEIGHT.facts().keySet()).contains(FactNames.TEAM_IDENTIFIER,
				FactNames.SIGNING_IDENTIFIER, FactNames.CDHASH, FactNames.ENTITLEMENTS);
		assertThat(FactNames.CODE_SIGNING).doesNotContainAnyElementsOf(FactNames.LINUX);
	}

	@Test
	void theLinuxInspectorRecordsEveryFactUnderAVocabularyName() throws Exception {
		LinuxAssumptions.assumePidfd();
		LinuxNative linux = LinuxNative.get();
		int[] pair = linux.socketPair();
		try (PeerCredentials peer = new LinuxPeerInspector(new ExecutableDigests(4)).capture(pair[0]).verify()) {
			Set<String> recorded = new LinkedHashSet<>(peer.facts().verified().keySet());
			recorded.addAll(peer.facts().unverified().keySet());
			assertThat(recorded).isSubsetOf(FactNames.LINUX)
				.contains(FactNames.UID, FactNames.GID, FactNames.GROUPS, FactNames.EXECUTABLE_PATH,
						FactNames.EXECUTABLE_SHA256)
				.containsAll(FactNames.PROC_STATUS);
		}
		finally {
			linux.close(pair[0]);
			linux.close(pair[1]);
		}
	}

}
