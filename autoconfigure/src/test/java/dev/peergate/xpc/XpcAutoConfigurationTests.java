package dev.peergate.xpc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.actuate.PeergateEndpoint;
import dev.peergate.autoconfigure.ListenerConfigurationException;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.autoconfigure.actuate.PeergateEndpointAutoConfiguration;
import dev.peergate.client.XpcClient;
import dev.peergate.handler.IpcError;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcSimulator;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An XPC listener configured by properties, running for real against the libxpc ABI simulator: the mechanism is
 * chosen from the (simulated) macOS version, and a refused peer is explained clause by clause in the endpoint.
 */
class XpcAutoConfigurationTests {

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
	void choosesTheObservedSecCodeMechanismAndExplainsRejectionsByClause() {
		this.sim.macOs("14.4").service("com.example.spring");
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			XpcListener listener = (XpcListener) context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
			assertThat(listener.gate().mechanism().tag()).isEqualTo("sec-code-xpc-message");
			assertRefused(SimPeer.stranger(), IpcError.class);
			assertThat(context.getBean(PeergateEndpoint.class).listener("helper").requirement())
				.isEqualTo("identifier \"com.example.cli\" and anchor apple generic");
			assertThat(onlyRejection(context).explanation())
				.startsWith("identifier: expected \"com.example.cli\", peer has \"com.evil.tool\"");
		});
	}

	@Test
	void allowPrivateApiSelectsTheAuditTokenRouteOnMacOs10AndExplainsRejectionsByClause() {
		this.sim.macOs("10.15").service("com.example.spring");
		this.runner.withPropertyValues("peergate.listeners.helper.requirement.allow-private-api=true").run(context -> {
			assertThat(context).hasNotFailed();
			XpcListener listener = (XpcListener) context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
			assertThat(listener.gate().mechanism().tag()).isEqualTo("private-audit-token");
			assertRefused(SimPeer.stranger().withPid(7301), IpcError.class);
			assertThat(onlyRejection(context).explanation()).startsWith(
					"private audit-token route (allow-private-api): identifier: expected \"com.example.cli\"");
		});
	}

	@Test
	void allowInsecurePidSelectsThePidRouteOnMacOs10Only() {
		this.sim.macOs("10.15").service("com.example.spring");
		this.runner.withPropertyValues("peergate.listeners.helper.requirement.allow-insecure-pid=true").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PeergateListeners.class).listener("helper").orElseThrow().gate().mechanism().tag())
				.isEqualTo("pid-unsafe");
		});
		this.sim.macOs("11.0");
		this.runner.withPropertyValues("peergate.listeners.helper.requirement.allow-insecure-pid=true").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PeergateListeners.class).listener("helper").orElseThrow().gate().mechanism().tag())
				.isEqualTo("sec-code-xpc-message");
		});
	}

	@Test
	void explainsLightweightRejectionsByTheFactThatDiffers() {
		this.sim.macOs("26.0").service("com.example.spring");
		this.runner
			.withPropertyValues("peergate.listeners.helper.requirement.code-signing=",
					"peergate.listeners.helper.requirement.lightweight.team-identifier=ABCDE12345")
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertRefused(SimPeer.stranger(), IpcError.class);
				assertThat(onlyRejection(context).explanation())
					.startsWith("team-identifier: expected \"ABCDE12345\", peer has \"XYZ9876543\"");
			});
	}

	@Test
	void refusesLightweightRequirementWithObservedEnforcementBeforeMacOs26() {
		this.sim.macOs("14.4").service("com.example.spring");
		this.runner
			.withPropertyValues("peergate.listeners.helper.requirement.code-signing=",
					"peergate.listeners.helper.requirement.lightweight.team-identifier=ABCDE12345")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("peergate.listeners.helper.enforcement");
			});
	}

	@Test
	void healthExplainsAServiceThatLaunchdDoesNotDeclare() {
		this.sim.macOs("14.4");
		this.runner
			.withConfiguration(AutoConfigurations.of(
					dev.peergate.autoconfigure.actuate.PeergateHealthContributorAutoConfiguration.class))
			.withPropertyValues("peergate.listeners.helper.xpc.service-name=com.example.undeclared")
			.run(context -> {
				org.springframework.boot.health.contributor.CompositeHealthContributor health = (org.springframework.boot.health.contributor.CompositeHealthContributor) context
					.getBean("peergateHealthContributor");
				org.springframework.boot.health.contributor.HealthIndicator indicator = (org.springframework.boot.health.contributor.HealthIndicator) health
					.getContributor("helper");
				await().untilAsserted(() -> {
					org.springframework.boot.health.contributor.Health result = indicator.health();
					assertThat(result.getStatus().getCode()).isEqualTo("DOWN");
					assertThat((String) result.getDetails().get("failure")).contains("com.example.undeclared")
						.contains("MachServices");
				});
			});
	}

	@Test
	void sameTeamAcceptsPeersOfThisProcesssTeamAndRejectsOthers() {
		this.sim.macOs("12.0").service("com.example.spring");
		this.sim.selfSignature("com.example.helper", "ABCDE12345");
		this.runner
			.withPropertyValues("peergate.listeners.helper.requirement.code-signing=",
					"peergate.listeners.helper.requirement.same-team=true", "peergate.listeners.helper.enforcement=os")
			.run(context -> {
				assertThat(context).hasNotFailed();
				XpcListener listener = (XpcListener) context.getBean(PeergateListeners.class)
					.listener("helper")
					.orElseThrow();
				assertThat(listener.gate().mechanism().tag()).isEqualTo("xpc-code-signing-requirement");
				assertThat(context.getBean(PeergateEndpoint.class).listener("helper").requirement())
					.isEqualTo("anchor apple generic and certificate leaf[subject.OU] = ABCDE12345");
				this.sim.nextPeer(SimPeer.teamCli());
				try (XpcClient client = XpcClient.connect(XpcClient.Options.of("com.example.spring")
					.withLibraries(this.sim.libraries()))) {
					assertThat(client.call("com.example.helper.Echo", Map.of("text", "hi"))).containsEntry("text", "hi");
				}
				assertRefused(SimPeer.stranger(), RuntimeException.class);
			});
	}

	@Test
	void maxFdsPerMessageReachesTheListenerAndIsBoundedBySCMMaxFd() {
		this.sim.macOs("14.4").service("com.example.spring");
		this.runner.run(context -> assertThat(((XpcListener) context.getBean(PeergateListeners.class)
			.listener("helper")
			.orElseThrow()).options().maxFdsPerMessage()).isEqualTo(8));
		this.runner.withPropertyValues("peergate.listeners.helper.limits.max-fds-per-message=0")
			.run(context -> assertThat(((XpcListener) context.getBean(PeergateListeners.class)
				.listener("helper")
				.orElseThrow()).options().maxFdsPerMessage()).isZero());
		this.runner.withPropertyValues("peergate.listeners.helper.limits.max-fds-per-message=254").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(ListenerConfigurationException.class, (ex) -> {
					assertThat(ex.property()).isEqualTo("peergate.listeners.helper.limits.max-fds-per-message");
					assertThat(ex.problem()).contains("between 0 and 253");
				});
		});
	}

	@Test
	void sameTeamInAnUnsignedProcessStopsTheStartNamingTheProperty() {
		this.sim.macOs("14.4").service("com.example.spring");
		this.sim.selfSignature("a.out", "");
		try {
			this.runner
				.withPropertyValues("peergate.listeners.helper.requirement.code-signing=",
						"peergate.listeners.helper.requirement.same-team=true")
				.run(context -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOfSatisfying(ListenerConfigurationException.class, (ex) -> {
							assertThat(ex.property()).isEqualTo("peergate.listeners.helper.requirement.same-team");
							assertThat(ex.problem()).contains("unsigned or ad-hoc signed");
							assertThat(ex.action()).contains("Developer ID");
						});
				});
		}
		finally {
			this.sim.selfSignature("com.example.helper", "ABCDE12345");
		}
	}

	@Test
	void osEnforcementCountsOnlyTheRefusalsLibxpcReportsAndSaysSo() {
		this.sim.macOs("14.4").service("com.example.spring");
		this.runner.withPropertyValues("peergate.listeners.helper.enforcement=os").run(context -> {
			assertThat(context).hasNotFailed();
			assertRefused(SimPeer.stranger(), RuntimeException.class);
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

	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	void limitsOfConnectionsAndCallsInFlightComeFromTheListenersLimits() {
		this.sim.macOs("14.4").service("com.example.spring");
		this.runner
			.withPropertyValues("peergate.listeners.helper.limits.max-connections=3",
					"peergate.listeners.helper.limits.max-in-flight=2")
			.run(context -> {
				assertThat(context).hasNotFailed();
				XpcListener listener = (XpcListener) context.getBean(PeergateListeners.class)
					.listener("helper")
					.orElseThrow();
				assertThat(listener.options().maxConnections()).isEqualTo(3);
				assertThat(listener.options().maxInFlightPerConnection()).isEqualTo(2);
			});
	}

	/** Connects as {@code peer}; its one call must fail with {@code failure}. */
	@Test
	void matchesALightweightMethodRequirementFromTheConfigurationOnMacOs26() {
		this.sim.macOs("26.0").service("com.example.spring");
		this.runner
			.withPropertyValues("peergate.listeners.helper.methods[com.example.helper.Echo].requirement.lightweight"
					+ ".signing-identifier=com.example.admin")
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertRefused(SimPeer.teamCli(), IpcError.class); // the listener admits it, the method does not
				assertThat(context.getBean(PeergateEndpoint.class).listener("helper").recentCallRefusals())
					.singleElement()
					.satisfies((refusal) -> assertThat(refusal.reason()).isEqualTo("requirement-not-satisfied"));
			});
	}

	@Test
	void auditsAMethodRequirementOfAnXpcListenerAndRefusesAuditWithoutARequirement() {
		this.sim.macOs("15.0").service("com.example.spring");
		String method = "peergate.listeners.helper.methods[com.example.helper.Echo]";
		this.runner
			.withPropertyValues("peergate.listeners.helper.requirement.code-signing=anchor apple generic",
					method + ".requirement.code-signing=identifier \"com.example.admin\"", method + ".enforcement=audit")
			.run(context -> {
				assertThat(context).hasNotFailed();
				this.sim.nextPeer(SimPeer.teamCli());
				try (XpcClient client = XpcClient.connect(XpcClient.Options.of("com.example.spring")
					.withLibraries(this.sim.libraries())
					.withTimeout(Duration.ofSeconds(5)))) {
					assertThat(client.call("com.example.helper.Echo", Map.of("text", "audited")))
						.containsEntry("text", "audited");
				}
				assertThat(context.getBean(PeergateEndpoint.class).listener("helper").recentCallRefusals())
					.singleElement()
					.satisfies((refusal) -> assertThat(refusal.outcome()).isEqualTo("would-reject"));
			});
		this.runner
			.withPropertyValues("peergate.listeners.helper.requirement.code-signing=anchor apple generic",
					method + ".enforcement=audit")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(ListenerConfigurationException.class)
				.hasMessageContaining(method + ".requirement.code-signing")
				.hasMessageContaining("has no code-signing requirement"));
	}

	private void assertRefused(SimPeer peer, Class<? extends Throwable> failure) {
		this.sim.nextPeer(peer);
		try (XpcClient client = XpcClient.connect(XpcClient.Options.of("com.example.spring")
			.withLibraries(this.sim.libraries())
			.withTimeout(Duration.ofSeconds(5)))) {
			assertThatExceptionOfType(failure)
				.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "hi")));
		}
	}

	/** The one rejection the endpoint lists for the listener, once it is counted. */
	private static PeergateEndpoint.RejectionDescriptor onlyRejection(AssertableApplicationContext context) {
		PeergateEndpoint endpoint = context.getBean(PeergateEndpoint.class);
		await().until(() -> endpoint.listener("helper").rejected() == 1);
		assertThat(endpoint.listener("helper").recentRejections()).hasSize(1);
		return endpoint.listener("helper").recentRejections().get(0);
	}

}
