package dev.peergate.handler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** The bounded executor handlers run on: what it admits, what it refuses, and how it stops. */
@Timeout(30)
class HandlerExecutorTests {

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void releaseTasks() {
		this.release.countDown();
	}

	private void blocked() {
		try {
			this.release.await(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void refusesBoundsWithoutAThreadOrWithANegativeQueue() {
		assertThatIllegalArgumentException().isThrownBy(() -> HandlerExecutor.create(0, 0))
			.withMessage("maxConcurrent must be >= 1 and queueCapacity >= 0");
		assertThatIllegalArgumentException().isThrownBy(() -> HandlerExecutor.create(1, -1))
			.withMessage("maxConcurrent must be >= 1 and queueCapacity >= 0");
	}

	@Test
	void acceptsOneThreadWithoutAQueue() throws Exception {
		try (HandlerExecutor executor = HandlerExecutor.create(1, 0)) {
			CompletableFuture<String> ran = new CompletableFuture<>();
			executor.execute(() -> ran.complete("ran"));
			assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
		}
	}

	@Test
	void usesVirtualThreadsExactlyWhenTheJvmHasThem() {
		try (HandlerExecutor created = HandlerExecutor.create(1, 0);
				HandlerExecutor platform = HandlerExecutor.platform(1, 0)) {
			assertThat(created.usesVirtualThreads()).isEqualTo(Runtime.version().feature() >= 21);
			assertThat(platform.usesVirtualThreads()).isFalse();
		}
	}

	@Test
	void admitsMaxConcurrentPlusQueuedTasksAndRefusesTheNext() {
		try (HandlerExecutor executor = HandlerExecutor.create(1, 1)) {
			executor.execute(this::blocked);
			executor.execute(this::blocked);
			assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.execute(this::blocked));
		}
	}

	@Test
	void admitsATaskAgainOnceAnEarlierOneHasFinished() throws Exception {
		try (HandlerExecutor executor = HandlerExecutor.create(1, 0)) {
			CompletableFuture<Void> first = new CompletableFuture<>();
			executor.execute(() -> first.complete(null));
			first.get(10, TimeUnit.SECONDS);
			// the finished task's thread may take a moment to be idle again; its place must come back
			CompletableFuture<Void> second = new CompletableFuture<>();
			await().atMost(Duration.ofSeconds(10)).ignoreException(RejectedExecutionException.class).until(() -> {
				executor.execute(() -> second.complete(null));
				return true;
			});
			second.get(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void runsPlatformHandlersOnDaemonThreadsThatDoNotKeepTheJvmAlive() throws Exception {
		try (HandlerExecutor executor = HandlerExecutor.platform(1, 0)) {
			CompletableFuture<Boolean> daemon = new CompletableFuture<>();
			executor.execute(() -> daemon.complete(Thread.currentThread().isDaemon()));
			assertThat(daemon.get(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void shutdownWaitsForRunningTasksAndSaysTheyFinished() {
		try (HandlerExecutor executor = HandlerExecutor.platform(1, 0)) {
			executor.execute(this::blocked);
			CompletableFuture<Boolean> finished = CompletableFuture
				.supplyAsync(() -> executor.shutdown(Duration.ofSeconds(10)));
			this.release.countDown();
			assertThat(finished.join()).isTrue();
		}
	}

	@Test
	void shutdownSaysSoWhenATaskOutlivesTheWait() {
		try (HandlerExecutor executor = HandlerExecutor.platform(1, 0)) {
			executor.execute(this::blocked);
			assertThat(executor.shutdown(Duration.ofMillis(50))).isFalse();
		}
	}

	@Test
	void refusesTasksOnceShutDown() {
		try (HandlerExecutor executor = HandlerExecutor.create(2, 2)) {
			assertThat(executor.shutdown(Duration.ofSeconds(10))).isTrue();
			assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.execute(() -> {
			}));
		}
	}

	@Test
	void shutdownOfAnInterruptedCallerStopsWaitingAndKeepsTheInterrupt() throws Exception {
		try (HandlerExecutor executor = HandlerExecutor.platform(1, 0)) {
			executor.execute(this::blocked);
			CompletableFuture<String> outcome = new CompletableFuture<>();
			Thread caller = new Thread(() -> {
				Thread.currentThread().interrupt();
				boolean finished = executor.shutdown(Duration.ofSeconds(20));
				outcome.complete("finished=" + finished + " interrupted=" + Thread.currentThread().isInterrupted());
			});
			caller.start();
			assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("finished=false interrupted=true");
		}
	}

	@Test
	void givesTheNextTaskToThePlatformThreadThatBecameIdleLast() throws Exception {
		try (HandlerExecutor executor = HandlerExecutor.platform(4, 0)) {
			CountDownLatch releaseFirst = new CountDownLatch(1);
			CountDownLatch releaseSecond = new CountDownLatch(1);
			CompletableFuture<Thread> first = new CompletableFuture<>();
			CompletableFuture<Thread> second = new CompletableFuture<>();
			executor.execute(() -> runUntil(first, releaseFirst));
			executor.execute(() -> runUntil(second, releaseSecond));
			Thread firstThread = first.get(10, TimeUnit.SECONDS);
			Thread secondThread = second.get(10, TimeUnit.SECONDS);
			releaseFirst.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> idle(firstThread));
			releaseSecond.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> idle(secondThread));
			CompletableFuture<Thread> next = new CompletableFuture<>();
			executor.execute(() -> next.complete(Thread.currentThread()));
			assertThat(next.get(10, TimeUnit.SECONDS)).isSameAs(secondThread);
		}
	}

	@Test
	void runsQueuedTasksInTheirOrderOnceAPlatformThreadIsFree() throws Exception {
		try (HandlerExecutor executor = HandlerExecutor.platform(1, 2)) {
			java.util.List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
			CompletableFuture<Void> last = new CompletableFuture<>();
			executor.execute(this::blocked);
			executor.execute(() -> ran.add("second"));
			executor.execute(() -> {
				ran.add("third");
				last.complete(null);
			});
			this.release.countDown();
			last.get(10, TimeUnit.SECONDS);
			assertThat(ran).containsExactly("second", "third");
		}
	}

	@Test
	void anInterruptThatReachesAnIdlePlatformThreadDoesNotReachItsNextTask() throws Exception {
		try (HandlerExecutor executor = HandlerExecutor.platform(1, 0)) {
			CompletableFuture<Thread> first = new CompletableFuture<>();
			executor.execute(() -> first.complete(Thread.currentThread()));
			Thread thread = first.get(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10)).until(() -> idle(thread));
			thread.interrupt(); // as a handler timeout that fires just after its call ended
			CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
			await().atMost(Duration.ofSeconds(10)).ignoreException(RejectedExecutionException.class).until(() -> {
				executor.execute(() -> interrupted.complete(Thread.currentThread().isInterrupted()));
				return true;
			});
			assertThat(interrupted.get(10, TimeUnit.SECONDS)).isFalse();
		}
	}

	@Test
	void closeInterruptsRunningPlatformTasks() throws Exception {
		HandlerExecutor executor = HandlerExecutor.platform(1, 0);
		CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
		CompletableFuture<Void> started = new CompletableFuture<>();
		executor.execute(() -> {
			started.complete(null);
			try {
				new CountDownLatch(1).await(20, TimeUnit.SECONDS);
				interrupted.complete(false);
			}
			catch (InterruptedException ex) {
				interrupted.complete(true);
			}
		});
		started.get(10, TimeUnit.SECONDS);
		executor.close();
		assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
	}

	private static void runUntil(CompletableFuture<Thread> started, CountDownLatch release) {
		started.complete(Thread.currentThread());
		try {
			release.await(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A pool thread waiting for work (parked), not running a task. */
	private static boolean idle(Thread thread) {
		return thread.getState() == Thread.State.TIMED_WAITING && java.util.Arrays.stream(thread.getStackTrace())
			.anyMatch(frame -> frame.getClassName().equals(HandoffPool.class.getName())
					&& frame.getMethodName().equals("await"));
	}

}
