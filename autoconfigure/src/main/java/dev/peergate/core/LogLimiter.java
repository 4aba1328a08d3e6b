package dev.peergate.core;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Lets at most one log line per key through in each interval and counts the ones it holds back, so that the next
 * line of that key can say how many were suppressed. Peers choose how often things happen; without a limit, one
 * connection that fails a handler in a loop writes megabytes of log per second.
 * <p>
 * Memory is bounded: at most {@code maxKeys} keys are remembered. A key is forgotten only once its interval has
 * passed; while every remembered key is still within its interval, lines of new keys are suppressed together under
 * one shared count. So varying keys grows neither the memory nor the log beyond {@code maxKeys + 1} lines per
 * interval. An interval of zero lets every line through.
 *
 * <pre>{@code
 * LogLimiter limiter = new LogLimiter(Duration.ofMinutes(1));
 * LogLimiter.Permit permit = limiter.acquire(method);
 * if (permit != null) {
 *     logger.log(WARNING, "Handler " + method + " failed" + permit.note());
 * }
 * }</pre>
 */
public final class LogLimiter {

	/** Default number of keys remembered. */
	public static final int DEFAULT_MAX_KEYS = 1024;

	private static final Object OVERFLOW = new Object();

	private final long intervalNanos;

	private final int maxKeys;

	private final LongSupplier nanoTime;

	/** Keys in the order their last line was logged, oldest first (re-inserted when they log again). */
	private final Map<Object, Entry> entries = new LinkedHashMap<>();

	/** A limiter with the given interval, {@value #DEFAULT_MAX_KEYS} keys and the system's monotonic clock. */
	public LogLimiter(Duration interval) {
		this(interval, DEFAULT_MAX_KEYS, System::nanoTime);
	}

	/**
	 * A limiter with an explicit bound and clock (tests).
	 * @param interval shortest time between two lines of one key; zero lets every line through
	 * @param maxKeys keys remembered at most
	 * @param nanoTime monotonic clock in nanoseconds, like {@link System#nanoTime()}
	 */
	public LogLimiter(Duration interval, int maxKeys, LongSupplier nanoTime) {
		Objects.requireNonNull(interval, "'interval' must not be null");
		if (interval.isNegative()) {
			throw new IllegalArgumentException("'interval' must not be negative");
		}
		if (maxKeys < 1) {
			throw new IllegalArgumentException("'maxKeys' must be at least 1");
		}
		this.intervalNanos = saturatedNanos(interval);
		this.maxKeys = maxKeys;
		this.nanoTime = Objects.requireNonNull(nanoTime, "'nanoTime' must not be null");
	}

	/** The interval between two lines of one key. */
	public Duration interval() {
		return Duration.ofNanos(this.intervalNanos);
	}

	/**
	 * Asks to log one line for {@code key}: a permit when the line may be logged, {@code null} when it is
	 * suppressed (and counted).
	 */
	public synchronized @Nullable Permit acquire(Object key) {
		Objects.requireNonNull(key, "'key' must not be null");
		if (this.intervalNanos == 0) {
			return Permit.FIRST;
		}
		long now = this.nanoTime.getAsLong();
		Entry entry = this.entries.get(key);
		if (entry == null) {
			if (!makeRoom(now)) {
				return suppressOverflow(now);
			}
			this.entries.put(key, new Entry(now));
			return Permit.FIRST;
		}
		if (now - entry.loggedAt < this.intervalNanos) {
			entry.suppressed++;
			return null;
		}
		Permit permit = new Permit(entry.suppressed, Duration.ofNanos(now - entry.loggedAt));
		this.entries.remove(key);
		this.entries.put(key, new Entry(now)); // to the end: the order stays by last line logged
		return permit;
	}

	/** Number of keys remembered (tests). */
	synchronized int size() {
		return this.entries.size();
	}

	/** Forgets the oldest key if it is full and that key's interval has passed; false when there is no room. */
	private boolean makeRoom(long now) {
		if (this.entries.size() < this.maxKeys) {
			return true;
		}
		Iterator<Map.Entry<Object, Entry>> oldest = this.entries.entrySet().iterator();
		while (oldest.hasNext()) {
			Map.Entry<Object, Entry> candidate = oldest.next();
			if (candidate.getKey() == OVERFLOW) {
				continue; // the overflow count is kept until it is reported
			}
			if (now - candidate.getValue().loggedAt < this.intervalNanos) {
				return false; // oldest first: every later key is younger still
			}
			oldest.remove();
			return true;
		}
		return false;
	}

	/**
	 * A new key while every remembered key is recent: all such lines share one key, outside the bound, so that a
	 * peer inventing keys gets one line per interval in total.
	 */
	private @Nullable Permit suppressOverflow(long now) {
		Entry overflow = this.entries.get(OVERFLOW);
		if (overflow != null && now - overflow.loggedAt < this.intervalNanos) {
			overflow.suppressed++;
			return null;
		}
		Permit permit = (overflow != null)
				? new Permit(overflow.suppressed, Duration.ofNanos(now - overflow.loggedAt)) : Permit.FIRST;
		this.entries.remove(OVERFLOW);
		this.entries.put(OVERFLOW, new Entry(now));
		return permit;
	}

	private static long saturatedNanos(Duration interval) {
		try {
			return interval.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	/**
	 * Leave to log one line.
	 *
	 * @param suppressed lines of this key suppressed since its previous line
	 * @param since time since that previous line ({@link Duration#ZERO} for a key's first line)
	 */
	public record Permit(long suppressed, Duration since) {

		static final Permit FIRST = new Permit(0, Duration.ZERO);

		/**
		 * Text to append to the line: empty when nothing was suppressed, else for example
		 * {@code " (37 similar suppressed in the last 60 s)"}.
		 */
		public String note() {
			if (this.suppressed == 0) {
				return "";
			}
			String since = (this.since.toSeconds() > 0) ? this.since.toSeconds() + " s" : this.since.toMillis() + " ms";
			return " (" + this.suppressed + " similar suppressed in the last " + since + ")";
		}

	}

	private static final class Entry {

		final long loggedAt;

		long suppressed;

		Entry(long loggedAt) {
			this.loggedAt = loggedAt;
		}

	}

}
