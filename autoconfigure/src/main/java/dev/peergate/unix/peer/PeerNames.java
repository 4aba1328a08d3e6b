package dev.peergate.unix.peer;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import org.jspecify.annotations.Nullable;

/**
 * User and group names of peers, for display only (requirements name users, but those names are resolved to ids
 * once, at startup). Cached for a minute: without the cache every connection would read {@code /etc/passwd} and
 * {@code /etc/group} again, or ask a directory service, for the few ids that connect over and over.
 *
 * <pre>{@code
 * PeerNames names = new PeerNames(linux::userName, linux::groupName);
 * names.user(0); // Optional[root]
 * }</pre>
 */
final class PeerNames {

	private static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(60);

	/** Ids are few on a real system; a bound keeps a peer cycling through uids from growing the cache. */
	static final int MAX_ENTRIES = 1024;

	private final LongFunction<Optional<String>> userLookup;

	private final LongFunction<Optional<String>> groupLookup;

	private final Map<Long, Entry> users = new ConcurrentHashMap<>();

	private final Map<Long, Entry> groups = new ConcurrentHashMap<>();

	PeerNames(LongFunction<Optional<String>> userLookup, LongFunction<Optional<String>> groupLookup) {
		this.userLookup = userLookup;
		this.groupLookup = groupLookup;
	}

	Optional<String> user(long uid) {
		return lookup(this.users, uid, this.userLookup);
	}

	Optional<String> group(long gid) {
		return lookup(this.groups, gid, this.groupLookup);
	}

	/** The user's name if it is cached and fresh; {@code null} when only a lookup (maybe blocking) would tell. */
	@Nullable Optional<String> cachedUser(long uid) {
		return cached(this.users, uid);
	}

	/** The group's name if it is cached and fresh; {@code null} when only a lookup would tell. */
	@Nullable Optional<String> cachedGroup(long gid) {
		return cached(this.groups, gid);
	}

	private static @Nullable Optional<String> cached(Map<Long, Entry> cache, long id) {
		@Nullable Entry entry = cache.get(id);
		return (entry != null && fresh(entry, System.nanoTime())) ? entry.name() : null;
	}

	/** Ids currently cached, users and groups together. */
	int size() {
		return this.users.size() + this.groups.size();
	}

	private static Optional<String> lookup(Map<Long, Entry> cache, long id, LongFunction<Optional<String>> resolver) {
		@Nullable Optional<String> cached = cached(cache, id);
		if (cached != null) {
			return cached;
		}
		long now = System.nanoTime();
		Optional<String> name = resolver.apply(id);
		if (cache.size() >= MAX_ENTRIES) {
			cache.clear();
		}
		cache.put(id, new Entry(name, now + TTL_NANOS));
		return name;
	}

	private static boolean fresh(Entry entry, long now) {
		return entry.expires() - now > 0;
	}

	private record Entry(Optional<String> name, long expires) {
	}

}
