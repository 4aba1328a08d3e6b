package dev.peergate.xpc;

import java.math.BigInteger;
import java.util.Map;

import dev.peergate.autoconfigure.ListenerConfigurationException;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.client.XpcClient;
import dev.peergate.core.Mechanism;
import dev.peergate.handler.IpcError;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcSimulator;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code requirement.entitlement} and {@code requirement.entitlement-value} from configuration, on the simulator:
 * the form each selects, values typed as the source (YAML) gives them, and every fail-closed error.
 */
class XpcEntitlementConfigurationTests {

	private static final String BASE = "peergate.listeners.helper.requirement";

	private static final SimPeer ENTITLED = new SimPeer(501, 20, 4242, "com.example.cli", "ABCDE12345",
			"0123456789abcdef0123456789abcdef01234567", "ABCDE12345",
			"com.example.helper.client,com.example.tier=s:gold,com.example.level=i:3", false, true, 6);

	private static final SimPeer LOOKALIKE = new SimPeer(501, 20, 4545, "com.example.cli", "ABCDE12345",
			"0123456789abcdef0123456789abcdef01234567", "ABCDE12345",
			"com.example.helper.client=s:true,com.example.tier=s:silver,com.example.level=s:3", false, true, 6);

	private final XpcSimulator sim = XpcSimulator.current();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class))
		.withBean(HelperService.class)
		.withSystemProperties(NativeLibraries.ALL_PROPERTY + "=" + this.sim.libraries().xpc())
		.withPropertyValues("peergate.listeners.helper.transport=xpc",
				"peergate.listeners.helper.xpc.service-name=com.example.entitled");

	@AfterEach
	void resetSimulatedVersion() {
		this.sim.macOs("15.0");
	}

	@Test
	void entitlementAloneRequiresTheEntitlementToExist() {
		this.sim.macOs("14.4").service("com.example.entitled");
		this.runner.withPropertyValues(BASE + ".entitlement=com.example.tier", "peergate.listeners.helper.enforcement=os")
			.run(context -> {
				XpcListener listener = listener(context);
				assertThat(listener.mechanism()).isEqualTo(Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT);
				assertThat(listener.options().requirement()).isEqualTo(XpcRequirement.entitlementExists("com.example.tier"));
				assertAccepted(ENTITLED);
				assertRefused(SimPeer.stranger());
			});
	}

	@Test
	void stringValueFromPropertiesRequiresThatString() {
		this.sim.macOs("26.0").service("com.example.entitled");
		this.runner
			.withPropertyValues(BASE + ".entitlement=com.example.tier", BASE + ".entitlement-value=gold")
			.run(context -> {
				XpcListener listener = listener(context);
				assertThat(listener.mechanism()).isEqualTo(Mechanism.XPC_PEER_REQUIREMENT_MATCH);
				assertThat(listener.gate().requirement().describe()).isEqualTo("entitlement com.example.tier = \"gold\"");
				assertAccepted(ENTITLED);
				assertRefused(LOOKALIKE);
			});
	}

	@Test
	void integerValueFromYamlRequiresThatInt64() {
		this.sim.macOs("26.0").service("com.example.entitled");
		this.runner.withPropertyValues(BASE + ".entitlement=com.example.level")
			.withInitializer(typed(Map.of(BASE + ".entitlement-value", 3)))
			.run(context -> {
				assertThat(listener(context).options().requirement())
					.isEqualTo(XpcRequirement.entitlementMatches("com.example.level", 3L));
				assertAccepted(ENTITLED);
				assertRefused(LOOKALIKE);
			});
	}

	@Test
	void boolValueFromYamlRequiresThatBool() {
		this.sim.macOs("14.4").service("com.example.entitled");
		this.runner
			.withPropertyValues(BASE + ".entitlement=com.example.helper.client", "peergate.listeners.helper.enforcement=os")
			.withInitializer(typed(Map.of(BASE + ".entitlement-value", true)))
			.run(context -> {
				XpcListener listener = listener(context);
				assertThat(listener.mechanism()).isEqualTo(Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT);
				assertThat(listener.gate().requirement().describe()).isEqualTo("entitlement com.example.helper.client = true");
				assertAccepted(ENTITLED);
				assertRefused(LOOKALIKE);
			});
	}

	@Test
	void refusesADecimalValueNamingThePropertyWhatWasFoundAndWhatIsExpected() {
		this.runner.withPropertyValues(BASE + ".entitlement=com.example.level")
			.withInitializer(typed(Map.of(BASE + ".entitlement-value", 1.5)))
			.run(context -> assertFailure(context, BASE + ".entitlement-value", "is 1.5, a decimal number",
					"integer within int64"));
	}

	@Test
	void refusesAnIntegerOutsideInt64() {
		this.runner.withPropertyValues(BASE + ".entitlement=com.example.level")
			.withInitializer(typed(Map.of(BASE + ".entitlement-value", BigInteger.ONE.shiftLeft(63))))
			.run(context -> assertFailure(context, BASE + ".entitlement-value", "is 9223372036854775808, outside int64",
					"integer within int64"));
	}

	@Test
	void refusesAListValueRatherThanDroppingIt() {
		this.runner
			.withPropertyValues(BASE + ".entitlement=com.example.groups", BASE + ".entitlement-value[0]=a",
					BASE + ".entitlement-value[1]=b")
			.run(context -> assertFailure(context, BASE + ".entitlement-value", "is a list or a map",
					"bool (true), string (gold)"));
	}

	@Test
	void refusesAListGivenAsIndexedEnvironmentVariables() {
		this.runner.withPropertyValues(BASE + ".entitlement=com.example.groups")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
						Map.of("PEERGATE_LISTENERS_HELPER_REQUIREMENT_ENTITLEMENTVALUE_0_", "a"))))
			.run(context -> assertFailure(context, BASE + ".entitlement-value", "is a list or a map", "bool (true)"));
	}

	@Test
	void refusesAMapValueFromYaml() {
		this.runner.withPropertyValues(BASE + ".entitlement=com.example.groups")
			.withInitializer(typed(Map.of(BASE + ".entitlement-value", Map.of("a", 1))))
			.run(context -> assertFailure(context, BASE + ".entitlement-value", "is a list or a map", "bool (true)"));
	}

	@Test
	void refusesAStringValueWithANulCharacter() {
		this.runner.withPropertyValues(BASE + ".entitlement=com.example.tier")
			.withInitializer(typed(Map.of(BASE + ".entitlement-value", "gold\0silver")))
			.run(context -> assertFailure(context, BASE + ".entitlement-value", "contains a NUL character",
					"string (gold)"));
	}

	@Test
	void refusesAValueWithoutTheEntitlementItBelongsTo() {
		this.runner.withPropertyValues(BASE + ".code-signing=identifier com.example.cli", BASE + ".entitlement-value=gold")
			.run(context -> assertFailure(context, BASE + ".entitlement-value",
					"is set, but " + BASE + ".entitlement (the entitlement it is the value of) is not",
					"Set " + BASE + ".entitlement"));
	}

	@Test
	void refusesAValueWithoutTheEntitlementOnTheLinuxTransportsToo() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process", BASE + ".same-user=true",
					BASE + ".entitlement-value=gold")
			.run(context -> assertFailure(context, BASE + ".entitlement-value", "is set, but", "Set "));
	}

	@Test
	void refusesEntitlementTogetherWithCodeSigningNamingBothProperties() {
		this.sim.macOs("14.4");
		this.runner
			.withPropertyValues(BASE + ".entitlement=com.example.tier", BASE + ".code-signing=identifier com.example.cli")
			.run(context -> assertFailure(context, BASE + ".entitlement",
					BASE + ".entitlement is set together with " + BASE + ".code-signing", "Keep one"));
	}

	@Test
	void refusesEntitlementTogetherWithLightweightNamingBothProperties() {
		this.sim.macOs("14.4");
		this.runner
			.withPropertyValues(BASE + ".entitlement=com.example.tier", BASE + ".lightweight.team-identifier=ABCDE12345")
			.run(context -> assertFailure(context, BASE + ".entitlement",
					BASE + ".entitlement is set together with " + BASE + ".lightweight", "Keep one"));
	}

	@Test
	void refusesEntitlementTogetherWithSameTeamNamingBothProperties() {
		this.sim.macOs("14.4");
		this.runner.withPropertyValues(BASE + ".entitlement=com.example.tier", BASE + ".same-team=true")
			.run(context -> assertFailure(context, BASE + ".entitlement",
					BASE + ".entitlement is set together with " + BASE + ".same-team", "Keep one"));
	}

	private static org.springframework.context.ApplicationContextInitializer<org.springframework.context.ConfigurableApplicationContext> typed(
			Map<String, Object> values) {
		// what a YAML file gives the binder: typed scalars, not strings
		return (context) -> context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("yaml", values));
	}

	@Test
	void aMethodOfAnXpcListenerCanRequireACodeSigningRequirementOfItsOwn() {
		this.sim.macOs("15.0").service("com.example.entitled");
		this.runner
			.withPropertyValues(BASE + ".code-signing=anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"",
					"peergate.listeners.helper.methods[com.example.helper.Echo].requirement.code-signing="
							+ "identifier \"com.example.admin\"",
					"peergate.listeners.helper.methods[com.example.helper.Echo].requirement.linux.uid=0")
			.run(context -> {
				XpcListener listener = listener(context);
				assertThat(listener.options().methodRequirements())
					.containsEntry("com.example.helper.Echo", XpcRequirement.codeSigning("identifier \"com.example.admin\""));
				assertRefused(ENTITLED); // team member, but not the admin tool
			});
	}

	@Test
	void refusesAMethodRequirementOfAnotherFormOnAnXpcListener() {
		this.runner
			.withPropertyValues(BASE + ".code-signing=anchor apple generic",
					"peergate.listeners.helper.methods[com.example.helper.Echo].requirement.same-team=true")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("peergate.listeners.helper.methods[com.example.helper.Echo].requirement")
				.hasMessageContaining("a method requirement is one code-signing or one lightweight requirement"));
	}

	@Test
	void auditServesTheSenderTheRequirementRefusesAndRecordsWouldReject() {
		this.sim.macOs("15.0").service("com.example.entitled");
		this.runner
			.withPropertyValues(BASE + ".code-signing=anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"",
					"peergate.listeners.helper.enforcement=audit")
			.run(context -> {
				XpcListener listener = listener(context);
				assertThat(listener.gate().audit()).isTrue();
				assertAccepted(SimPeer.stranger());
				dev.peergate.core.VerdictLedger.Summary summary = context.getBean(dev.peergate.core.VerdictLedger.class)
					.summary("helper");
				assertThat(summary.wouldReject()).isEqualTo(1);
				assertThat(summary.recentRejections()).singleElement()
					.satisfies(verdict -> assertThat(verdict.outcome()).isEqualTo(dev.peergate.core.Outcome.WOULD_REJECT));
			});
	}

	@Test
	void auditNeedsPeergateToCheckEachMessageAsObservedDoes() {
		this.sim.macOs("14.4").service("com.example.entitled");
		this.runner.withPropertyValues(BASE + ".entitlement=com.example.tier", "peergate.listeners.helper.enforcement=audit")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("peergate.listeners.helper.enforcement")
				.hasMessageContaining("xpc_peer_requirement_match_received_message (macOS 26+)"));
	}

	private static XpcListener listener(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return (XpcListener) context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
	}

	private void assertAccepted(SimPeer peer) {
		this.sim.nextPeer(peer);
		try (XpcClient client = XpcClient.connect(XpcClient.Options.of("com.example.entitled")
			.withLibraries(this.sim.libraries())
			.withTimeout(java.time.Duration.ofSeconds(10)))) {
			assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi"))).containsEntry("text", "hi");
		}
	}

	private void assertRefused(SimPeer peer) {
		this.sim.nextPeer(peer);
		try (XpcClient client = XpcClient.connect(XpcClient.Options.of("com.example.entitled")
			.withLibraries(this.sim.libraries())
			.withTimeout(java.time.Duration.ofSeconds(10)))) {
			// observed: a permission-denied reply; os: libxpc's peer-requirement error event
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "hi")))
				.satisfies((ex) -> assertThat(ex).isInstanceOfAny(IpcError.class,
						dev.peergate.xpc.jna.XpcClientConnection.XpcErrorEventException.class));
		}
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String problem,
			String action) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause().isInstanceOfSatisfying(ListenerConfigurationException.class,
				(ex) -> {
					assertThat(ex.property()).isEqualTo(property);
					assertThat(ex.problem()).contains(problem);
					assertThat(ex.action()).contains(action);
				});
	}

}
