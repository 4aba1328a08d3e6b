package dev.peergate.systemd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import dev.peergate.core.Gate;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerListener;
import dev.peergate.core.PeerRequirement;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.inprocess.InProcessListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the watchdog is petted: a running listener and a handler executor that runs a probe within half the
 * period. A listener that is not running, an executor at capacity, or one whose threads are all stuck withholds
 * {@code WATCHDOG=1} and says why; and the status line sums up the listeners.
 */
@Timeout(20)
class SystemdWatchdogTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final SystemdNotifier nobody = SystemdNotifier
		.fromEnvironment(Map.of("NOTIFY_SOCKET", "@peergate-watchdog-tests-nobody-listens"), 1)
		.orElseThrow();

	@AfterEach
	void release() {
		this.release.countDown();
		this.nobody.close();
	}

	@Test
	void aRunningListenerAndAnIdleExecutorAreHealthy() throws Exception {
		HandlerExecutor executor = HandlerExecutor.platform(1, 0);
		PeerListener listener = started(executor);
		assertThat(watchdog(listener, executor).problem()).isEmpty();
		assertThat(ServiceStatus.describe(List.of(listener), any -> 3))
			.isEqualTo("1/1 listeners serving, 0 connections, 3 refusals");
		listener.stop(Duration.ZERO);
	}

	@Test
	void aListenerThatIsNotRunningIsUnhealthy() throws Exception {
		HandlerExecutor executor = HandlerExecutor.platform(1, 0);
		PeerListener listener = started(executor);
		listener.stop(Duration.ZERO);
		assertThat(watchdog(listener, executor).problem()).contains("listener 'helper' is stopped");
		assertThat(ServiceStatus.describe(List.of(listener), any -> 1))
			.isEqualTo("0/1 listeners serving (helper stopped), 0 connections, 1 refusal");
	}

	@Test
	void anExecutorAtCapacityIsUnhealthy() throws Exception {
		HandlerExecutor executor = HandlerExecutor.platform(1, 0);
		PeerListener listener = started(executor);
		executor.execute(this::stuck);
		assertThat(watchdog(listener, executor).problem()).hasValueSatisfying(
				problem -> assertThat(problem).startsWith("the handler executor refuses tasks"));
		listener.stop(Duration.ZERO);
	}

	@Test
	void anExecutorWhoseThreadsAreAllStuckIsUnhealthyUntilTheyRunAgain() throws Exception {
		HandlerExecutor executor = HandlerExecutor.platform(1, 8);
		PeerListener listener = started(executor);
		executor.execute(this::stuck);
		SystemdWatchdog watchdog = watchdog(listener, executor);
		assertThat(watchdog.problem()).contains("the handler executor ran no task for 100 ms (every handler thread busy)");
		assertThat(watchdog.problem()).as("the same probe is awaited, not a second one queued").isPresent();
		this.release.countDown();
		assertThat(watchdog.problem()).isEmpty();
		listener.stop(Duration.ZERO);
	}

	private SystemdWatchdog watchdog(PeerListener listener, HandlerExecutor executor) {
		return new SystemdWatchdog(this.nobody, List.of(listener), executor::execute, () -> "status",
				Optional.of(Duration.ofMillis(200)));
	}

	private PeerListener started(HandlerExecutor executor) throws Exception {
		Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of()), executor, Duration.ofSeconds(1),
				CallObserver.none());
		InProcessListener listener = new InProcessListener("helper",
				new Gate("helper", Mechanism.STATED, PeerRequirement.anyPeer(), verdict -> {
				}), dispatcher);
		listener.start();
		return listener;
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
