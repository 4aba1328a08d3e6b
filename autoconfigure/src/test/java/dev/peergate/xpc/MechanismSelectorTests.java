package dev.peergate.xpc;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.peergate.core.Mechanism;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The mechanism table: version × requirement form × enforcement × fallback flags. */
class MechanismSelectorTests {

	private static final XpcRequirement STRING = XpcRequirement.codeSigning("identifier \"com.example.cli\"");

	private static final XpcRequirement LWCR = XpcRequirement.lightweight(Map.of("team-identifier", "ABCDE12345"));

	private static final XpcRequirement TEAM = new XpcRequirement.TeamIdentity(null);

	private static final XpcRequirement ENTITLED = XpcRequirement.entitlementExists("com.example.helper.client");

	private static final XpcRequirement ENTITLEMENT_VALUE = XpcRequirement.entitlementMatches("com.example.tier",
			"gold");

	static Stream<Arguments> table() {
		return Stream.of(
				Arguments.of("11.0", STRING, Enforcement.OBSERVED, Mechanism.SEC_CODE_XPC_MESSAGE),
				Arguments.of("12.0", STRING, Enforcement.OBSERVED, Mechanism.SEC_CODE_XPC_MESSAGE),
				Arguments.of("12.0", STRING, Enforcement.OS, Mechanism.XPC_CODE_SIGNING_REQUIREMENT),
				Arguments.of("14.4", STRING, Enforcement.OS, Mechanism.XPC_CODE_SIGNING_REQUIREMENT),
				Arguments.of("14.4", LWCR, Enforcement.OS, Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT),
				Arguments.of("15.2", TEAM, Enforcement.OS, Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT),
				Arguments.of("26.0", LWCR, Enforcement.OS, Mechanism.XPC_PEER_REQUIREMENT),
				Arguments.of("26.1", TEAM, Enforcement.OBSERVED, Mechanism.XPC_PEER_REQUIREMENT_MATCH),
				Arguments.of("26.0", STRING, Enforcement.OBSERVED, Mechanism.SEC_CODE_XPC_MESSAGE),
				Arguments.of("26.0", STRING, Enforcement.OS, Mechanism.XPC_CODE_SIGNING_REQUIREMENT),
				Arguments.of("14.4", ENTITLED, Enforcement.OS, Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT),
				Arguments.of("14.4", ENTITLEMENT_VALUE, Enforcement.OS, Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT),
				Arguments.of("26.0", ENTITLED, Enforcement.OBSERVED, Mechanism.XPC_PEER_REQUIREMENT_MATCH),
				Arguments.of("26.0", ENTITLEMENT_VALUE, Enforcement.OBSERVED, Mechanism.XPC_PEER_REQUIREMENT_MATCH),
				Arguments.of("26.0", ENTITLEMENT_VALUE, Enforcement.OS, Mechanism.XPC_PEER_REQUIREMENT));
	}

	@ParameterizedTest(name = "macOS {0}, {1}, {2} -> {3}")
	@MethodSource("table")
	void selectsTheStrongestMechanismOfTheRow(String version, XpcRequirement requirement, Enforcement enforcement,
			Mechanism expected) {
		assertThat(select(version, requirement, enforcement, false, false).mechanism()).isEqualTo(expected);
	}

