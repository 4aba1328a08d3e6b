package dev.peergate.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

/**
 * The meters of Peergate's own observations ({@code peergate.request}, {@code peergate.peer.verification}), paying
 * only for what is configured, and timing a verification as what its name says (capture to verdict, timed by the
 * transport): the same timer Micrometer's {@code DefaultMeterObservationHandler} records (name, the
 * observation's low-cardinality tags, {@code error}), resolved once per tag set instead of registered on every call,
 * and a long task timer ({@code <name>.active}) only when asked for. Declared before the default handler, it takes
 * Peergate's contexts; every other observation, and tracing, is handled as before.
 *
 * <pre>{@code
 * ObservationRegistry registry = ObservationRegistry.create();
 * registry.observationConfig()
 *     .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
 *             new PeergateMeterObservationHandler(meterRegistry, false),
 *             new DefaultMeterObservationHandler(meterRegistry)));
 * }</pre>
 */
public final class PeergateMeterObservationHandler implements MeterObservationHandler<Observation.Context> {

	/**
	 * Tag sets resolved at most: a custom convention with unbounded tags still gets its timers, registered per call
	 * as the default handler does, without growing this cache.
	 */
	private static final int MAX_TIMERS = 10_000;

	private static final String NO_ERROR = "none";

	private final MeterRegistry registry;

	private final boolean longTaskTimers;

	private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * @param registry where the meters go
	 * @param longTaskTimers whether each observation also runs a {@code <name>.active} long task timer (calls in
	 * progress, as the default handler records)
	 */
	public PeergateMeterObservationHandler(MeterRegistry registry, boolean longTaskTimers) {
		this.registry = registry;
		this.longTaskTimers = longTaskTimers;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof RequestObservationContext || context instanceof PeerVerificationContext;
	}

	@Override
	public void onStart(Observation.Context context) {
		if (this.longTaskTimers) {
			LongTaskTimer.Sample active = LongTaskTimer.builder(context.getName() + ".active")
				.tags(tags(context.getLowCardinalityKeyValues()))
				.register(this.registry)
				.start();
			context.put(LongTaskTimer.Sample.class, active);
		}
		context.put(Started.class, new Started(this.registry.config().clock().monotonicTime()));
	}

	@Override
	public void onStop(Observation.Context context) {
		Started started = context.get(Started.class);
		if (started != null) {
			Throwable error = context.getError();
			timer(context.getName(), context.getLowCardinalityKeyValues(),
					(error != null) ? error.getClass().getSimpleName() : NO_ERROR)
				.record(duration(context, started), TimeUnit.NANOSECONDS);
		}
		LongTaskTimer.Sample active = context.get(LongTaskTimer.Sample.class);
		if (active != null) {
			active.stop();
		}
	}

	/**
	 * A verification lasts from the transport's capture of the peer to the verdict, which the transport timed
	 * (the observation itself only starts when the verdict is reported); a call, from its start to its end.
	 */
	private long duration(Observation.Context context, Started started) {
		if (context instanceof PeerVerificationContext verification && !verification.verdict().verification().isZero()) {
			return verification.verdict().verification().toNanos();
		}
		return this.registry.config().clock().monotonicTime() - started.nanos();
	}

	@Override
	public void onEvent(Observation.Event event, Observation.Context context) {
		this.registry.counter(context.getName() + "." + event.getName(), tags(context.getLowCardinalityKeyValues()))
			.increment();
	}

	private Timer timer(String name, KeyValues keyValues, String error) {
		TimerKey key = new TimerKey(name, keyValues, error);
		Timer timer = this.timers.get(key);
		if (timer != null) {
			return timer;
		}
		timer = Timer.builder(name).tags(tags(keyValues)).tag("error", error).register(this.registry);
		if (this.timers.size() < MAX_TIMERS) {
			this.timers.putIfAbsent(key, timer);
		}
		return timer;
	}

	private static Tags tags(KeyValues keyValues) {
		Tags tags = Tags.empty();
		for (KeyValue keyValue : keyValues) {
			tags = tags.and(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		return tags;
	}

	/** When the observation started, in the registry's monotonic nanoseconds. */
	private record Started(long nanos) {
	}

	/** A timer's identity: name, tags and error. */
	private record TimerKey(String name, KeyValues tags, String error) {
	}

}
