package dev.peergate.requirement.codesigning;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.peergate.requirement.InvalidRequirementException;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateField;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateFile;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateHash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Corners of the requirement syntax: comments and strings across lines, hash and hex constants, the forms of
 * {@code anchor} and {@code certificate} clauses, timestamps, and what errors say about the offending token.
 */
class RequirementSyntaxTests {

	private static final String SHA1 = "0123456789abcdef0123456789abcdef01234567";

	private static InvalidRequirementException error(String text) {
		InvalidRequirementException ex = catchThrowableOfType(InvalidRequirementException.class,
				() -> CodeRequirements.parse(text));
		assertThat(ex).as("error for %s", text).isNotNull();
		return ex;
	}

	private static String position(InvalidRequirementException ex) {
		return ex.line() + ":" + ex.column() + " " + ex.problem();
	}

	@Test
	void countsLinesInsideBlockComments() {
		assertThat(position(error("/* one\ntwo */ foo"))).isEqualTo("2:8 unexpected 'foo'");
		assertThat(position(error("always /*\n\n*/ and foo"))).isEqualTo("3:8 unexpected 'foo'");
	}

	@Test
	void startsLookingForTheEndOfABlockCommentAfterItsOpening() {
		assertThat(CodeRequirements.parse("/*/ still a comment */ always").canonical()).isEqualTo("always");
		assertThat(CodeRequirements.parse("always /*/ still a comment */").canonical()).isEqualTo("always");
	}

	@Test
	void countsLinesInsideStrings() {
		assertThat(position(error("identifier \"a\nb\" and foo"))).isEqualTo("2:8 unexpected 'foo'");
	}

	@Test
	void reportsAnUnterminatedHashConstantAtTheEndOfInput() {
		assertThat(position(error("cdhash H\"0123"))).isEqualTo("1:14 unterminated hash constant");
		assertThat(position(error("cdhash H\""))).isEqualTo("1:10 unterminated hash constant");
	}

	@Test
	void reportsTheCharacterThatIsNoHexDigitInAHashConstant() {
		assertThat(position(error("cdhash H\"01x3\""))).isEqualTo("1:12 unexpected character 'x' in hash constant");
	}

	@Test
	void showsUnexpectedControlCharactersByCodePointAndOthersAsThemselves() {
		assertThat(position(error("always \u0001"))).isEqualTo("1:8 unexpected character U+0001");
		assertThat(position(error("always @"))).isEqualTo("1:8 unexpected character '@'");
		assertThat(position(error("always \uD83D\uDE00"))).isEqualTo("1:8 unexpected character '\uD83D\uDE00'");
	}

	@Test
	void takesAHexConstantFollowedByLettersForOneWordThatMustBeQuoted() {
		InvalidRequirementException ex = error("info[k] = 0x12g");
		assertThat(position(ex)).isEqualTo("1:11 unexpected '0x12g'");
		assertThat(ex.hint()).isEqualTo("a value that starts with a digit must be quoted, e.g. a team identifier: \"0x12g\"");
	}

	@Test
	void hintsToQuoteANumberWhereAValueBelongs() {
		InvalidRequirementException ex = error("info[k] = 10");
		assertThat(position(ex)).isEqualTo("1:11 unexpected '10'");
		assertThat(ex.hint()).isEqualTo("a value that starts with a digit or is a reserved word must be quoted: \"10\"");
	}

	@Test
	void hintsToWriteAndAndOrInsteadOfTheirSymbols() {
		InvalidRequirementException and = error("identifier \"x\" && anchor apple");
		assertThat(position(and)).isEqualTo("1:16 unexpected '&'");
		assertThat(and.hint()).isEqualTo("use the words 'and' and 'or'");
		InvalidRequirementException or = error("identifier \"x\" || anchor apple");
		assertThat(position(or)).isEqualTo("1:16 unexpected '|'");
		assertThat(or.hint()).isEqualTo("use the words 'and' and 'or'");
	}

	@Test
	void givesNoHintWhereNoneHelps() {
		assertThat(error("identifier \"x\" anchor apple").hint()).isNull();
		assertThat(error("info[k] = (").hint()).isNull();
	}

