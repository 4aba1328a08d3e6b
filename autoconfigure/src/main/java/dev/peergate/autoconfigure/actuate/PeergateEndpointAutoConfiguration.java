package dev.peergate.autoconfigure.actuate;

import dev.peergate.actuate.PeergateEndpoint;
import dev.peergate.actuate.PeergateEndpointWebExtension;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.core.VerdictLedger;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * The {@code peergate} actuator endpoint, when actuator is present and the endpoint is exposed; over HTTP with its
 * web extension (a disconnect of an unknown connection answers 404).
 *
 * <pre>{@code
 * # application.yml: expose it over HTTP, then GET /actuator/peergate
 * management.endpoints.web.exposure.include: health, info, peergate
 * }</pre>
 */
@AutoConfiguration(after = PeergateAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(PeergateListeners.class)
@ConditionalOnAvailableEndpoint(PeergateEndpoint.class)
public final class PeergateEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PeergateEndpoint peergateEndpoint(PeergateListeners listeners, VerdictLedger ledger,
			ApplicationEventPublisher publisher) {
		return new PeergateEndpoint(listeners::listeners, ledger, publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(PeergateEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	PeergateEndpointWebExtension peergateEndpointWebExtension(PeergateEndpoint endpoint) {
		return new PeergateEndpointWebExtension(endpoint);
	}

}
