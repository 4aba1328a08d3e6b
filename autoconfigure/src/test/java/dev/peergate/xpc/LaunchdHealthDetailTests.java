package dev.peergate.xpc;

import dev.peergate.actuate.LaunchdEndpoint;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.actuate.PeergateHealthContributorAutoConfiguration;
import dev.peergate.autoconfigure.actuate.PeergateLaunchdEndpointAutoConfiguration;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Mach service launchd does not declare for this process (simulated libxpc): the listener's health says how to
 * declare it, and the {@code launchd} endpoint generates exactly the missing declaration.
 */
class LaunchdHealthDetailTests {

	private final XpcSimulator sim = XpcSimulator.current();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
				PeergateHealthContributorAutoConfiguration.class, PeergateLaunchdEndpointAutoConfiguration.class))
		.withBean(HelperService.class)
		.withSystemProperties(NativeLibraries.ALL_PROPERTY + "=" + this.sim.libraries().xpc())
		.withPropertyValues("management.endpoints.web.exposure.include=launchd",
				"peergate.listeners.helper.transport=xpc",
				"peergate.listeners.helper.xpc.service-name=com.example.undeclared",
				"peergate.listeners.helper.requirement.code-signing=identifier com.example.cli and anchor apple generic");

	@AfterEach
	void resetSimulatedVersion() {
		this.sim.macOs("15.0");
	}

	@Test
	void healthOfAnUndeclaredServicePointsAtTheGeneratedPlist() {
		this.sim.macOs("14.4");
		this.runner.run(context -> {
			HealthIndicator indicator = (HealthIndicator) ((CompositeHealthContributor) context
				.getBean("peergateHealthContributor")).getContributor("helper");
			await().untilAsserted(() -> {
				Health health = indicator.health();
				assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
				assertThat((String) health.getDetails().get("launchd")).contains("com.example.undeclared")
					.contains("MachServices")
					.contains("/actuator/launchd");
			});
			String plist = context.getBean(LaunchdEndpoint.class).plist().getBody();
			assertThat(plist).contains("<key>com.example.undeclared</key>\n\t\t<true/>");
		});
	}

	@Test
	void healthOfADeclaredServiceHasNoLaunchdDetail() {
		this.sim.macOs("14.4").service("com.example.declared");
		this.runner.withPropertyValues("peergate.listeners.helper.xpc.service-name=com.example.declared").run(context -> {
			HealthIndicator indicator = (HealthIndicator) ((CompositeHealthContributor) context
				.getBean("peergateHealthContributor")).getContributor("helper");
			Health health = indicator.health();
			assertThat(health.getStatus().getCode()).isEqualTo("UP");
			assertThat(health.getDetails()).doesNotContainKey("launchd");
		});
	}

}
