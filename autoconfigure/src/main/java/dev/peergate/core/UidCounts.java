package dev.peergate.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts held per user, each capped: connections of one uid, handler threads of one uid. A user without a count
 * has no entry, so the map is bounded by what is held. Thread-safe.
 *
 * <pre>{@code
 * UidCounts perUser = new UidCounts(64);
 * if (perUser.tryAcquire(uid)) {
 *     try { serve(); } finally { perUser.release(uid); }
 * }
 * }</pre>
 */
public final class UidCounts {

	private final int max;

	private final ConcurrentHashMap<Long, Integer> counts = new ConcurrentHashMap<>();

	/** Counts of at most {@code max} per uid. */
	public UidCounts(int max) {
		this.max = max;
	}

	/** The cap of each user's count. */
	public int max() {
		return this.max;
	}

	/** Takes one for {@code uid}; {@code false}, taking nothing, when the user holds {@link #max()} already. */
	public boolean tryAcquire(long uid) {
		boolean[] taken = new boolean[1];
		this.counts.compute(uid, (key, count) -> {
			int current = (count != null) ? count : 0;
			taken[0] = current < this.max;
			return taken[0] ? current + 1 : count;
		});
		return taken[0];
	}

	/** Gives one back; each successful {@link #tryAcquire} is released exactly once. */
	public void release(long uid) {
		this.counts.computeIfPresent(uid, (key, count) -> (count > 1) ? count - 1 : null);
	}

	/** What {@code uid} holds now. */
	public int count(long uid) {
		return this.counts.getOrDefault(uid, 0);
	}

}
