package dev.peergate.xpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateClientAutoConfiguration;
import dev.peergate.autoconfigure.observation.PeergateMetricsAutoConfiguration;
import dev.peergate.client.XpcClient;
import dev.peergate.event.ServerRefusedEvent;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.observation.MeterServerVerdictSink;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A configured XPC client (peergate.clients.<name>.transport: xpc) through the libxpc ABI simulator: libxpc checks
 * the server against the client's code-signing requirement, and its verdict is counted and published like a unix
 * client's; a server that does not satisfy it receives nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XpcClientBeanTests {

	private final XpcSimulator sim = XpcSimulator.current();

	private final List<ServerRefusedEvent> refused = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
				PeergateClientAutoConfiguration.class, PeergateMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(HelperService.class)
		.withBean(ApplicationListener.class, () -> (ApplicationListener<ServerRefusedEvent>) this.refused::add)
		.withSystemProperties(NativeLibraries.ALL_PROPERTY + "=" + this.sim.libraries().xpc())
		.withPropertyValues("peergate.listeners.helper.transport=xpc",
				"peergate.listeners.helper.xpc.service-name=com.example.xpc-client",
				"peergate.listeners.helper.requirement.code-signing=anchor apple generic",
				"peergate.clients.helper.transport=xpc", "peergate.clients.helper.xpc.service-name=com.example.xpc-client",
				"peergate.clients.helper.interface=" + Helper.class.getName(), "peergate.clients.helper.timeout=10s");

	@Test
	void callsAServerLibxpcFoundSatisfyingTheRequirementAndCountsIt() {
		this.sim.macOs("15.0").service("com.example.xpc-client");
		this.sim.nextPeer(XpcSimulator.SimPeer.teamCli());
		this.runner
			.withPropertyValues("peergate.clients.helper.server-requirement.code-signing=identifier "
					+ "\"com.example.helper\" and certificate leaf[subject.OU] = \"ABCDE12345\"")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Helper helper = context.getBean(Helper.class);
				assertThat(helper.echo(new HelperService.Text("one")).text()).isEqualTo("one");
				assertThat(helper.echo(new HelperService.Text("two")).text()).isEqualTo("two");
				assertThat(verifications(context, "accepted")).isEqualTo(1.0); // once per connection
				assertThat(this.refused).isEmpty();
			});
	}

	@Test
	void refusesAServerThatDoesNotSatisfyTheRequirementCountsAndPublishesIt() {
		this.sim.macOs("15.0").service("com.example.xpc-client");
		this.sim.nextPeer(XpcSimulator.SimPeer.teamCli());
		this.runner
			.withPropertyValues("peergate.clients.helper.server-requirement.code-signing=identifier "
					+ "\"com.example.other\"")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Helper helper = context.getBean(Helper.class);
				assertThatException().isThrownBy(() -> helper.echo(new HelperService.Text("no")))
					.satisfies((failure) -> assertThat(XpcClient.isServerRefusal(failure)).isTrue());
				assertThat(verifications(context, "rejected")).isEqualTo(1.0);
				assertThat(this.refused).singleElement()
					.satisfies((event) -> assertThat(event.explanation())
						.isEqualTo("libxpc refused the server: it does not satisfy identifier \"com.example.other\" "
								+ "(XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT)"));
			});
	}

	private static double verifications(AssertableApplicationContext context, String outcome) {
		return context.getBean(MeterRegistry.class)
			.get(MeterServerVerdictSink.SERVER_VERIFICATION)
			.tags("client", "helper", "outcome", outcome)
			.counter()
			.count();
	}

	/** The helper as its client calls it. */
	@IpcInterface("com.example.helper")
	public interface Helper {

		@IpcMethod
		HelperService.Echoed echo(HelperService.Text text);

	}

}
