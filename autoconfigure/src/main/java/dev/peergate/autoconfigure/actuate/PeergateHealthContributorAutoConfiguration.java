package dev.peergate.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.peergate.actuate.ListenerHealthIndicator;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.core.PeerListener;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Health contributor {@code peergate} with one indicator per listener; turn off with
 * {@code management.health.peergate.enabled=false}.
 *
 * <pre>{@code
 * # application.yml: show per-listener details in /actuator/health
 * management.endpoint.health.show-details: always
 * }</pre>
 */
@AutoConfiguration(after = PeergateAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
@ConditionalOnBean(PeergateListeners.class)
@ConditionalOnEnabledHealthIndicator("peergate")
public final class PeergateHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "peergateHealthIndicator", "peergateHealthContributor" })
	HealthContributor peergateHealthContributor(PeergateListeners listeners) {
		Map<String, ListenerHealthIndicator> indicators = new LinkedHashMap<>();
		for (PeerListener listener : listeners.listeners()) {
			indicators.put(listener.name(), new ListenerHealthIndicator(listener));
		}
		return CompositeHealthContributor.fromMap(indicators);
	}

}
