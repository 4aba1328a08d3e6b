package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.peergate.autoconfigure.observation.PeergateMetricsAutoConfiguration;
import dev.peergate.client.ServerVerificationException;
import dev.peergate.event.ServerRefusedEvent;
import dev.peergate.observation.MeterServerVerdictSink;
import dev.peergate.test.example.Greeter;
import dev.peergate.test.example.GreeterService;
import dev.peergate.test.example.GreeterService.Count;
import dev.peergate.test.example.GreeterService.Name;
import dev.peergate.test.example.GreeterService.Number;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code peergate.clients.<name>}: a typed-client bean per client, injectable by its interface, that verifies the
 * process serving the socket with the listeners' requirement languages before sending anything. The server is a
 * real listener on a real socket, in the same application.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeergateClientsTests {

	private final long ownUid = new com.sun.security.auth.module.UnixSystem().getUid();

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		Path socket = this.directory.resolve("greeter.sock");
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
					PeergateClientAutoConfiguration.class, PeergateMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(GreeterService.class)
			.withBean(RefusedServers.class)
			.withPropertyValues("peergate.listeners.server.unix.path=" + socket,
					"peergate.listeners.server.requirement.same-user=true",
					"peergate.clients.greeter.unix.path=" + socket,
					"peergate.clients.greeter.interface=" + Greeter.class.getName(),
					"peergate.clients.greeter.timeout=10s");
	}

	@Test
	void callsAVerifiedServerThroughTheBeanOfItsInterface() {
		runner().withPropertyValues("peergate.clients.greeter.server-requirement.linux.uid=" + this.ownUid)
			.run((context) -> {
				assertThat(context).hasBean("greeterPeergateClient");
				Greeter greeter = context.getBean(Greeter.class);
				assertThat(greeter.greet(new Name("Ada")).text()).isEqualTo("Hello, Ada");
				List<Number> numbers = new ArrayList<>();
				assertThat(greeter.count(new Count(3), numbers::add).value()).isEqualTo(3);
				assertThat(numbers).extracting(Number::value).containsExactly(1, 2);
				assertThat(serverVerifications(context, "accepted")).isEqualTo(2);
				assertThat(context.getBean(GreeterService.class).calls).hasValue(2);
			});
	}

	@Test
	void verifiesTheServerWithTheSameUserShortcutOfListeners() {
		runner().withPropertyValues("peergate.clients.greeter.server-requirement.same-user=true")
			.run((context) -> assertThat(context.getBean(Greeter.class).greet(new Name("Bob")).text())
				.isEqualTo("Hello, Bob"));
	}

	@Test
	void refusesServerWhoseUidDiffersBeforeSendingAnything() {
		runner().withPropertyValues("peergate.clients.greeter.server-requirement.linux.uid=" + (this.ownUid + 1))
			.run((context) -> {
				Greeter greeter = context.getBean(Greeter.class);
				assertThatExceptionOfType(ServerVerificationException.class)
					.isThrownBy(() -> greeter.greet(new Name("Ada")))
					.withMessageContaining("uid: expected " + (this.ownUid + 1) + ", peer has " + this.ownUid)
					.withMessageEndingWith("nothing was sent");
				assertThat(context.getBean(GreeterService.class).calls).hasValue(0);
				assertThat(serverVerifications(context, "rejected")).isEqualTo(1);
				assertThat(context.getBean(RefusedServers.class).events).singleElement().satisfies((event) -> {
					assertThat(event.client()).isEqualTo("greeter");
					assertThat(event.address()).isEqualTo(this.directory.resolve("greeter.sock").toString());
					assertThat(event.explanation()).contains("uid: expected " + (this.ownUid + 1));
				});
			});
	}

	@Test
	void refusesServerRunningAnotherExecutable() {
		runner().withPropertyValues(
				"peergate.clients.greeter.server-requirement.linux.executable-path=/usr/libexec/real-greeter")
			.run((context) -> assertThatExceptionOfType(ServerVerificationException.class)
				.isThrownBy(() -> context.getBean(Greeter.class).greet(new Name("Ada")))
				.withMessageContaining("executable-path: expected \"/usr/libexec/real-greeter\""));
	}

	@Test
	void callsAnyServerOnlyWhenAllowAnyServerSaysSo() {
		runner().withPropertyValues("peergate.clients.greeter.allow-any-server=true").run((context) -> {
			assertThat(context.getBean(Greeter.class).greet(new Name("Eve")).text()).isEqualTo("Hello, Eve");
			assertThat(context.getBean(MeterRegistry.class).find(MeterServerVerdictSink.SERVER_VERIFICATION).counters())
				.isEmpty();
		});
	}

	@Test
	void refusesToStartAClientWithoutServerRequirementNamingTheProperty() {
		runner().run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).startsWith("Peergate client configuration is not valid.")
				.contains("Property: peergate.clients.greeter.server-requirement")
				.contains("whatever process serves its address");
			assertThat(analysis.getAction()).contains("peergate.clients.greeter.allow-any-server: true");
		});
	}

	@Test
	void refusesAMisspeltClientSettingNamingTheNearestOne() {
		runner().withPropertyValues("peergate.clients.greeter.server-requirement.same-user=true",
				"peergate.clients.greeter.timout=5s")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("Property: peergate.clients.greeter.timout")
					.contains("is not a Peergate client setting");
				assertThat(analysis.getAction()).startsWith("Did you mean peergate.clients.greeter.timeout?");
			});
	}

	@Test
	void refusesAllowAnyServerTogetherWithAServerRequirement() {
		runner().withPropertyValues("peergate.clients.greeter.allow-any-server=true",
				"peergate.clients.greeter.server-requirement.same-user=true")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("Property: peergate.clients.greeter.allow-any-server"));
	}

	@Test
	void refusesAllowAnyPeerInAServerRequirement() {
		runner().withPropertyValues("peergate.clients.greeter.server-requirement.allow-any-peer=true")
			.run((context) -> assertThat(analysis(context).getAction())
				.contains("peergate.clients.greeter.allow-any-server: true"));
	}

	@Test
	void refusesAnInvalidServerRequirementNamingItsProperty() {
		runner().withPropertyValues("peergate.clients.greeter.server-requirement.linux.uidd=0")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("peergate.clients.greeter.server-requirement.linux"));
	}

	@Test
	void refusesAnInterfaceThatIsNoIpcInterface() {
		runner().withPropertyValues("peergate.clients.greeter.interface=java.lang.Runnable",
				"peergate.clients.greeter.allow-any-server=true")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("Property: peergate.clients.greeter.interface")
				.contains("java.lang.Runnable is not an interface annotated with @IpcInterface"));
	}

	@Test
	void refusesAClientWithoutAnAddress() {
		runner().withPropertyValues("peergate.clients.greeter.unix.path=", "peergate.clients.greeter.allow-any-server=true")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("Property: peergate.clients.greeter.unix.path"));
	}

	private static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	private static double serverVerifications(AssertableApplicationContext context, String outcome) {
		return context.getBean(MeterRegistry.class)
			.get(MeterServerVerdictSink.SERVER_VERIFICATION)
			.tags("client", "greeter", "outcome", outcome)
			.counter()
			.count();
	}

	static class RefusedServers implements ApplicationListener<ServerRefusedEvent> {

		final List<ServerRefusedEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ServerRefusedEvent event) {
			this.events.add(event);
		}

	}

}
