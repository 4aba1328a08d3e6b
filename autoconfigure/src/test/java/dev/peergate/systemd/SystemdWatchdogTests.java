package dev.peergate.systemd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.Gate;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerListener;
import dev.peergate.core.PeerRequirement;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.inprocess.InProcessListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the watchdog is petted: a running listener and a handler executor that runs a probe within half the
 * period. A listener that is not running, an executor that stays at capacity, or one whose threads are all stuck
 * withholds {@code WATCHDOG=1} and says why; an executor that is only busy is healthy; and the status line sums up
 * the listeners.
 */
@Timeout(20)
class SystemdWatchdogTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final SystemdNotifier nobody = SystemdNotifier
		.fromEnvironment(Map.of("NOTIFY_SOCKET", "@peergate-watchdog-tests-nobody-listens"), 1)
		.orElseThrow();

	private HandlerExecutor executor = HandlerExecutor.platform(1, 0);

	private @Nullable PeerListener listener;

	@AfterEach
	void release() {
		this.release.countDown();
		if (this.listener != null) {
			this.listener.stop(Duration.ZERO);
		}
		this.executor.close();
		this.nobody.close();
	}

	@Test
	void aRunningListenerAndAnIdleExecutorAreHealthy() throws Exception {
		assertThat(watchdog(0, 0).problem()).isEmpty();
		assertThat(ServiceStatus.describe(List.of(listener()), any -> 3))
			.isEqualTo("1/1 listeners serving, 0 connections, 3 refusals");
	}

	@Test
	void aListenerThatIsNotRunningIsUnhealthy() throws Exception {
		SystemdWatchdog watchdog = watchdog(0, 0);
		listener().stop(Duration.ZERO);
		assertThat(watchdog.problem()).contains("listener 'helper' is stopped");
		assertThat(ServiceStatus.describe(List.of(listener()), any -> 1))
			.isEqualTo("0/1 listeners serving (helper stopped), 0 connections, 1 refusal");
	}

	@Test
	void anExecutorThatStaysAtCapacityIsUnhealthy() throws Exception {
		assertThat(watchdog(0, 1).problem()).hasValueSatisfying(
				problem -> assertThat(problem).startsWith("the handler executor refused tasks for 100 ms"));
	}

	@Test
	void anExecutorAtCapacityThatFreesASlotWithinHalfThePeriodIsHealthy() throws Exception {
		// a 2 s period: the slot frees after 30 ms, and a busy machine may take a while to run the probe after that
		SystemdWatchdog watchdog = watchdog(0, 1, Duration.ofSeconds(2));
		CompletableFuture.runAsync(this.release::countDown, CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS));
		assertThat(watchdog.problem()).as("busy, not stuck").isEmpty();
	}

	@Test
	void anExecutorWhoseThreadsAreAllStuckIsUnhealthyUntilTheyRunAgain() throws Exception {
		SystemdWatchdog watchdog = watchdog(8, 1);
		assertThat(watchdog.problem()).contains("the handler executor ran no task for 100 ms (every handler thread busy)");
		assertThat(watchdog.problem()).as("the same probe is awaited, not a second one queued").isPresent();
		this.release.countDown();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(watchdog.problem()).isEmpty());
	}

	/**
	 * A watchdog with a 200 ms period over a running listener whose one handler thread has {@code queueCapacity}
	 * places to wait and {@code stuck} calls that do not return until {@link #release}.
	 */
	private SystemdWatchdog watchdog(int queueCapacity, int stuck) throws Exception {
		return watchdog(queueCapacity, stuck, Duration.ofMillis(200));
	}

	private SystemdWatchdog watchdog(int queueCapacity, int stuck, Duration period) throws Exception {
		this.executor = HandlerExecutor.platform(1, queueCapacity);
		Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of()), this.executor, Duration.ofSeconds(1),
				CallObserver.none());
		InProcessListener started = new InProcessListener("helper",
				new Gate("helper", Mechanism.STATED, PeerRequirement.anyPeer(), verdict -> {
				}), dispatcher);
		started.start();
		this.listener = started;
		for (int i = 0; i < stuck; i++) {
			this.executor.execute(this::stuck);
		}
		return new SystemdWatchdog(this.nobody, List.of(started), this.executor::execute, () -> "status",
				Optional.of(period));
	}

	private PeerListener listener() {
		return Objects.requireNonNull(this.listener);
	}

	private void stuck() {
		try {
			this.release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
