package dev.peergate.autoconfigure.observation;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.observation.ObservationCallObserver;
import dev.peergate.observation.ObservationVerdictSink;
import dev.peergate.observation.PeerVerificationObservationConvention;
import dev.peergate.observation.RequestObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.function.SingletonSupplier;

/**
 * Records {@code peergate.peer.verification} for every verdict and {@code peergate.request} for every call when an
 * {@link ObservationRegistry} exists. Declare a {@link PeerVerificationObservationConvention} or
 * {@link RequestObservationConvention} bean to replace the default conventions.
 *
 * <pre>{@code
 * @Bean // replaces DefaultRequestObservationConvention
 * RequestObservationConvention myRequestConvention() {
 *     return new MyRequestObservationConvention();
 * }
 * }</pre>
 */
@AutoConfiguration(before = PeergateAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class PeergateObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObservationVerdictSink peergateObservationVerdictSink(ObservationRegistry registry,
			ObjectProvider<PeerVerificationObservationConvention> convention) {
		return new ObservationVerdictSink(registry, convention.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	ObservationCallObserver peergateObservationCallObserver(ObservationRegistry registry,
			ObjectProvider<RequestObservationConvention> convention, ObjectProvider<MethodRegistry> methods) {
		// resolved on first use, once: not a bean lookup per call
		SingletonSupplier<@Nullable MethodRegistry> served = SingletonSupplier.of(methods::getIfAvailable);
		return new ObservationCallObserver(registry, convention.getIfUnique(), method -> {
			MethodRegistry registryOfMethods = served.get();
			if (registryOfMethods == null) {
				return false;
			}
			int dot = method.lastIndexOf('.');
			return dot > 0 && registryOfMethods.findInterface(method.substring(0, dot))
				.map(descriptor -> descriptor.methods().containsKey(method.substring(dot + 1)))
				.orElse(false);
		});
	}

}
