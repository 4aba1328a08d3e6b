package dev.peergate.handler;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When an idle handler thread spins instead of parking. The spin and the quiet after an overlap are stretched to
 * seconds, so that a spinning thread ({@code RUNNABLE}) and a parked one ({@code TIMED_WAITING}) can be told apart
 * without racing the scheduler.
 */
@Timeout(30)
class HandoffPoolTests {

	private static final long LONG_SPIN = TimeUnit.SECONDS.toNanos(20);

	private final HandoffPool pool = new HandoffPool(4, 0, "handoff-test-", new IdleSpin(LONG_SPIN, LONG_SPIN));

	@AfterEach
	void shutDown() throws InterruptedException {
		this.pool.shutdownNow();
		assertThat(this.pool.awaitTermination(TimeUnit.SECONDS.toNanos(5))).isTrue();
	}

	@Test
	void parksAtOnceUntilCallsHaveComeOneByOneThenTheLastWorkerSpinsForTheNext() throws Exception {
		Thread worker = runAndWait();
		awaitState(worker, Thread.State.TIMED_WAITING); // no spin advised yet
		for (int i = 0; i < IdleSpin.SPIN_FROM; i++) {
			assertThat(runAndWait()).isSameAs(worker);
		}
		// four short waits in a row: now the worker spins between calls instead of parking
		staysRunnableFor(worker, Duration.ofMillis(300));
		assertThat(runAndWait()).isSameAs(worker);
	}

	@Test
	void noWorkerSpinsAfterTwoCallsOverlapped() throws Exception {
		Thread worker = spinningWorker();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch bothRan = new CountDownLatch(2);
		AtomicReference<Thread> second = new AtomicReference<>();
		this.pool.execute(() -> {
			bothRan.countDown();
			awaitRelease(release);
		});
		this.pool.execute(() -> { // handed over while the first runs: an overlap
			second.set(Thread.currentThread());
			bothRan.countDown();
			awaitRelease(release);
		});
		assertThat(bothRan.await(10, TimeUnit.SECONDS)).isTrue();
		release.countDown();
		awaitState(worker, Thread.State.TIMED_WAITING);
		awaitState(second.get(), Thread.State.TIMED_WAITING);
	}

	@Test
	void aSpinningWorkerEndsAtShutdownWithoutWaitingForItsSpinToRunOut() throws Exception {
		Thread worker = spinningWorker();
		this.pool.shutdown();
		assertThat(this.pool.awaitTermination(TimeUnit.SECONDS.toNanos(5))).isTrue();
		// the pool counts a worker out a few instructions before its thread ends; the spin would last 20 s
		worker.join(TimeUnit.SECONDS.toMillis(5));
		assertThat(worker.isAlive()).isFalse();
	}

	/** A worker that spins between calls: it ran calls that came one by one. */
	private Thread spinningWorker() throws InterruptedException {
		Thread worker = runAndWait();
		for (int i = 0; i < IdleSpin.SPIN_FROM; i++) {
			runAndWait();
		}
		staysRunnableFor(worker, Duration.ofMillis(100));
		return worker;
	}

	/**
	 * Runs one task and waits until its worker is idle again, so that the next task does not overlap it; the thread
	 * it ran on.
	 */
	private Thread runAndWait() throws InterruptedException {
		CountDownLatch ran = new CountDownLatch(1);
		AtomicReference<Thread> thread = new AtomicReference<>();
		int idleBefore = this.pool.idleWorkers();
		this.pool.execute(() -> {
			thread.set(Thread.currentThread());
			ran.countDown();
		});
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		int idleAfter = Math.max(idleBefore, 1); // the worker that ran it, whether it was idle before or new
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.idleWorkers() == idleAfter);
		return thread.get();
	}

	private static void awaitState(Thread thread, Thread.State state) {
		await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == state);
	}

	private static void staysRunnableFor(Thread thread, Duration duration) throws InterruptedException {
		long end = System.nanoTime() + duration.toNanos();
		// the worker may still be on its way from the task back to its spin: RUNNABLE either way
		while (System.nanoTime() < end) {
			assertThat(thread.getState()).isEqualTo(Thread.State.RUNNABLE);
			Thread.sleep(5);
		}
	}

	private static void awaitRelease(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
