package dev.peergate.xpc.jna;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A certificate's DER read into what code-signing requirement clauses ask of it. */
class CertificateSubjectsTests {

	@Test
	void readsSubjectAttributesUnderTheRequirementLanguagesNames() {
		Map<String, Object> leaf = CertificateSubjects.describe(XpcSimulator.certificate("team-leaf"));
		assertThat(leaf.get("subject")).isEqualTo(Map.of("C", "US", "O", "Example Corp", "OU", "ABCDE12345", "CN",
				"Developer ID Application: Example Corp (ABCDE12345)"));
	}

	@Test
	void hashesTheDerWithSha1AsLowerCaseHex() throws Exception {
		byte[] der = XpcSimulator.certificate("stranger-leaf");
		assertThat(CertificateSubjects.describe(der).get("sha1"))
			.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(der)));
	}

	@Test
	@SuppressWarnings("unchecked")
	void listsTheExtensionOidsPresentIncludingAppleMarkers() {
		assertThat((List<Object>) CertificateSubjects.describe(XpcSimulator.certificate("team-leaf")).get("extensions"))
			.contains("1.2.840.113635.100.6.1.13", "2.5.29.19");
	}

	@Test
	void somethingThatIsNotACertificateDescribesNothing() {
		assertThat(CertificateSubjects.describe(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 })).isEmpty();
		assertThat(CertificateSubjects.describe(new byte[0])).isEmpty();
	}

}
