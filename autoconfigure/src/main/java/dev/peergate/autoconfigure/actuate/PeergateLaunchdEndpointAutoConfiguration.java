package dev.peergate.autoconfigure.actuate;

import dev.peergate.actuate.LaunchdEndpoint;
import dev.peergate.autoconfigure.LaunchdPlistGenerator;
import dev.peergate.autoconfigure.ListenerConfigurationException;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateProperties;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code launchd} web endpoint ({@code GET /actuator/launchd}: the generated plist), when actuator is present
 * and the endpoint is exposed ({@code management.endpoints.web.exposure.include=launchd}).
 *
 * <pre>{@code
 * # management.endpoints.web.exposure.include: health, peergate, launchd
 * $ curl -s localhost:8080/actuator/launchd > ~/Library/LaunchAgents/com.example.helper.plist
 * }</pre>
 */
@AutoConfiguration(after = PeergateAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(PeergateProperties.class)
@ConditionalOnAvailableEndpoint(LaunchdEndpoint.class)
public final class PeergateLaunchdEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LaunchdPlistGenerator peergateLaunchdPlistGenerator(PeergateProperties properties) {
		return new LaunchdPlistGenerator(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	LaunchdEndpoint peergateLaunchdEndpoint(LaunchdPlistGenerator generator) {
		return new LaunchdEndpoint(() -> {
			try {
				return generator.plist();
			}
			catch (ListenerConfigurationException ex) {
				// the endpoint shows the message only: carry the remedy in it
				throw new IllegalStateException(ex.getMessage() + ". " + ex.action(), ex);
			}
		});
	}

}
