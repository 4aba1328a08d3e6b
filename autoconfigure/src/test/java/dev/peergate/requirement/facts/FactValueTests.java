package dev.peergate.requirement.facts;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.Reason;
import dev.peergate.requirement.InvalidRequirementException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How fact values are read from configuration (numbers of any Java type, numbers and booleans as text, hashes),
 * compared with what a peer's transport captured, and shown in descriptions and explanations.
 */
class FactValueTests {

	private static final String PATH = "requirement.linux";

	private static LinuxRequirement linux(Map<String, ?> tree) {
		return FactRequirements.linux(tree, PATH, IdResolver.system());
	}

	private static LightweightRequirement lightweight(Map<String, ?> tree) {
		return FactRequirements.lightweight(tree, "requirement.lightweight");
	}

	private static PeerCredentials peer(String fact, Object value) {
		return PeerCredentials.builder("unix").facts(PeerFacts.builder().verified(fact, value).build()).build();
	}

	private static InvalidRequirementException linuxError(Map<String, ?> tree) {
		return catchThrowableOfType(InvalidRequirementException.class, () -> linux(tree));
	}

	@Test
	void acceptsUidsGivenAsBigIntegerOrBigDecimal() {
		LinuxRequirement big = linux(Map.of("real-uid", BigInteger.valueOf(1000)));
		assertThat(big.describe()).isEqualTo("{\"real-uid\":1000}");
		assertThat(big.evaluate(peer("real-uid", 1000L)).satisfied()).isTrue();
		assertThat(big.evaluate(peer("real-uid", 0L)).satisfied()).isFalse();
		LinuxRequirement decimal = linux(Map.of("real-uid", new BigDecimal("1000")));
		assertThat(decimal.describe()).isEqualTo("{\"real-uid\":1000}");
		assertThat(decimal.evaluate(peer("real-uid", 0L)).satisfied()).isFalse();
	}

	@Test
	void rejectsNumbersThatAreNoLongAsNotANumberRatherThanWrappingThem() {
		BigInteger twoToThe63 = BigInteger.ONE.shiftLeft(63);
		assertThat(linuxError(Map.of("real-uid", twoToThe63)).problem()).isEqualTo("found number " + twoToThe63);
		assertThat(linuxError(Map.of("real-uid", twoToThe63.subtract(BigInteger.ONE))).problem())
			.isEqualTo("value 9223372036854775807 is out of range");
		assertThat(linuxError(Map.of("real-uid", new BigDecimal("1.5"))).problem()).isEqualTo("found number 1.5");
		assertThat(linuxError(Map.of("real-uid", "99999999999999999999")).problem())
			.isEqualTo("found text \"99999999999999999999\"");
	}

	@Test
	void comparesCapturedBigNumbersByValue() {
		LinuxRequirement requirement = linux(Map.of("real-uid", 1000));
		assertThat(requirement.evaluate(peer("real-uid", BigInteger.valueOf(1000))).satisfied()).isTrue();
		assertThat(requirement.evaluate(peer("real-uid", new BigDecimal("1000.0"))).satisfied()).isTrue();
		assertThat(requirement.evaluate(peer("real-uid", new BigDecimal("1000.5"))).satisfied()).isFalse();
	}

	@Test
	void anOrderingTestFailsOnACapturedValueThatIsNoNumber() {
		Evaluation evaluation = linux(Map.of("real-uid", Map.of("$gte", 0))).evaluate(peer("real-uid", "root"));
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).isEqualTo("real-uid: expected >= 0, peer has \"root\"");
		Evaluation range = linux(Map.of("real-uid", Map.of("$gte", 0, "$lt", 1000))).evaluate(peer("real-uid", "root"));
		assertThat(range.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(range.explanation()).isEqualTo("real-uid: expected >= 0 and < 1000, peer has \"root\"");
	}

