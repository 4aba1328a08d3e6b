package dev.peergate.observation;

import java.util.function.Predicate;

import dev.peergate.handler.CallContext;
import dev.peergate.handler.CallObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Records every call as a {@code peergate.request} observation, from dispatch to its final reply.
 *
 * <pre>{@code
 * CallObserver observer = new ObservationCallObserver(observationRegistry, null,
 *         method -> knownMethods.contains(method));
 * Dispatcher dispatcher = new Dispatcher(registry, executor, Duration.ofSeconds(30), observer);
 * }</pre>
 */
public final class ObservationCallObserver implements CallObserver {

	private final ObservationRegistry registry;

	private final @Nullable RequestObservationConvention convention;

	private final DefaultRequestObservationConvention defaultConvention;

	/**
	 * An observer recording into the registry.
	 * @param knownMethod whether a qualified method is served (keeps the method tag bounded)
	 */
	public ObservationCallObserver(ObservationRegistry registry, @Nullable RequestObservationConvention convention,
			Predicate<String> knownMethod) {
		this.registry = registry;
		this.convention = convention;
		this.defaultConvention = new DefaultRequestObservationConvention(knownMethod);
	}

	@Override
	public Scope start(CallContext context, String method) {
		RequestObservationContext observationContext = new RequestObservationContext(context, method);
		Observation observation = PeergateObservationDocumentation.REQUEST
			.observation(this.convention, this.defaultConvention, () -> observationContext, this.registry)
			.start();
		return (outcome, failure) -> {
			observationContext.outcome(outcome);
			if (failure != null) {
				observation.error(failure);
			}
			observation.stop();
		};
	}

}
