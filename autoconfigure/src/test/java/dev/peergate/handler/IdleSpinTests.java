package dev.peergate.handler;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When an idle handler thread spins before it parks: only while recent waits were shorter than a spin. */
class IdleSpinTests {

	private static final long SHORT = IdleSpin.SPIN_NANOS;

	private static final long LONG = IdleSpin.SPIN_NANOS + 1;

	/** Any {@link System#nanoTime()}: the values may be negative. */
	private static final long NOW = -7_000_000_000L;

	@Test
	void parksAtOnceUntilWaitsHaveBeenShort() {
		IdleSpin spin = new IdleSpin();
		assertThat(spin.advised(NOW)).isFalse();
		for (int i = 1; i < IdleSpin.SPIN_FROM; i++) {
			spin.waited(SHORT);
			assertThat(spin.advised(NOW)).as("after %d short waits", i).isFalse();
		}
		spin.waited(SHORT);
		assertThat(spin.advised(NOW)).isTrue();
	}

	@Test
	void aWaitLongerThanASpinCountsAgainstSpinningTwiceAsMuchAsAShortOneForIt() {
		IdleSpin spin = new IdleSpin();
		for (int i = 0; i < IdleSpin.SPIN_FROM + 1; i++) {
			spin.waited(SHORT);
		}
		assertThat(spin.advised(NOW)).isTrue(); // score SPIN_FROM + 1
		spin.waited(LONG);
		assertThat(spin.advised(NOW)).isFalse(); // SPIN_FROM - 1
		spin.waited(SHORT);
		assertThat(spin.advised(NOW)).isTrue();
	}

	@Test
	void longRunsOfShortWaitsDoNotOutweighMoreThanAFewLongOnes() {
		IdleSpin spin = new IdleSpin();
		for (int i = 0; i < 1_000; i++) {
			spin.waited(1);
		}
		int longWaits = 0;
		while (spin.advised(NOW)) {
			spin.waited(TimeUnit.MILLISECONDS.toNanos(5));
			longWaits++;
		}
		// the score saturates at MAX_SCORE, so a machine that stops paying for spins stops them quickly
		assertThat(longWaits).isEqualTo((IdleSpin.MAX_SCORE - IdleSpin.SPIN_FROM) / 2 + 1);
	}

	@Test
	void noWorkerSpinsForAWhileAfterTwoCallsOverlapped() {
		IdleSpin spin = new IdleSpin();
		for (int i = 0; i < IdleSpin.MAX_SCORE; i++) {
			spin.waited(SHORT);
		}
		spin.overlapped(NOW);
		assertThat(spin.advised(NOW)).isFalse();
		assertThat(spin.advised(NOW + IdleSpin.QUIET_NANOS)).isFalse();
		assertThat(spin.advised(NOW + IdleSpin.QUIET_NANOS + 1)).isTrue();
		spin.overlapped(NOW + IdleSpin.QUIET_NANOS + 2);
		assertThat(spin.advised(NOW + IdleSpin.QUIET_NANOS + 3)).isFalse();
	}

	@Test
	void theQuietAfterAnOverlapComparesNanoTimesAcrossTheirWrap() {
		IdleSpin spin = new IdleSpin();
		for (int i = 0; i < IdleSpin.MAX_SCORE; i++) {
			spin.waited(SHORT);
		}
		spin.overlapped(Long.MAX_VALUE - 10);
		assertThat(spin.advised(Long.MAX_VALUE)).isFalse();
		assertThat(spin.advised(Long.MIN_VALUE + IdleSpin.QUIET_NANOS)).isTrue();
	}

	@Test
	void longRunsOfLongWaitsDoNotDelaySpinningOnceWaitsAreShortAgain() {
		IdleSpin spin = new IdleSpin();
		for (int i = 0; i < 1_000; i++) {
			spin.waited(LONG);
		}
		for (int i = 0; i < IdleSpin.SPIN_FROM; i++) {
			spin.waited(SHORT);
		}
		assertThat(spin.advised(NOW)).isTrue();
	}

}
