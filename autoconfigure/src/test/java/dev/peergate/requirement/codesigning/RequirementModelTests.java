package dev.peergate.requirement.codesigning;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.peergate.requirement.codesigning.CodeRequirement.CertificateField;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateFile;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateHash;
import dev.peergate.requirement.codesigning.CodeRequirement.Constant;
import dev.peergate.requirement.codesigning.CodeRequirement.TrustedCertificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What the tree of a requirement accepts when built in code: certificate slots, hashes, match operands, values
 * and requirement types.
 */
class RequirementModelTests {

	private static final String SHA1 = "0123456789abcdef0123456789abcdef01234567";

	@Test
	void rejectsACertificateSlotThatCannotBeWrittenInEveryClauseNamingOne() {
		int unwritable = Integer.MIN_VALUE;
		Match exists = Match.exists();
		assertThatIllegalArgumentException().isThrownBy(() -> new TrustedCertificate(unwritable))
			.withMessage("certificate slot out of range");
		assertThatIllegalArgumentException().isThrownBy(() -> new CertificateHash(unwritable, SHA1))
			.withMessage("certificate slot out of range");
		assertThatIllegalArgumentException().isThrownBy(() -> new CertificateFile(unwritable, "/etc/cert"))
			.withMessage("certificate slot out of range");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CertificateField(unwritable, CertificateFieldKind.SUBJECT, "CN", exists))
			.withMessage("certificate slot out of range");
		assertThat(new TrustedCertificate(Integer.MIN_VALUE + 1).canonical()).isEqualTo("certificate -2147483647 trusted");
	}

	@Test
	void rejectsAHashOfFortyCharactersThatAreNotAllHexDigits() {
		String notHex = "g" + SHA1.substring(1);
		assertThatIllegalArgumentException().isThrownBy(() -> new CertificateHash(0, notHex))
			.withMessage("not 40 hex digits: " + notHex);
		assertThat(new CertificateHash(0, SHA1.toUpperCase()).sha1()).isEqualTo(SHA1);
	}

	@Test
	void takesAValueOrATimestampExactlyWhenTheOperationNeedsOne() {
		Value value = Value.of("x");
		Instant when = Instant.parse("2025-01-01T00:00:00Z");
		assertThatIllegalArgumentException().isThrownBy(() -> new Match(MatchOperation.EXISTS, value, null))
			.withMessage("EXISTS takes no value");
		assertThatIllegalArgumentException().isThrownBy(() -> new Match(MatchOperation.EQUAL, null, null))
			.withMessage("EQUAL needs value");
		assertThatIllegalArgumentException().isThrownBy(() -> new Match(MatchOperation.ABSENT, null, when))
			.withMessage("ABSENT takes no timestamp");
		assertThatIllegalArgumentException().isThrownBy(() -> new Match(MatchOperation.BEFORE, null, null))
			.withMessage("BEFORE needs timestamp");
		assertThat(Match.of(MatchOperation.BEFORE, when).timestamp()).isEqualTo(when);
	}

	@Test
	void keepsPrintableTextAndTurnsControlCharactersIntoBytes() {
		assertThat(Value.of("tab\tnewline\ncr\rff\fvt\u000B")).isInstanceOf(Value.Text.class);
		assertThat(Value.of("bell\u0007")).isEqualTo(new Value.Binary("62656c6c07"));
	}

	@Test
	void keepsSurrogatePairsAndReplacesUnpairedSurrogatesAsUtf8Does() {
		assertThat(Value.of("emoji \uD83D\uDE00")).isEqualTo(new Value.Text("emoji \uD83D\uDE00"));
		assertThat(Value.of("high \uD83D")).isEqualTo(new Value.Text("high ?"));
		assertThat(Value.of("\uDE00 low")).isEqualTo(new Value.Text("? low"));
		assertThat(Value.of("\uD83D\uD83D")).isEqualTo(new Value.Text("??"));
	}

	@Test
	void givesTheBytesAsSecurityFrameworkStoresThem() {
		assertThat(Value.of("AB").bytes()).containsExactly(0x41, 0x42);
		assertThat(Value.ofBytes(new byte[] { 0, 1 }).bytes()).containsExactly(0, 1);
		assertThat(Value.ofBytes(new byte[] { 0, 1 })).hasToString("0x0001");
	}

	@Test
	void takesOnlyLowerCaseHexDigitsForBinaryValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Value.Binary("zz"))
			.withMessage("not an even number of lower-case hex digits: zz");
		assertThatIllegalArgumentException().isThrownBy(() -> new Value.Binary("0A"));
	}

	@Test
	void acceptsRequirementTypeZeroAndNamesTypesWithoutKeywordByNumber() {
		RequirementSet set = RequirementSet.of(Map.of(0, new Constant(true), 3, new Constant(false)));
		assertThat(set.canonical()).isEqualTo("0 => always\ndesignated => never");
		assertThat(RequirementSet.typeName(0)).isEqualTo("0");
		assertThat(RequirementSet.typeName(5)).isEqualTo("plugin");
		assertThat(RequirementSet.typeName(6)).isEqualTo("6");
		assertThatIllegalArgumentException().isThrownBy(() -> RequirementSet.of(Map.of(-1, new Constant(true))))
			.withMessage("negative requirement type -1");
	}

}
