package dev.peergate.xpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.event.ListenerFailedEvent;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A listener that libxpc invalidates after it started is reported like one that could not start. */
class XpcListenerFailedEventTests {

	private final XpcSimulator sim = XpcSimulator.current();

	private final List<ListenerFailedEvent> failures = new CopyOnWriteArrayList<>();

	@AfterEach
	void resetSimulatedVersion() {
		this.sim.macOs("15.0");
	}

	@Test
	void publishesListenerFailedWhenLaunchdDoesNotDeclareTheService() {
		this.sim.macOs("14.4");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class))
			.withBean(HelperService.class)
			.withBean(FailureRecorder.class, () -> new FailureRecorder(this.failures))
			.withSystemProperties(NativeLibraries.ALL_PROPERTY + "=" + this.sim.libraries().xpc())
			.withPropertyValues("peergate.listeners.helper.transport=xpc",
					"peergate.listeners.helper.xpc.service-name=com.example.undeclared",
					"peergate.listeners.helper.requirement.code-signing=identifier com.example.cli")
			.run(context -> {
				await().until(() -> !this.failures.isEmpty());
				assertThat(this.failures).singleElement().satisfies(event -> {
					assertThat(event.listener().name()).isEqualTo("helper");
					assertThat(event.failure()).hasMessageContaining("com.example.undeclared")
						.hasMessageContaining("MachServices");
				});
			});
	}

	static final class FailureRecorder implements ApplicationListener<ListenerFailedEvent> {

		private final List<ListenerFailedEvent> failures;

		FailureRecorder(List<ListenerFailedEvent> failures) {
			this.failures = failures;
		}

		@Override
		public void onApplicationEvent(ListenerFailedEvent event) {
			this.failures.add(event);
		}

	}

}
