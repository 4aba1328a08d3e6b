package dev.peergate.xpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.peergate.autoconfigure.ListenerConfigurationException;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.client.XpcAuthorization;
import dev.peergate.client.XpcClient;
import dev.peergate.core.Outcome;
import dev.peergate.event.CallDeniedEvent;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.AuthorizationServices.RightRule;
import dev.peergate.xpc.jna.AuthorizationServices;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import dev.peergate.xpc.jna.XpcSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code peergate.listeners.<name>.methods[<method>].authorization-right} from the configuration: asked for every
 * call of the method on an xpc listener (through the simulator), refused at startup on a listener or handler it
 * cannot serve, naming the property.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XpcAuthorizationRightsConfigurationTests {

	private static final String RIGHT = "com.example.spring.echo";

	private static final String ECHO = "com.example.helper.Echo";

	private final XpcSimulator sim = XpcSimulator.current();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class))
		.withBean(HelperService.class)
		.withSystemProperties(NativeLibraries.ALL_PROPERTY + "=" + this.sim.libraries().xpc());

	@Test
	void asksForTheRightOfTheMethodAndPublishesTheRefusal() {
		this.sim.macOs("15.0").service("com.example.rights");
		this.sim.nextPeer(new SimPeer(0, 0, 1, "com.example.installer", "ABCDE12345",
				"1111222233334444555566667777888899990000", "ABCDE12345", "", false, true, 6));
		assertThat(AuthorizationServices.of(this.sim.nativeXpc()).defineRight(RIGHT, RightRule.group("staff", false)))
			.isEqualTo(AuthorizationServices.SUCCESS);
		List<CallDeniedEvent> denied = new CopyOnWriteArrayList<>();
		this.runner.withBean(ApplicationListener.class, () -> (ApplicationListener<CallDeniedEvent>) denied::add)
			.withPropertyValues("peergate.listeners.helper.transport=xpc",
					"peergate.listeners.helper.xpc.service-name=com.example.rights",
					"peergate.listeners.helper.requirement.code-signing=anchor apple generic",
					"peergate.listeners.helper.methods[" + ECHO + "].authorization-right=" + RIGHT)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				this.sim.nextPeer(SimPeer.teamCli());
				try (XpcAuthorization authorization = XpcAuthorization.create(this.sim.libraries());
						XpcClient authorized = XpcClient.connect(options().withAuthorization(authorization, false));
						XpcClient bare = XpcClient.connect(options())) {
					assertThat(authorized.call(ECHO, Map.of("text", "granted"))).containsEntry("text", "granted");
					assertThatExceptionOfType(IpcError.class).isThrownBy(() -> bare.call(ECHO, Map.of("text", "no")))
						.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
				}
				assertThat(denied).singleElement().satisfies((event) -> {
					assertThat(event.verdict().outcome()).isEqualTo(Outcome.REJECTED);
					assertThat(event.verdict().authority()).isEqualTo(AuthorizationRightsInterceptor.AUTHORITY);
					assertThat(event.verdict().method()).isEqualTo(ECHO);
				});
			});
	}

	@Test
	void refusesAnAuthorizationRightOnAUnixListener(@TempDir Path directory) {
		this.runner.withPropertyValues("peergate.listeners.helper.unix.path=" + directory.resolve("h.sock"),
				"peergate.listeners.helper.requirement.same-user=true",
				"peergate.listeners.helper.methods[" + ECHO + "].authorization-right=" + RIGHT)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(ListenerConfigurationException.class)
				.hasMessageContaining("peergate.listeners.helper.methods[" + ECHO + "].authorization-right")
				.hasMessageContaining("not one"));
	}

	@Test
	void aMethodMayNameARightAndAPolkitActionSoThatOneConfigurationServesBothSystems(@TempDir Path directory) {
		this.sim.macOs("15.0").service("com.example.both");
		String right = "peergate.listeners.helper.methods[" + ECHO + "].authorization-right=" + RIGHT;
		String action = "peergate.listeners.helper.methods[" + ECHO + "].polkit-action=com.example.helper.echo";
		this.runner.withPropertyValues("peergate.listeners.helper.unix.path=" + directory.resolve("h.sock"),
				"peergate.listeners.helper.requirement.same-user=true", right, action)
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withPropertyValues("peergate.listeners.helper.transport=xpc",
				"peergate.listeners.helper.xpc.service-name=com.example.both",
				"peergate.listeners.helper.requirement.code-signing=anchor apple generic", right, action)
			.run((context) -> assertThat(context).hasNotFailed());
		// a listener that can ask neither would run the method unguarded: it does not start
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true", right, action)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(ListenerConfigurationException.class));
	}

	@Test
	void refusesAnAuthorizationRightOnANonBlockingHandler() {
		this.sim.macOs("15.0").service("com.example.rights2");
		this.runner.withPropertyValues("peergate.listeners.helper.transport=xpc",
				"peergate.listeners.helper.xpc.service-name=com.example.rights2",
				"peergate.listeners.helper.requirement.code-signing=anchor apple generic",
				"peergate.listeners.helper.methods[com.example.helper.EchoInline].authorization-right=" + RIGHT)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("methods[com.example.helper.EchoInline].authorization-right")
				.hasMessageContaining("non-blocking"));
	}

	@Test
	void refusesARightNameThatIsNotOne() {
		this.sim.macOs("15.0").service("com.example.rights3");
		this.runner.withPropertyValues("peergate.listeners.helper.transport=xpc",
				"peergate.listeners.helper.xpc.service-name=com.example.rights3",
				"peergate.listeners.helper.requirement.code-signing=anchor apple generic",
				"peergate.listeners.helper.methods[" + ECHO + "].authorization-right=install everything")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("authorization-right")
				.hasMessageContaining("'install everything' is not a right name"));
	}

	private XpcClient.Options options() {
		return XpcClient.Options.of("com.example.rights")
			.withLibraries(this.sim.libraries())
			.withTimeout(Duration.ofSeconds(20));
	}

}
