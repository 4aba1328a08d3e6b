package dev.peergate.handler;

import java.util.concurrent.TimeUnit;

/**
 * Whether a worker of {@link HandoffPool} that ran out of work should spin a little before it parks: only while calls
 * come one after another, never overlapping, and the last idle periods of the pool's workers were shorter than a spin.
 * Then the calls form one chain (caller, event loop, handler, event loop, caller) that keeps one core busy, and a
 * spinning worker on another core catches the next call without the futex wake-up of a parked thread (on a virtual
 * machine also the wake-up of an idle virtual CPU). Once calls overlap the cores are wanted by the other handlers, the
 * event loop and the callers, and a spin would take from them (measured in docs/performance.md: spinning regardless
 * cost a quarter of the calls on four connections), so no worker spins for a while ({@link #QUIET_NANOS}) after an
 * overlap. A wait longer than a spin counts against spinning too, as in HotSpot's adaptive spinning for monitors.
 * <p>
 * Partly synchronized: overlaps are recorded and the advice is read holding the pool's lock, but workers record their
 * waits without it (the event loop takes that lock for every call); a lost update of the {@code int} score changes one
 * advice.
 */
final class IdleSpin {

	/**
	 * A little longer than the rest of a call's round trip on one connection (reply written and read, next call
	 * written, read and handed over): 40 µs caught too few of them on two cores (docs/performance.md).
	 */
	static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	/** How long after two calls overlapped no worker spins: many round trips of one connection. */
	static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	/** How many idle periods of history the advice weighs: a saturating score between 0 and this. */
	static final int MAX_SCORE = 8;

	/** The score from which workers spin. */
	static final int SPIN_FROM = 4;

	private final long spinNanos;

	private final long quietNanos;

	private int score;

	/** When calls last overlapped ({@link System#nanoTime()}); none yet when {@link #overlappedEver} is not set. */
	private long lastOverlap;

	private boolean overlappedEver;

	/** Spins of {@link #SPIN_NANOS}, none for {@link #QUIET_NANOS} after an overlap. */
	IdleSpin() {
		this(SPIN_NANOS, QUIET_NANOS);
	}

	/** Spins of {@code spinNanos}, none for {@code quietNanos} after an overlap (tests stretch both). */
	IdleSpin(long spinNanos, long quietNanos) {
		this.spinNanos = spinNanos;
		this.quietNanos = quietNanos;
	}

	/** How long a worker spins at most. */
	long spinNanos() {
		return this.spinNanos;
	}

	/** Whether a worker that ran out of work at {@code now} ({@link System#nanoTime()}) should spin before parking. */
	boolean advised(long now) {
		return this.score >= SPIN_FROM && (!this.overlappedEver || now - this.lastOverlap > this.quietNanos);
	}

	/**
	 * Records how long a worker waited for its next task ({@code nanos}), whether it spun or parked: a wait a spin
	 * would have covered raises the score, a longer one lowers it twice as fast, so that a machine where spinning
	 * mostly misses stops spinning within a few idle periods.
	 */
	void waited(long nanos) {
		if (nanos <= this.spinNanos) {
			this.score = Math.min(MAX_SCORE, this.score + 1);
		}
		else {
			this.score = Math.max(0, this.score - 2);
		}
	}

	/** A call was handed over at {@code now} while another one ran: no spinning for a while. */
	void overlapped(long now) {
		this.lastOverlap = now;
		this.overlappedEver = true;
	}

}
