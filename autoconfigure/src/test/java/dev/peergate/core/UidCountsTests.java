package dev.peergate.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UidCountsTests {

	@Test
	void capsEachUserOnItsOwn() {
		UidCounts counts = new UidCounts(2);
		assertThat(counts.tryAcquire(1000)).isTrue();
		assertThat(counts.tryAcquire(1000)).isTrue();
		assertThat(counts.tryAcquire(1000)).as("beyond the cap").isFalse();
		assertThat(counts.count(1000)).as("a refusal takes nothing").isEqualTo(2);
		assertThat(counts.tryAcquire(65534)).as("another user").isTrue();
		assertThat(counts.count(65534)).isEqualTo(1);
	}

	@Test
	void givesBackOneAtATime() {
		UidCounts counts = new UidCounts(3);
		assertThat(counts.max()).isEqualTo(3);
		for (int i = 0; i < 3; i++) {
			assertThat(counts.tryAcquire(1000)).isTrue();
		}
		counts.release(1000);
		assertThat(counts.count(1000)).isEqualTo(2);
		counts.release(1000);
		assertThat(counts.count(1000)).isEqualTo(1);
		assertThat(counts.tryAcquire(1000)).isTrue();
		assertThat(counts.tryAcquire(1000)).isTrue();
		assertThat(counts.tryAcquire(1000)).isFalse();
	}

	@Test
	void givesBackWhatWasTakenAndForgetsUsersWhoHoldNothing() {
		UidCounts counts = new UidCounts(1);
		assertThat(counts.tryAcquire(0)).isTrue();
		counts.release(0);
		assertThat(counts.count(0)).isZero();
		assertThat(counts.tryAcquire(0)).isTrue();
		counts.release(0);
		counts.release(0); // nothing held: stays at zero, never below
		assertThat(counts.count(0)).isZero();
		assertThat(counts.tryAcquire(0)).isTrue();
		assertThat(counts.tryAcquire(0)).isFalse();
	}

}
