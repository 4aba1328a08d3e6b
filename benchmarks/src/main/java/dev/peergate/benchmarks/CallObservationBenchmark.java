package dev.peergate.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.Peer;
import dev.peergate.handler.CallContext;
import dev.peergate.handler.CallObserver;
import dev.peergate.observation.ObservationCallObserver;
import dev.peergate.observation.PeergateMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of observing one call on its own, as a user with actuator gets it: an observation registry with
 * Micrometer's {@code DefaultMeterObservationHandler} (a timer and a long task timer per observation, as Spring
 * Boot configures it), against no observation.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar CallObservationBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class CallObservationBenchmark {

	private static final String METHOD = "org.example.bench.Ping";

	private final CallContext context = new CallContext("bench", "unix",
			new Peer("bench", "unix", 1000, 1000, List.of(), Map.of(), 4242));

	private final CallObserver observed = new ObservationCallObserver(meteredRegistry(), null, (method) -> true);

	private final CallObserver none = CallObserver.none();

	private final CallObserver withoutLongTaskTimer = new ObservationCallObserver(registry(
			new DefaultMeterObservationHandler(new SimpleMeterRegistry(),
					DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER)),
			null, (method) -> true);

	private final CallObserver apiOnly = new ObservationCallObserver(registry(new ObservationHandler<>() {

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}), null, (method) -> true);

	private static ObservationRegistry registry(ObservationHandler<?> handler) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(handler);
		return registry;
	}

	private final CallObserver peergateHandler = new ObservationCallObserver(peergateFirst(), null, (method) -> true);

	/** As Spring Boot groups meter handlers: Peergate's first, Micrometer's default for everything else. */
	private static ObservationRegistry peergateFirst() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		return registry(new ObservationHandler.FirstMatchingCompositeObservationHandler(
				new PeergateMeterObservationHandler(meters, false), new DefaultMeterObservationHandler(meters)));
	}

	/** Peergate's meter handler (timers resolved once per tag set, no long task timer) ahead of the default. */
	@Benchmark
	public void observedByPeergateHandler() {
		this.peergateHandler.start(this.context, METHOD).end("success", null);
	}

	/** Micrometer's handler without its long task timer. */
	@Benchmark
	public void observedWithoutLongTaskTimer() {
		this.withoutLongTaskTimer.start(this.context, METHOD).end("success", null);
	}

	/** The Observation API with a handler that records nothing: the price of the API itself. */
	@Benchmark
	public void observationApiOnly() {
		this.apiOnly.start(this.context, METHOD).end("success", null);
	}

	private static ObservationRegistry meteredRegistry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
		return registry;
	}

	/** One call observed into meters, as with actuator. */
	@Benchmark
	public void observed() {
		this.observed.start(this.context, METHOD).end("success", null);
	}

	/** No observation: the floor. */
	@Benchmark
	public void unobserved() {
		this.none.start(this.context, METHOD).end("success", null);
	}

}
