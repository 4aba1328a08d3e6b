package dev.peergate.xpc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.autoconfigure.ListenerConfigurationException;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.client.XpcClient;
import dev.peergate.core.Peer;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcSimulator;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample helper's macOS configuration — its own {@code application.yml} with the {@code mac} profile, read from
 * {@code sample-app/src/main/resources} by Spring Boot's config data loader — builds an XPC listener that starts and
 * decides as the file says, on the simulator. The sample's tests cannot load the simulator (it lives in these test
 * sources), so the sample's configuration is tested here. {@code transport: xpc} is what {@code auto} resolves to on
 * macOS when a service name is set; on Linux it would resolve to the Unix socket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SampleMacConfigurationTests {

	private static final Path SAMPLE_CONFIGURATION = Path.of("../sample-app/src/main/resources/application.yml");

	private static final String SERVICE = "com.example.helper";

	private final XpcSimulator sim = XpcSimulator.current();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class))
		.withInitializer(new ConfigDataApplicationContextInitializer())
		.withBean(SampleHelper.class)
		.withSystemProperties(NativeLibraries.ALL_PROPERTY + "=" + this.sim.libraries().xpc())
		.withPropertyValues("spring.config.location=file:" + SAMPLE_CONFIGURATION.toAbsolutePath(),
				"peergate.listeners.helper.transport=xpc");

	/** The sample's interface as far as its configuration names it. */
	@IpcInterface("com.example.helper")
	static class SampleHelper {

		record Status(String caller) {
		}

		record Cleared(int entries) {
		}

		@IpcMethod
		public Status status(Peer peer) {
			return new Status(String.valueOf(peer.fact("signing-identifier")));
		}

		@IpcMethod
		public Cleared clearCache() {
			return new Cleared(0);
		}

	}

	@AfterEach
	void restoreTheSimulator() {
		this.sim.macOs("15.0");
	}

	@Test
	void theMacProfileStartsAnXpcListenerRequiringTheTeamThatSignedTheHelper() {
		assertThat(SAMPLE_CONFIGURATION).exists();
		this.sim.macOs("15.0").service(SERVICE).selfSignature("com.example.helper", "ABCDE12345");
		this.runner.withPropertyValues("spring.profiles.active=mac").run((context) -> {
			assertThat(context).hasNotFailed();
			XpcListener listener = (XpcListener) context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
			assertThat(listener.address()).isEqualTo(SERVICE);
			assertThat(listener.requirement().describe())
				.isEqualTo("anchor apple generic and certificate leaf[subject.OU] = ABCDE12345");
			assertThat(call(SimPeer.teamCli().withPid(8101), "com.example.helper.Status"))
				.containsEntry("caller", "com.example.cli");
			assertRefused(SimPeer.stranger().withPid(8102), "com.example.helper.Status");
		});
	}

	@Test
	void theMacProfileKeepsClearCacheForTheTeamsAdminTool() {
		this.sim.macOs("15.0").service(SERVICE).selfSignature("com.example.helper", "ABCDE12345");
		SimPeer admin = new SimPeer(501, 20, 8202, "com.example.helper-admin", "ABCDE12345",
				"89abcdef0123456789abcdef0123456789abcdef", "ABCDE12345", "", false, true, 6);
		this.runner.withPropertyValues("spring.profiles.active=mac").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(call(admin, "com.example.helper.ClearCache")).containsEntry("entries", 0L);
			assertRefused(SimPeer.teamCli().withPid(8201), "com.example.helper.ClearCache");
		});
	}

	@Test
	void withoutTheMacProfileTheLinuxConfigurationCannotStartAnXpcListener() {
		this.sim.macOs("15.0").service(SERVICE);
		ApplicationContextRunner linuxConfigurationOnXpc = this.runner
			.withPropertyValues("peergate.listeners.helper.xpc.service-name=" + SERVICE);
		// ClearCache's requirement is an executable path, which no XPC peer has
		linuxConfigurationOnXpc.run((context) -> assertThat(context.getStartupFailure()).rootCause()
			.isInstanceOf(ListenerConfigurationException.class)
			.hasMessageContaining("methods[com.example.helper.ClearCache].requirement.code-signing"));
		// and same-user is a uid, which does not identify an XPC peer
		linuxConfigurationOnXpc
			.withPropertyValues("peergate.listeners.helper.methods[com.example.helper.ClearCache].requirement"
					+ ".code-signing=identifier \"com.example.helper-admin\"")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(ListenerConfigurationException.class)
				.hasMessageContaining("peergate.listeners.helper.requirement.same-user"));
	}

	private Map<String, Object> call(SimPeer peer, String method) {
		this.sim.nextPeer(peer);
		try (XpcClient client = XpcClient.connect(
				XpcClient.Options.of(SERVICE).withLibraries(this.sim.libraries()).withTimeout(Duration.ofSeconds(20)))) {
			return client.call(method, Map.of());
		}
	}

	private void assertRefused(SimPeer peer, String method) {
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> call(peer, method))
			.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
	}

}
