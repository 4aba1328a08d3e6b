package dev.peergate.xpc;

import java.time.Duration;
import java.util.Map;

import dev.peergate.actuate.PeergateEndpoint;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.actuate.PeergateEndpointAutoConfiguration;
import dev.peergate.client.XpcClient;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcSimulator;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** What the endpoint says its totals can see, per enforcement, against what the listener really counts. */
class XpcEndpointVisibilityTests {

	private final XpcSimulator sim = XpcSimulator.current();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
				PeergateEndpointAutoConfiguration.class))
		.withBean(HelperService.class)
		.withSystemProperties(NativeLibraries.ALL_PROPERTY + "=" + this.sim.libraries().xpc())
		.withPropertyValues("management.endpoints.web.exposure.include=peergate",
				"peergate.listeners.helper.transport=xpc",
				"peergate.listeners.helper.xpc.service-name=com.example.spring",
				"peergate.listeners.helper.requirement.code-signing=identifier com.example.cli and anchor apple generic");

	@AfterEach
	void resetSimulatedVersion() {
		this.sim.macOs("15.0");
	}

	@Test
	void osEnforcementCountsOnlyTheRefusalsLibxpcReportsAndSaysSo() {
		this.sim.macOs("14.4").service("com.example.spring");
		this.runner.withPropertyValues("peergate.listeners.helper.enforcement=os").run(context -> {
			assertThat(context).hasNotFailed();
			this.sim.nextPeer(SimPeer.stranger());
			try (XpcClient client = XpcClient.connect(XpcClient.Options.of("com.example.spring")
				.withLibraries(this.sim.libraries())
				.withTimeout(Duration.ofSeconds(5)))) {
				assertThatExceptionOfType(RuntimeException.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "hi")));
			}
			PeergateEndpoint endpoint = context.getBean(PeergateEndpoint.class);
			await().until(() -> endpoint.listener("helper").rejected() == 1);
			assertThat(endpoint.listener("helper").enforcement()).isEqualTo("os");
			assertThat(endpoint.listener("helper").visibility()).contains("only refusals libxpc reports")
				.contains("without signing facts");
		});
	}

	@Test
	void observedEnforcementSaysEveryVerdictIsCounted() {
		this.sim.macOs("14.4").service("com.example.spring");
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			PeergateEndpoint endpoint = context.getBean(PeergateEndpoint.class);
			assertThat(endpoint.listener("helper").enforcement()).isEqualTo("observed");
			assertThat(endpoint.listener("helper").visibility()).startsWith("Every verdict is counted");
		});
	}

}
