package dev.peergate.autoconfigure;

import java.util.Map;

import dev.peergate.autoconfigure.observation.PeergateMetricsAutoConfiguration;
import dev.peergate.autoconfigure.observation.PeergateObservationAutoConfiguration;
import dev.peergate.core.PeerCredentials;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.inprocess.TestHandlers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peergate's observations become meters through its own handler, as Spring Boot wires meter handlers (its
 * observation and metrics auto-configurations, a simple registry): one timer per call with the default handler's
 * name and tags, no long task timer unless asked for, and every other observation still handled by Boot's default
 * handler.
 */
@Timeout(30)
class PeergateMeterObservationHandlerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(
				org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration.class,
				org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class,
				org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration.class,
				org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration.class,
				PeergateAutoConfiguration.class, PeergateObservationAutoConfiguration.class,
				PeergateMetricsAutoConfiguration.class))
		.withBean(TestHandlers.class)
		.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true");

	@Test
	void recordsOneTimerPerCallWithTheDefaultHandlersNameAndTagsAndNoLongTaskTimer() {
		this.runner.run((context) -> {
			call(context, 3);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Timer timer = meters.get("peergate.request")
				.tags("listener", "helper", "method", "com.example.test.Greet", "outcome", "success", "error", "none")
				.timer();
			// the observation of a call stops before its reply is handed over: no need to wait for it
			assertThat(timer.count()).isEqualTo(3);
			assertThat(timer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
			assertThat(meters.find("peergate.request.active").longTaskTimers()).isEmpty();
			assertThat(meters.get("peergate.peer.verification").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void runsTheLongTaskTimerWhenAskedFor() {
		this.runner.withPropertyValues("peergate.observation.long-task-timer=true").run((context) -> {
			call(context, 1);
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(10))
				.until(() -> !context.getBean(MeterRegistry.class).find("peergate.request.active").longTaskTimers().isEmpty());
		});
	}

	@Test
	void leavesEveryOtherObservationToBootsDefaultHandler() {
		this.runner.run((context) -> {
			Observation.createNotStarted("example.work", context.getBean(ObservationRegistry.class)).observe(() -> {
			});
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("example.work").timer().count()).isEqualTo(1);
			assertThat(meters.find("example.work.active").longTaskTimers()).isNotEmpty();
		});
	}

	private static void call(AssertableApplicationContext context, int times) {
		assertThat(context).hasNotFailed();
		InProcessListener listener = (InProcessListener) context.getBean(PeergateListeners.class)
			.listener("helper")
			.orElseThrow();
		long uid = new com.sun.security.auth.module.UnixSystem().getUid();
		try (InProcessConnection connection = listener
			.connect(PeerCredentials.builder(InProcessListener.TRANSPORT).uid(uid).gid(uid).build())) {
			for (int i = 0; i < times; i++) {
				connection.call("com.example.test.Greet", Map.of("name", "x", "times", 1));
			}
		}
	}

}