	@Test
	void namesStringsAndKeywordsInErrors() {
		assertThat(position(error("\"com.example\" and always"))).isEqualTo("1:1 unexpected string \"com.example\"");
		assertThat(position(error("and"))).isEqualTo("1:1 unexpected keyword 'and'");
	}

	@Test
	void saysWhatMayFollowAnAnchorOrACertificateSlot() {
		InvalidRequirementException anchor = error("anchor and identifier x");
		assertThat(position(anchor)).isEqualTo("1:8 unexpected keyword 'and'");
		assertThat(anchor.expected()).isEqualTo("'apple', 'apple generic', 'trusted', '[', '=' or a certificate hash");
		InvalidRequirementException certificate = error("certificate leaf and identifier x");
		assertThat(position(certificate)).isEqualTo("1:18 unexpected keyword 'and'");
		assertThat(certificate.expected()).isEqualTo("'[', '=', 'trusted' or a certificate hash");
	}

	@Test
	void readsEveryFormOfAnAnchorHash() {
		CertificateHash expected = new CertificateHash(CodeRequirement.ROOT, SHA1);
		for (String form : new String[] { "anchor = H\"" + SHA1 + "\"", "anchor == H\"" + SHA1 + "\"",
				"anchor H\"" + SHA1 + "\"" }) {
			assertThat(CodeRequirements.parse(form)).as(form).isEqualTo(expected);
		}
	}

	@Test
	void readsEveryFormOfACertificateHash() {
		CertificateHash expected = new CertificateHash(1, SHA1);
		for (String form : new String[] { "certificate 1 = H\"" + SHA1 + "\"", "certificate 1 == H\"" + SHA1 + "\"",
				"certificate 1 H\"" + SHA1 + "\"" }) {
			assertThat(CodeRequirements.parse(form)).as(form).isEqualTo(expected);
		}
	}

	@Test
	void readsCertificateFilesGivenAsPathQuotedPathOrWord() {
		assertThat(CodeRequirements.parse("certificate leaf /etc/certs/leaf"))
			.isEqualTo(new CertificateFile(CodeRequirement.LEAF, "/etc/certs/leaf"));
		assertThat(CodeRequirements.parse("certificate leaf \"/etc/cert.der\""))
			.isEqualTo(new CertificateFile(CodeRequirement.LEAF, "/etc/cert.der"));
		assertThat(CodeRequirements.parse("anchor \"/etc/anchor.der\""))
			.isEqualTo(new CertificateFile(CodeRequirement.ROOT, "/etc/anchor.der"));
		assertThat(CodeRequirements.parse("anchor cert.der"))
			.isEqualTo(new CertificateFile(CodeRequirement.ROOT, "cert.der"));
	}

	@Test
	void readsAnAnchorFieldAsAFieldOfTheRoot() {
		assertThat(CodeRequirements.parse("anchor[subject.CN] = x")).isEqualTo(new CertificateField(
				CodeRequirement.ROOT, CertificateFieldKind.SUBJECT, "CN", Match.of(MatchOperation.EQUAL, Value.of("x"))));
	}

	@Test
	void rejectsACertificateFieldWithoutAName() {
		InvalidRequirementException subject = error("certificate leaf[\"subject.\"] = x");
		assertThat(subject.problem()).isEqualTo("invalid certificate field 'subject.'");
		assertThat(subject.expected()).isEqualTo("subject.<attribute>");
		InvalidRequirementException field = error("certificate leaf[\"field.1..2\"] exists");
		assertThat(field.problem()).isEqualTo("invalid certificate field 'field.1..2'");
		assertThat(field.expected()).isEqualTo("field.<dotted OID>");
	}

	@Test
	void acceptsTimestampsFromTheYearOne() {
		CertificateField field = (CertificateField) CodeRequirements
			.parse("certificate leaf[timestamp.1.2.3] > timestamp \"00010101000000Z\"");
		assertThat(field.match().timestamp()).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
		assertThat(error("certificate leaf[timestamp.1.2.3] > timestamp \"00001231235959Z\"").problem())
			.isEqualTo("invalid timestamp \"00001231235959Z\"");
	}

	@Test
	void nestingDepthCountsOnlyEnclosingParentheses() {
		String flat = "(always)" + " and (always)".repeat(2 * Parser.MAX_DEPTH);
		assertThat(CodeRequirements.parse(flat).canonical()).startsWith("always and always");
	}

}
