package dev.peergate.requirement.codesigning;

import java.time.Instant;
import java.util.List;

import dev.peergate.requirement.InvalidRequirementException;
import dev.peergate.requirement.codesigning.CodeRequirement.And;
import dev.peergate.requirement.codesigning.CodeRequirement.AppleGenericAnchor;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateField;
import dev.peergate.requirement.codesigning.CodeRequirement.Identifier;
import dev.peergate.requirement.codesigning.CodeRequirement.Not;
import dev.peergate.requirement.codesigning.CodeRequirement.Or;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CodeRequirementsTests {

	@Test
	void acceptsACertificateFieldOidOfAnyNumberOfArcsAsTheRequirementGrammarDoes() {
		for (String oid : List.of("1", "2.5", "1.2.840.113635.100.6.1.13")) {
			String text = "certificate leaf[field." + oid + "] exists";
			assertThat(CodeRequirements.parse(text).canonical()).isEqualTo("certificate leaf[field." + oid + "] /* exists */");
		}
	}

	@Test
	void andBindsTighterThanOr() {
		CodeRequirement parsed = CodeRequirements.parse("identifier a or identifier b and identifier c");
		assertThat(parsed).isEqualTo(Or.of(new Identifier("a"), And.of(new Identifier("b"), new Identifier("c"))));
	}

	@Test
	void notBindsTighterThanAnd() {
		CodeRequirement parsed = CodeRequirements.parse("! identifier a and identifier b");
		assertThat(parsed).isEqualTo(And.of(new Not(new Identifier("a")), new Identifier("b")));
	}

	@Test
	void parenthesesOverridePrecedenceAndSurviveInCanonicalText() {
		CodeRequirement parsed = CodeRequirements.parse("(identifier a or identifier b) and identifier c");
		assertThat(parsed).isEqualTo(And.of(Or.of(new Identifier("a"), new Identifier("b")), new Identifier("c")));
		assertThat(parsed.canonical()).isEqualTo("(identifier a or identifier b) and identifier c");
	}

	@Test
	void redundantParenthesesAreDropped() {
		assertThat(CodeRequirements.parse("identifier a and (identifier b and identifier c)").canonical())
			.isEqualTo("identifier a and identifier b and identifier c");
	}

	@Test
	void negatedConjunctionKeepsItsParentheses() {
		assertThat(CodeRequirements.parse("!(identifier a and identifier b)").canonical())
			.isEqualTo("! (identifier a and identifier b)");
	}

	@Test
	void readsTeamIdentifierClauseIntoCertificateField() {
		CodeRequirement parsed = CodeRequirements
			.parse("anchor apple generic and certificate leaf[subject.OU] = \"8XCUU22SN2\"");
		assertThat(parsed).isEqualTo(And.of(new AppleGenericAnchor(), new CertificateField(CodeRequirement.LEAF,
				CertificateFieldKind.SUBJECT, "OU", Match.of(MatchOperation.EQUAL, Value.of("8XCUU22SN2")))));
	}

	@Test
	void readsTimestampsAsUtcInstants() {
		CertificateField field = (CertificateField) CodeRequirements
			.parse("certificate leaf[timestamp.1.2.3] < timestamp \"20250102030405Z\"");
		assertThat(field.match()).isEqualTo(Match.of(MatchOperation.BEFORE, Instant.parse("2025-01-02T03:04:05Z")));
	}

	@Test
	void hintsToQuoteTeamIdentifierStartingWithDigit() {
		InvalidRequirementException ex = catchThrowableOfType(
				() -> CodeRequirements.parse("certificate leaf[subject.OU] = 1ABCDE2345"),
				InvalidRequirementException.class);
		assertThat(ex.line()).isEqualTo(1);
		assertThat(ex.column()).isEqualTo(32);
		assertThat(ex.problem()).isEqualTo("unexpected '1ABCDE2345'");
		assertThat(ex.hint()).contains("\"1ABCDE2345\"");
		assertThat(ex.excerpt()).isEqualTo("certificate leaf[subject.OU] = 1ABCDE2345\n" + " ".repeat(31) + "^");
	}

	@Test
	void hintsToQuoteReservedWordUsedAsValue() {
		InvalidRequirementException ex = catchThrowableOfType(
				() -> CodeRequirements.parse("entitlement[com.example.flag] = true"),
				InvalidRequirementException.class);
		assertThat(ex.hint()).contains("\"true\"");
	}

	@Test
	void excerptShowsOnlyTheOffendingLine() {
		InvalidRequirementException ex = catchThrowableOfType(
				() -> CodeRequirements.parse("identifier a\nand certificate leaf[bogus.x]\nand anchor apple"),
				InvalidRequirementException.class);
		assertThat(ex.line()).isEqualTo(2);
		assertThat(ex.column()).isEqualTo(22);
		assertThat(ex.problem()).isEqualTo("unrecognized certificate field 'bogus.x'");
		assertThat(ex.excerpt()).isEqualTo("and certificate leaf[bogus.x]\n" + " ".repeat(21) + "^");
	}

	@Test
	void rejectsHashOfWrongLength() {
		assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> CodeRequirements.parse("cdhash H\"abcd\""))
			.withMessageContaining("invalid hash length");
	}

	@Test
	void rejectsDeepNestingWithoutStackOverflow() {
		String deep = "(".repeat(100_000) + "always" + ")".repeat(100_000);
		assertThatExceptionOfType(InvalidRequirementException.class).isThrownBy(() -> CodeRequirements.parse(deep))
			.withMessageContaining("nested deeper than 256");
		String negations = "!".repeat(100_000) + " always";
		assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> CodeRequirements.parse(negations));
	}

	@Test
	void acceptsNestingUpToTheLimit() {
		String nested = "(".repeat(255) + "always" + ")".repeat(255);
		assertThat(CodeRequirements.parse(nested).canonical()).isEqualTo("always");
	}

	@Test
	void parseRejectsRequirementSetAndParseSetAcceptsIt() {
		String text = "designated => anchor apple";
		assertThatExceptionOfType(InvalidRequirementException.class).isThrownBy(() -> CodeRequirements.parse(text));
		assertThat(CodeRequirements.parseSet(text).designated()).isEqualTo(new CodeRequirement.AppleAnchor());
	}

	@Test
	void parseSetRejectsSingleRequirement() {
		assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> CodeRequirements.parseSet("anchor apple"))
			.satisfies((ex) -> assertThat(ex.column()).isEqualTo(1));
	}

	@Test
	void binaryValuesThatAreTextPrintAsText() {
		assertThat(CodeRequirements.parse("info[k] = 0x414243").canonical()).isEqualTo("info[k] = ABC");
		assertThat(CodeRequirements.parse("info[k] = 0x0001").canonical()).isEqualTo("info[k] = 0x0001");
	}

	@Test
	void wildcardsMapToApplesMatchOperations() {
		assertThat(((CodeRequirement.InfoField) CodeRequirements.parse("info[k] = ab*")).match().operation())
			.isEqualTo(MatchOperation.BEGINS_WITH);
		assertThat(((CodeRequirement.InfoField) CodeRequirements.parse("info[k] = *ab")).match().operation())
			.isEqualTo(MatchOperation.ENDS_WITH);
		assertThat(((CodeRequirement.InfoField) CodeRequirements.parse("info[k] == *ab*")).match().operation())
			.isEqualTo(MatchOperation.CONTAINS);
	}

	@Test
	void messageCarriesPositionExpectationAndExcerpt() {
		assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> CodeRequirements.parse("identifier"))
			.withMessageStartingWith("line 1, column 11: unexpected end of input; expected a signing identifier")
			.withMessageEndingWith("identifier\n" + " ".repeat(10) + "^");
	}

}
