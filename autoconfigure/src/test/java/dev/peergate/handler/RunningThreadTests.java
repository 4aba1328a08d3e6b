package dev.peergate.handler;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The timeout's interrupt reaches a handler thread while it runs the call, and never after. */
@Timeout(60)
class RunningThreadTests {

	private final RunningThread running = new RunningThread();

	@Test
	void interruptsTheThreadWhileItRunsTheCall() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		Thread handler = new Thread(() -> {
			this.running.enter();
			try {
				entered.countDown();
				Thread.sleep(TimeUnit.SECONDS.toMillis(30));
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
			finally {
				this.running.leave();
			}
		});
		handler.start();
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.running.interrupt()).isTrue();
		handler.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(interrupted).isTrue();
	}

	@Test
	void doesNotInterruptAThreadThatLeft() {
		this.running.enter();
		this.running.leave();
		assertThat(this.running.interrupt()).isFalse();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void leavingClearsAnInterruptThatWasForTheCall() {
		this.running.enter();
		assertThat(this.running.interrupt()).isTrue();
		this.running.leave();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	/**
	 * A timer interrupting in the instant the call ends: the thread, once it has left, must never find itself
	 * interrupted, which the next task it runs (another peer's call) would otherwise be.
	 */
	@Test
	void anInterruptRacingTheEndOfTheCallNeverReachesTheThreadAfterItLeft() throws Exception {
		AtomicBoolean done = new AtomicBoolean();
		AtomicLong delivered = new AtomicLong();
		Thread timer = new Thread(() -> {
			while (!done.get()) {
				if (this.running.interrupt()) {
					delivered.incrementAndGet();
				}
			}
		});
		timer.start();
		long leaked = 0;
		try {
			// at least 3,000,000 call ends, and on until the timer has hit 100 running calls (a busy machine may
			// schedule it late): a test in which the timer never met a running call could not fail
			long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			for (int i = 0; i < 3_000_000 || (delivered.get() < 100 && System.nanoTime() < giveUp); i++) {
				this.running.enter();
				this.running.leave();
				if (Thread.interrupted()) {
					leaked++;
				}
			}
		}
		finally {
			done.set(true);
			timer.join(TimeUnit.SECONDS.toMillis(10));
		}
		assertThat(delivered.get()).as("interrupts delivered while the thread ran the call").isGreaterThanOrEqualTo(100);
		assertThat(leaked).as("interrupts that reached the thread after it left").isZero();
	}

}
