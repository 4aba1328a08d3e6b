package dev.peergate.xpc;

import java.util.Map;

import dev.peergate.actuate.PlatformInfoContributor;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.actuate.PeergateInfoContributorAutoConfiguration;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/info} with XPC listeners running on the simulator: the macOS version the mechanisms were chosen
 * for, and per XPC listener its mechanism, enforcement and whether Peergate sees every rejection.
 */
class XpcInfoContributorTests {

	private final XpcSimulator sim = XpcSimulator.current();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
				PeergateInfoContributorAutoConfiguration.class))
		.withBean(HelperService.class)
		.withSystemProperties(NativeLibraries.ALL_PROPERTY + "=" + this.sim.libraries().xpc());

	@AfterEach
	void resetSimulatedVersion() {
		this.sim.macOs("15.0");
	}

	@Test
	void reportsTheMacOsVersionAndEachXpcListenersMechanismAndEnforcement() {
		this.sim.macOs("14.4").service("com.example.info.observed").service("com.example.info.enforced");
		this.sim.control().xpcsim_set_self_team("ABCDE12345");
		this.runner
			.withPropertyValues("peergate.listeners.observed.transport=xpc",
					"peergate.listeners.observed.xpc.service-name=com.example.info.observed",
					"peergate.listeners.observed.requirement.code-signing=identifier com.example.cli",
					"peergate.listeners.enforced.transport=xpc",
					"peergate.listeners.enforced.xpc.service-name=com.example.info.enforced",
					"peergate.listeners.enforced.requirement.entitlement=com.example.helper.client",
					"peergate.listeners.enforced.enforcement=os",
					"peergate.listeners.local.transport=in-process",
					"peergate.listeners.local.requirement.same-user=true")
			.run(context -> {
				Map<String, Object> peergate = peergateInfo(context);
				assertThat(peergate).containsEntry("macOsVersion", "14.4");
				assertThat(peergate).containsEntry("xpc", Map.of(
						"observed", Map.of("service", "com.example.info.observed", "mechanism", "sec-code-xpc-message",
								"enforcement", "observed", "rejectionsVisible", true),
						"enforced", Map.of("service", "com.example.info.enforced", "mechanism",
								"xpc-lightweight-code-requirement", "enforcement", "os", "rejectionsVisible", false)));
			});
	}

	@Test
	void reportsNoMacOsFactsWithoutXpcListeners() {
		this.runner
			.withPropertyValues("peergate.listeners.local.transport=in-process",
					"peergate.listeners.local.requirement.same-user=true")
			.run(context -> assertThat(peergateInfo(context)).doesNotContainKeys("macOsVersion", "xpc")
				.containsKeys("os", "transports"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> peergateInfo(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		Info.Builder builder = new Info.Builder();
		context.getBean(PlatformInfoContributor.class).contribute(builder);
		return (Map<String, Object>) builder.build().get("peergate");
	}

}