	@Test
	void observedLightweightOn14_4IsRefusedWithTheOsAlternative() {
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> select("14.4", LWCR, Enforcement.OBSERVED, false, false))
			.satisfies((ex) -> {
				assertThat(ex.reason()).contains("macOS 26+").contains("this is macOS 14.4");
				assertThat(ex.alternatives()).anySatisfy((alternative) -> assertThat(alternative).startsWith("enforcement: os"));
			});
	}

	@Test
	void osStringOn11IsRefusedWithTheObservedAlternative() {
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> select("11.7", STRING, Enforcement.OS, false, false))
			.satisfies((ex) -> assertThat(ex.alternatives()).containsExactly(
					"enforcement: observed (SecCodeCreateWithXPCMessage, macOS 11+)"));
	}

	@Test
	void lightweightOn13IsRefusedListingTheCodeSigningAlternatives() {
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> select("13.6", LWCR, Enforcement.OS, false, false))
			.satisfies((ex) -> assertThat(ex.alternatives()).hasSize(2));
	}

	static Stream<Arguments> catalina() {
		return Stream.of(Arguments.of(true, false, Mechanism.PRIVATE_AUDIT_TOKEN),
				Arguments.of(false, true, Mechanism.PID_UNSAFE), Arguments.of(true, true, Mechanism.PRIVATE_AUDIT_TOKEN));
	}

	@ParameterizedTest(name = "macOS 10.15, allow-private-api {0}, allow-insecure-pid {1} -> {2}")
	@MethodSource("catalina")
	void macOs10UsesTheFallbackItsFlagAllowsPreferringThePrivateRoute(boolean privateApi, boolean pid,
			Mechanism expected) {
		assertThat(select("10.15", STRING, Enforcement.OBSERVED, privateApi, pid).mechanism()).isEqualTo(expected);
	}

	@Test
	void macOs10WithoutFlagsIsRefusedNamingBothFlags() {
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> select("10.15", STRING, Enforcement.OBSERVED, false, false))
			.satisfies((ex) -> assertThat(ex.reason()).doesNotContain("allow-"))
			.satisfies((ex) -> assertThat(ex.alternatives()).hasSize(3)
				.anySatisfy((alternative) -> assertThat(alternative).startsWith("allow-private-api: true"))
				.anySatisfy((alternative) -> assertThat(alternative).startsWith("allow-insecure-pid: true")));
	}

	@ParameterizedTest(name = "macOS {0}: the flags are ignored")
	@MethodSource("table")
	void macOs11AndLaterIgnoreTheFlags(String version, XpcRequirement requirement, Enforcement enforcement,
			Mechanism expected) {
		assertThat(select(version, requirement, enforcement, true, true).mechanism()).isEqualTo(expected);
		assertThat(select(version, requirement, enforcement, true, false).mechanism()).isEqualTo(expected);
		assertThat(select(version, requirement, enforcement, false, true).mechanism()).isEqualTo(expected);
	}

	@Test
	void macOs11RefusalsStayRefusalsWithTheFlags() {
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> select("11.7", STRING, Enforcement.OS, true, true));
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> select("14.4", LWCR, Enforcement.OBSERVED, true, true));
	}

	@Test
	void macOs10FlagsDoNotApplyToEnforcementOsOrLightweightRequirements() {
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> select("10.15", STRING, Enforcement.OS, true, true))
			.withMessageContaining("apply only to a code-signing requirement with enforcement: observed")
			.withMessageContaining("enforcement: os");
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> select("10.15", LWCR, Enforcement.OBSERVED, true, true))
			.withMessageContaining("a lightweight requirement");
	}

	@Test
	void fallbacksNeedTheirSymbols() {
		assertThat(select("10.15", STRING, Enforcement.OBSERVED, true, false).symbols()).containsExactly(
				"xpc_dictionary_get_audit_token", "SecCodeCopyGuestWithAttributes", "kSecGuestAttributeAudit");
		assertThat(select("10.15", STRING, Enforcement.OBSERVED, false, true).symbols()).containsExactly(
				"xpc_connection_get_pid", "SecCodeCopyGuestWithAttributes", "kSecGuestAttributePid");
		Set<String> withoutPrivate = Set.of("SecCodeCopyGuestWithAttributes", "kSecGuestAttributeAudit");
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> MechanismSelector.select(new MechanismSelector.Query(MacOsVersion.parse("10.15"),
					STRING, Enforcement.OBSERVED, true, false), withoutPrivate::contains))
			.withMessageContaining("lacks xpc_dictionary_get_audit_token");
	}

	@Test
	void aMissingSymbolRefusesTheMechanismTheVersionPromises() {
		Set<String> present = Set.of("SecCodeCreateWithXPCMessage");
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> MechanismSelector.select(
					new MechanismSelector.Query(MacOsVersion.parse("14.4"), LWCR, Enforcement.OS, false, false),
					present::contains))
			.withMessageContaining("xpc_connection_set_peer_lightweight_code_requirement");
	}

	@Test
	void listsTheSymbolsEachMechanismCalls() {
		assertThat(select("26.0", TEAM, Enforcement.OS, false, false).symbols()).containsExactly(
				"xpc_peer_requirement_create_team_identity", "xpc_connection_set_peer_requirement");
		assertThat(select("12.0", STRING, Enforcement.OS, false, false).symbols()).isEqualTo(List.of(
				"xpc_connection_set_peer_code_signing_requirement", "_xpc_error_peer_code_signing_requirement"));
	}

	@Test
	void entitlementFormsCallTheirOwnSetterAndCreator() {
		assertThat(select("14.4", ENTITLED, Enforcement.OS, false, false).symbols()).containsExactly(
				"xpc_connection_set_peer_entitlement_exists_requirement", "_xpc_error_peer_code_signing_requirement");
		assertThat(select("14.4", ENTITLEMENT_VALUE, Enforcement.OS, false, false).symbols()).containsExactly(
				"xpc_connection_set_peer_entitlement_matches_value_requirement",
				"_xpc_error_peer_code_signing_requirement");
		assertThat(select("26.0", ENTITLEMENT_VALUE, Enforcement.OS, false, false).symbols()).containsExactly(
				"xpc_peer_requirement_create_entitlement_matches_value", "xpc_connection_set_peer_requirement");
		assertThat(select("26.0", ENTITLEMENT_VALUE, Enforcement.OBSERVED, false, false).symbols()).containsExactly(
				"xpc_peer_requirement_create_entitlement_matches_value", "xpc_peer_requirement_match_received_message",
				"xpc_rich_error_copy_description");
	}

	@Test
	void entitlementValueIsRefusedBefore14_4AndObservedBefore26() {
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> select("14.3", ENTITLEMENT_VALUE, Enforcement.OS, false, false))
			.withMessageContaining("entitlement com.example.tier = \"gold\"")
			.withMessageContaining("needs macOS 14.4");
		assertThatExceptionOfType(MechanismUnavailableException.class)
			.isThrownBy(() -> select("15.0", ENTITLEMENT_VALUE, Enforcement.OBSERVED, false, false))
			.withMessageContaining("macOS 26+");
	}

	@Test
	void parsesProductVersions() {
		assertThat(MacOsVersion.parse("14.4.1").atLeast(14, 4)).isTrue();
		assertThat(MacOsVersion.parse("14.3").atLeast(14, 4)).isFalse();
		assertThat(MacOsVersion.parse("26").atLeast(26, 0)).isTrue();
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> MacOsVersion.parse("sonoma"));
	}

	private static MechanismSelector.Selection select(String version, XpcRequirement requirement,
			Enforcement enforcement, boolean privateApi, boolean pid) {
		return MechanismSelector.select(
				new MechanismSelector.Query(MacOsVersion.parse(version), requirement, enforcement, privateApi, pid),
				(symbol) -> true);
	}

}
