package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.peergate.unix.LinuxAssumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The service-manager integration is there wherever Peergate's listeners are, and
 * {@code peergate.systemd.notify.enabled=false} turns the systemd notifications off. Without
 * {@code NOTIFY_SOCKET} (as in this test JVM) they start and send nothing; the sample's
 * {@code HelperSystemdNotifyTests} runs them under a notify socket. {@code peergate.exit-on-idle} is refused where
 * nothing would start the application again (the sample's {@code HelperExitOnIdleTests} runs it socket-activated).
 */
@Timeout(30)
class PeergateServiceManagerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
				PeergateServiceManagerAutoConfiguration.class))
		.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true");

	@Test
	void notifiesSystemdByDefault() {
		this.runner.run(context -> {
			assertThat(context).hasSingleBean(SystemdNotification.class);
			assertThat(context.getBean(SystemdNotification.class).getPhase())
				.isGreaterThan(context.getBean(PeergateListeners.class).getPhase());
		});
	}

	@Test
	void notificationsCanBeTurnedOff() {
		this.runner.withPropertyValues("peergate.systemd.notify.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(SystemdNotification.class));
	}

	@Test
	void nothingWithoutPeergate() {
		this.runner.withPropertyValues("peergate.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(SystemdNotification.class));
	}

	@Test
	void exitOnIdleWithAListenerThatBoundItsOwnSocketStopsTheStartNamingTheProperty(@TempDir Path directory) {
		LinuxAssumptions.assumeLinuxTransport();
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=unix",
					"peergate.listeners.helper.unix.path=" + directory.resolve("helper.sock"),
					"peergate.exit-on-idle=5m")
			.run(context -> {
				FailureAnalysis analysis = refusal(context);
				assertThat(analysis.getDescription()).contains("listener 'helper' bound its own socket at " + directory.resolve("helper.sock"));
				assertThat(analysis.getAction()).contains("FileDescriptorName=helper");
			});
	}

	@Test
	void exitOnIdleWithNothingStartedOnDemandStopsTheStart() {
		this.runner.withPropertyValues("peergate.exit-on-idle=5m")
			.run(context -> assertThat(refusal(context).getDescription()).contains("no listener is started on demand"));
	}

	@Test
	void exitOnIdleMustBePositive() {
		this.runner.withPropertyValues("peergate.exit-on-idle=0s")
			.run(context -> assertThat(refusal(context).getDescription()).contains("not a positive duration"));
	}

	@Test
	void aNotifySocketPeergateCannotSendToStopsTheStartNamingTheSwitch() {
		SystemdNotification notification = new SystemdNotification(noListeners(), Runnable::run, listener -> 0,
				Map.of("NOTIFY_SOCKET", "vsock:2:9999"), 4242);
		assertThatExceptionOfType(ListenerConfigurationException.class).isThrownBy(notification::start)
			.satisfies(ex -> assertThat(ex.property()).isEqualTo("peergate.systemd.notify.enabled"))
			.withMessageContaining("NOTIFY_SOCKET is 'vsock:2:9999'");
	}

	@Test
	void aWatchdogTimeoutThatIsNotANumberStopsTheStartOnlyUnderSystemd() {
		Map<String, String> garbled = Map.of("WATCHDOG_USEC", "30s");
		SystemdNotification withoutSystemd = new SystemdNotification(noListeners(), Runnable::run, listener -> 0,
				garbled, 4242);
		withoutSystemd.start();
		assertThat(withoutSystemd.isRunning()).isTrue();
		withoutSystemd.stop();
		Map<String, String> underSystemd = new HashMap<>(garbled);
		underSystemd.put("NOTIFY_SOCKET", "@peergate-tests-nobody-listens");
		SystemdNotification notification = new SystemdNotification(noListeners(), Runnable::run, listener -> 0,
				underSystemd, 4242);
		assertThatExceptionOfType(ListenerConfigurationException.class).isThrownBy(notification::start)
			.withMessageContaining("WATCHDOG_USEC=30s");
	}

	private static PeergateListeners noListeners() {
		return new PeergateListeners(List.of(), event -> {
		}, () -> true, Duration.ZERO);
	}

	/** How the failure analyzer explains the failed start: it names peergate.exit-on-idle. */
	private static FailureAnalysis refusal(AssertableApplicationContext context) {
		FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("a failed start Peergate explains").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: peergate.exit-on-idle");
		return analysis;
	}

}
