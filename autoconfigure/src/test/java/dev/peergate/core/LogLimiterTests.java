package dev.peergate.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** At most one log line per key and interval, the rest counted, in bounded memory. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogLimiterTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final LogLimiter limiter = new LogLimiter(Duration.ofMinutes(1), 4, this.now::get);

	@Test
	void letsTheFirstLineOfAKeyThroughWithoutANote() {
		LogLimiter.Permit permit = this.limiter.acquire("a");
		assertThat(permit).isNotNull();
		assertThat(permit.note()).isEmpty();
	}

	@Test
	void suppressesFurtherLinesOfAKeyWithinTheInterval() {
		this.limiter.acquire("a");
		advance(Duration.ofSeconds(59));
		assertThat(this.limiter.acquire("a")).isNull();
	}

	@Test
	void reportsTheSuppressedCountInTheNextLineAfterTheInterval() {
		this.limiter.acquire("a");
		for (int i = 0; i < 37; i++) {
			assertThat(this.limiter.acquire("a")).isNull();
		}
		advance(Duration.ofSeconds(61));
		LogLimiter.Permit permit = this.limiter.acquire("a");
		assertThat(permit).isNotNull();
		assertThat(permit.suppressed()).isEqualTo(37);
		assertThat(permit.note()).isEqualTo(" (37 similar suppressed in the last 61 s)");
		assertThat(this.limiter.acquire("a")).isNull();
		advance(Duration.ofMinutes(1));
		assertThat(this.limiter.acquire("a")).isNotNull().extracting(LogLimiter.Permit::note).isEqualTo(" (1 similar "
				+ "suppressed in the last 60 s)");
	}

	@Test
	void limitsEachKeyOnItsOwn() {
		assertThat(this.limiter.acquire("a")).isNotNull();
		assertThat(this.limiter.acquire("b")).isNotNull();
		assertThat(this.limiter.acquire("a")).isNull();
	}

	@Test
	void letsEveryLineThroughWhenTheIntervalIsZero() {
		LogLimiter unlimited = new LogLimiter(Duration.ZERO, 1, this.now::get);
		for (int i = 0; i < 100; i++) {
			assertThat(unlimited.acquire("key" + i)).isNotNull();
		}
		assertThat(unlimited.size()).isZero();
	}

	@Test
	void suppressesNewKeysTogetherWhileEveryRememberedKeyIsRecent() {
		for (int i = 0; i < 4; i++) {
			assertThat(this.limiter.acquire("key" + i)).isNotNull();
		}
		// a peer inventing keys gets one more line in the interval, however many keys it invents
		assertThat(this.limiter.acquire("new0")).isNotNull();
		for (int i = 1; i < 10_000; i++) {
			assertThat(this.limiter.acquire("new" + i)).isNull();
		}
		assertThat(this.limiter.size()).isEqualTo(5);
		advance(Duration.ofMinutes(1));
		LogLimiter.Permit permit = this.limiter.acquire("later");
		assertThat(permit).isNotNull();
		assertThat(this.limiter.size()).isEqualTo(5);
	}

	@Test
	void reportsTheSharedCountOfNewKeysInTheNextOverflowLine() {
		for (int i = 0; i < 4; i++) {
			this.limiter.acquire("key" + i);
		}
		this.limiter.acquire("new0");
		for (int i = 1; i <= 9; i++) {
			this.limiter.acquire("new" + i);
		}
		advance(Duration.ofSeconds(61));
		for (int i = 0; i < 4; i++) {
			assertThat(this.limiter.acquire("key" + i)).isNotNull(); // logged again, so recent again
		}
		assertThat(this.limiter.acquire("fresh")).isNotNull()
			.extracting(LogLimiter.Permit::note)
			.isEqualTo(" (9 similar suppressed in the last 61 s)");
		assertThat(this.limiter.size()).isEqualTo(5);
	}

	@Test
	void forgetsTheOldestKeyOnlyOnceItsIntervalHasPassed() {
		this.limiter.acquire("oldest");
		advance(Duration.ofSeconds(30));
		for (int i = 0; i < 3; i++) {
			this.limiter.acquire("key" + i);
		}
		advance(Duration.ofSeconds(31));
		assertThat(this.limiter.acquire("fresh")).isNotNull();
		// "oldest" was forgotten to make room, so it counts as new again, and the others stay limited
		assertThat(this.limiter.acquire("key0")).isNull();
		assertThat(this.limiter.size()).isEqualTo(4);
	}

	@Test
	void makesRoomForANewKeyExactlyOneIntervalAfterTheOldestLine() {
		for (int i = 0; i < 4; i++) {
			this.limiter.acquire("key" + i);
		}
		advance(Duration.ofMinutes(1));
		assertThat(this.limiter.acquire("fresh")).isNotNull();
		assertThat(this.limiter.size()).as("key0 made room; no overflow line was needed").isEqualTo(4);
	}

	@Test
	void letsTheNextOverflowLineThroughExactlyOneIntervalLater() {
		for (int i = 0; i < 4; i++) {
			this.limiter.acquire("key" + i);
		}
		this.limiter.acquire("new0");
		for (int i = 1; i <= 9; i++) {
			this.limiter.acquire("new" + i);
		}
		advance(Duration.ofMinutes(1));
		for (int i = 0; i < 4; i++) {
			assertThat(this.limiter.acquire("key" + i)).isNotNull();
		}
		assertThat(this.limiter.acquire("fresh")).isNotNull()
			.extracting(LogLimiter.Permit::note)
			.isEqualTo(" (9 similar suppressed in the last 60 s)");
	}

	@Test
	void limitsNewKeysTogetherWhateverTheOriginOfTheClock() {
		// System.nanoTime() has an arbitrary origin: days of uptime are 10^14 ns and more
		AtomicLong uptime = new AtomicLong(5_000_000_000_000_000L);
		LogLimiter limiter = new LogLimiter(Duration.ofMinutes(1), 1, uptime::get);
		assertThat(limiter.acquire("a")).isNotNull();
		assertThat(limiter.acquire("b")).isNotNull();
		assertThat(limiter.acquire("c")).isNull();
		assertThat(limiter.acquire("a")).isNull();
	}

	@Test
	void saysItsInterval() {
		assertThat(new LogLimiter(Duration.ofSeconds(5)).interval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(new LogLimiter(Duration.ofSeconds(Long.MAX_VALUE)).interval())
			.isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
	}

	@Test
	void saysMillisecondsForShortIntervals() {
		LogLimiter fast = new LogLimiter(Duration.ofMillis(100), 4, this.now::get);
		fast.acquire("a");
		fast.acquire("a");
		advance(Duration.ofMillis(250));
		assertThat(fast.acquire("a")).isNotNull()
			.extracting(LogLimiter.Permit::note)
			.isEqualTo(" (1 similar suppressed in the last 250 ms)");
	}

	@Test
	void refusesANegativeIntervalAndAnEmptyBound() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LogLimiter(Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> new LogLimiter(Duration.ofSeconds(1), 0, this.now::get));
	}

	@Test
	void treatsAnEnormousIntervalAsForever() {
		LogLimiter forever = new LogLimiter(Duration.ofSeconds(Long.MAX_VALUE), 4, this.now::get);
		forever.acquire("a");
		advance(Duration.ofDays(365 * 100));
		assertThat(forever.acquire("a")).isNull();
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}
