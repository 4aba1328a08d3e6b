package dev.peergate.xpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Outcome;
import dev.peergate.core.Verdict;
import dev.peergate.handler.IpcError;
import dev.peergate.requirement.codesigning.CodeRequirements;
import dev.peergate.requirement.facts.FactRequirements;
import dev.peergate.xpc.jna.XpcSimulator;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Rejections explained clause by clause from the peer's certificate chain, entitlements and Info.plist as
 * {@code SecCodeCopySigningInformation} reports them (kSecCodeInfoCertificates, kSecCodeInfoEntitlementsDict,
 * kSecCodeInfoPList), on the simulator, without leaking a CF object.
 */
class XpcRejectionExplanationTests {

	private static final byte[] TEAM_LEAF = XpcSimulator.certificate("team-leaf");

	private static final byte[] STRANGER_LEAF = XpcSimulator.certificate("stranger-leaf");

	private static final SimPeer SILVER = new SimPeer(501, 20, 4242, "com.example.cli", "ABCDE12345",
			"0123456789abcdef0123456789abcdef01234567", "ABCDE12345", "com.example.helper.client,com.example.tier=s:silver",
			false, true, 6);

	@Test
	void leafOrganizationalUnitMismatchNamesExpectedAndActualTeam() {
		String explanation = rejection("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"",
				SimPeer.stranger(), "", List.of(STRANGER_LEAF));
		assertThat(explanation).startsWith("certificate leaf[subject.OU]: expected \"ABCDE12345\", peer has \"XYZ9876543\"");
	}

	@Test
	void entitlementMismatchNamesExpectedAndActualValue() {
		String explanation = rejection("identifier \"com.example.cli\" and entitlement[\"com.example.tier\"] = \"gold\"",
				SILVER, "", List.of(TEAM_LEAF));
		assertThat(explanation).startsWith("entitlement[com.example.tier]: expected \"gold\", peer has \"silver\"");
	}

	@Test
	void infoPlistMismatchNamesExpectedAndActualValue() {
		String explanation = rejection("identifier \"com.example.cli\" and info[CFBundleVersion] = \"2.0\"",
				SimPeer.teamCli(), "CFBundleVersion=s:1.5,CFBundleName=cli", List.of(TEAM_LEAF));
		assertThat(explanation).startsWith("info[CFBundleVersion]: expected \"2.0\", peer has \"1.5\"");
	}

	@Test
	void lightweightRejectionIsExplainedByTheFactThatDiffers() {
		Map<String, Object> tree = Map.of("team-identifier", "ABCDE12345");
		try (XpcFixture fixture = new XpcFixture("26.0")) {
			fixture.listen(XpcListenerOptions.of("helper", fixture.service, XpcRequirement.lightweight(tree))
				.withExplainer(new LightweightRejectionExplainer(
						FactRequirements.lightweight(tree, "peergate.listeners.helper.requirement.lightweight"))));
			try (XpcClient client = fixture.client(SimPeer.stranger())) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "no")));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			assertThat(fixture.verdicts.get(0).explanation()).startsWith("team-identifier: expected \"ABCDE12345\", peer has \"XYZ9876543\"")
				.contains("does not satisfy the peer requirement");
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	@Test
	void acceptedPeerCarriesItsCertificateEntitlementAndInfoFacts() {
		try (XpcFixture fixture = new XpcFixture("14.4")) {
			String text = "certificate leaf[subject.OU] = \"ABCDE12345\"";
			fixture.listen(XpcListenerOptions.of("helper", fixture.service, XpcRequirement.codeSigning(text))
				.withExplainer(new ClauseRejectionExplainer(CodeRequirements.parse(text))));
			try (XpcClient client = fixture.client(SILVER, "CFBundleVersion=s:1.5,CFBundleVersionNumber=i:15",
					List.of(TEAM_LEAF))) {
				assertThat(client.call("com.example.helper.Echo", Map.of("text", "ok"))).containsEntry("text", "ok");
			}
			Verdict verdict = fixture.verdicts.get(0);
			assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(verdict.peer().facts()).containsEntry("entitlements",
					Map.of("com.example.helper.client", true, "com.example.tier", "silver"));
			assertThat(verdict.peer().facts()).containsEntry("info-plist",
					Map.of("CFBundleVersion", "1.5", "CFBundleVersionNumber", 15L));
			assertThat(verdict.peer().facts().get("certificates")).asInstanceOf(InstanceOfAssertFactories.LIST).singleElement().satisfies((leaf) -> {
				@SuppressWarnings("unchecked")
				Map<String, Object> certificate = (Map<String, Object>) leaf;
				assertThat((Map<String, Object>) certificate.get("subject")).containsEntry("OU", "ABCDE12345")
					.containsEntry("O", "Example Corp")
					.containsEntry("CN", "Developer ID Application: Example Corp (ABCDE12345)")
					.containsEntry("C", "US");
				assertThat((List<Object>) certificate.get("extensions")).contains("1.2.840.113635.100.6.1.13");
				assertThat((String) certificate.get("sha1")).hasSize(40);
			});
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
		}
	}

	/** The explanation of the one rejection of a peer against a code-signing requirement, leak-checked. */
	private static String rejection(String requirement, SimPeer peer, String info, List<byte[]> certificates) {
		try (XpcFixture fixture = new XpcFixture("14.4")) {
			fixture.listen(XpcListenerOptions.of("helper", fixture.service, XpcRequirement.codeSigning(requirement))
				.withExplainer(new ClauseRejectionExplainer(CodeRequirements.parse(requirement))));
			try (XpcClient client = fixture.client(peer, info, certificates)) {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "no")));
			}
			await().until(() -> !fixture.verdicts.isEmpty());
			Verdict verdict = fixture.verdicts.get(0);
			assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
			fixture.listener.stop(Duration.ofSeconds(5));
			fixture.assertNoLeaks();
			return verdict.explanation();
		}
	}

}
