package dev.peergate.observation;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.peergate.core.Peer;
import dev.peergate.handler.CallContext;
import dev.peergate.observation.PeergateObservationDocumentation.RequestLowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * Default convention of {@code peergate.request}. Method tags are bounded: a method the listener does not serve is
 * tagged {@code UNKNOWN}, so a peer cannot inflate the metric's cardinality.
 *
 * <pre>{@code
 * @Bean
 * RequestObservationConvention requestsTaggedByUid() {
 *     Set<String> served = Set.of("com.example.helper.Status", "com.example.helper.DiskUsage");
 *     return new DefaultRequestObservationConvention(served::contains) {
 *         @Override
 *         public KeyValues getHighCardinalityKeyValues(RequestObservationContext context) {
 *             return KeyValues.of("peer.uid", String.valueOf(context.call().peer().uid()));
 *         }
 *     };
 * }
 * }</pre>
 */
public class DefaultRequestObservationConvention implements RequestObservationConvention {

	/** Observation name. */
	public static final String NAME = "peergate.request";

	/** Tag value for methods that are not served. */
	public static final String UNKNOWN = "UNKNOWN";

	/** Bound of each tag cache: far above the methods and peers a listener serves at once. */
	private static final int MAX_CACHED = 4096;

	private final Predicate<String> knownMethod;

	private final Set<String> knownMethods = ConcurrentHashMap.newKeySet();

	private final Map<TagKey, KeyValues> lowCardinality = new ConcurrentHashMap<>();

	/**
	 * Peers of open connections make many calls each; their summary is built once, not per call. Keyed by
	 * identity: a connection hands the same {@link Peer} to every call, and hashing its facts cost more than the
	 * summary.
	 */
	private final Map<SamePeer, KeyValues> highCardinality = new ConcurrentHashMap<>();

	/** A convention that tags every method name as given (only for trusted callers). */
	public DefaultRequestObservationConvention() {
		this(method -> true);
	}

	/** A convention that tags only methods the predicate knows. */
	public DefaultRequestObservationConvention(Predicate<String> knownMethod) {
		this.knownMethod = knownMethod;
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(RequestObservationContext context) {
		return isKnown(context.method()) ? context.method() : "peergate request";
	}

	/** Served methods are remembered (they are few); unknown ones are asked again, peers choose those names. */
	private boolean isKnown(String method) {
		if (this.knownMethods.contains(method)) {
			return true;
		}
		boolean known = this.knownMethod.test(method);
		if (known && this.knownMethods.size() < MAX_CACHED) {
			this.knownMethods.add(method);
		}
		return known;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(RequestObservationContext context) {
		CallContext call = context.call();
		// Called at start and at stop of every call: cached per served method, so a call costs a map lookup
		// instead of building and sorting five tags. Unknown methods are not cached (peers choose those names).
		TagKey key = new TagKey(call.listener(), call.transport(), context.method(), context.outcome());
		KeyValues cached = this.lowCardinality.get(key);
		if (cached != null) {
			return cached;
		}
		boolean known = isKnown(context.method());
		String method = known ? context.method() : UNKNOWN;
		int dot = method.lastIndexOf('.');
		String interfaceName = (known && dot > 0) ? method.substring(0, dot) : UNKNOWN;
		KeyValues keyValues = KeyValues.of(RequestLowCardinalityKeys.LISTENER.withValue(call.listener()),
				RequestLowCardinalityKeys.TRANSPORT.withValue(call.transport()),
				RequestLowCardinalityKeys.INTERFACE.withValue(interfaceName),
				RequestLowCardinalityKeys.METHOD.withValue(method),
				RequestLowCardinalityKeys.OUTCOME.withValue(context.outcome()));
		if (known) {
			remember(this.lowCardinality, key, keyValues);
		}
		return keyValues;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(RequestObservationContext context) {
		SamePeer key = new SamePeer(context.call().peer());
		KeyValues cached = this.highCardinality.get(key);
		if (cached != null) {
			return cached;
		}
		KeyValues keyValues = DefaultPeerVerificationObservationConvention.peerKeyValues(key.peer());
		remember(this.highCardinality, key, keyValues);
		return keyValues;
	}

	private static <K> void remember(Map<K, KeyValues> cache, K key, KeyValues keyValues) {
		if (cache.size() >= MAX_CACHED) {
			cache.clear();
		}
		cache.put(key, keyValues);
	}

	private record TagKey(String listener, String transport, String method, String outcome) {
	}

	private record SamePeer(Peer peer) {

		@Override
		public boolean equals(Object other) {
			return other instanceof SamePeer that && this.peer == that.peer;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.peer);
		}

	}

}
