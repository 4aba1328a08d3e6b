package dev.peergate.handler;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Blocking calls admitted per user, so that one user cannot hold every handler thread. Entries exist only for
 * users with calls admitted, so the map is bounded by the calls in flight.
 */
final class UidShares {

	private final int maxPerUid;

	private final ConcurrentHashMap<Long, Integer> admitted = new ConcurrentHashMap<>();

	UidShares(int maxPerUid) {
		this.maxPerUid = maxPerUid;
	}

	/** Takes one of the user's shares; {@code false} when the user holds all of them. */
	boolean tryAcquire(long uid) {
		boolean[] taken = new boolean[1];
		this.admitted.compute(uid, (key, count) -> {
			int current = (count != null) ? count : 0;
			taken[0] = current < this.maxPerUid;
			return taken[0] ? current + 1 : count;
		});
		return taken[0];
	}

	void release(long uid) {
		this.admitted.computeIfPresent(uid, (key, count) -> (count > 1) ? count - 1 : null);
	}

	/** Calls of the user admitted now. */
	int admitted(long uid) {
		return this.admitted.getOrDefault(uid, 0);
	}

}
