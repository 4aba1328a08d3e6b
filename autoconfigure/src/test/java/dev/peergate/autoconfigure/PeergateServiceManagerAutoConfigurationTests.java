package dev.peergate.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service-manager integration is there wherever Peergate's listeners are, and
 * {@code peergate.systemd.notify.enabled=false} turns the systemd notifications off. Without
 * {@code NOTIFY_SOCKET} (as in this test JVM) they start and send nothing; the sample's
 * {@code HelperSystemdNotifyTests} runs them under a notify socket.
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

}