	@Test
	void matchesABooleanFactCapturedAsTextIgnoringCase() {
		LinuxRequirement requirement = linux(Map.of("no-new-privs", true));
		assertThat(requirement.evaluate(peer("no-new-privs", "TRUE")).satisfied()).isTrue();
		assertThat(requirement.evaluate(peer("no-new-privs", "false")).satisfied()).isFalse();
		assertThat(requirement.evaluate(peer("no-new-privs", 1L)).satisfied()).isFalse();
	}

	@Test
	void acceptsATextFactGivenAsANumberAsItsDigits() {
		LightweightRequirement requirement = lightweight(Map.of("signing-identifier", 12345));
		assertThat(requirement.describe()).isEqualTo("{\"signing-identifier\":\"12345\"}");
		assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> lightweight(Map.of("signing-identifier", true)))
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("found boolean true"));
	}

	@Test
	void rejectsAHashOfTheRightLengthWithCharactersThatAreNoHexDigits() {
		String notHex = "zz".repeat(20);
		assertThatExceptionOfType(InvalidRequirementException.class)
			.isThrownBy(() -> lightweight(Map.of("cdhash", notHex)))
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo("invalid value text \"" + notHex + "\""));
	}

	@Test
	void comparesACdhashCapturedAsBytesAndShowsItAsHex() {
		String wanted = "0123456789abcdef0123456789abcdef01234567";
		String other = "89abcdef0123456789abcdef0123456789abcdef";
		LightweightRequirement requirement = lightweight(Map.of("cdhash", wanted));
		PeerCredentials matching = PeerCredentials.builder("xpc")
			.facts(PeerFacts.builder().verified("cdhash", HexFormat.of().parseHex(wanted)).build())
			.build();
		PeerCredentials differing = PeerCredentials.builder("xpc")
			.facts(PeerFacts.builder().verified("cdhash", HexFormat.of().parseHex(other)).build())
			.build();
		assertThat(requirement.evaluate(matching).satisfied()).isTrue();
		Evaluation evaluation = requirement.evaluate(differing);
		assertThat(evaluation.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(evaluation.explanation()).isEqualTo("cdhash: expected \"" + wanted + "\", peer has " + other);
	}

	@Test
	void escapesControlCharactersButNotSpacesInDescriptions() {
		assertThat(linux(Map.of("security-label", "a b")).describe()).isEqualTo("{\"security-label\":\"a b\"}");
		assertThat(linux(Map.of("security-label", "a\u001fb\nc\td\re")).describe())
			.isEqualTo("{\"security-label\":\"a\\u001fb\\nc\\td\\re\"}");
	}

	@Test
	void showsACapturedValueOfUpTo200CharactersWhole() {
		LightweightRequirement requirement = lightweight(
				Map.of("entitlements", Map.of("$query", List.of(List.of(1, "missing")))));
		Map<String, Object> exactly200 = Map.of("k", "x".repeat(196));
		assertThat(String.valueOf(exactly200)).hasSize(200);
		assertThat(requirement.evaluate(peer("entitlements", exactly200)).explanation())
			.endsWith(", peer has " + exactly200);
		Map<String, Object> longer = Map.of("k", "x".repeat(197));
		assertThat(requirement.evaluate(peer("entitlements", longer)).explanation())
			.endsWith(", peer has {k=" + "x".repeat(194) + "...");
	}

	@Test
	void numbersTheValidationCategoriesAsEndpointSecurityDoes() {
		Map<String, Long> expected = new LinkedHashMap<>();
		List.of("platform", "testflight", "development", "app-store", "enterprise", "developer-id",
				"local-signing", "rosetta", "oopjit", "none").forEach((name) -> expected.put(name, expected.size() + 1L));
		// read directly: FactSet builds its table once per JVM, in its static initializer
		assertThat(ValueType.validationCategories()).containsExactlyEntriesOf(expected);
		assertThat(lightweight(Map.of("validation-category", "none")).describe())
			.isEqualTo("{\"validation-category\":10 (none)}");
	}

}
