package dev.peergate.autoconfigure.actuate;

import dev.peergate.actuate.PlatformInfoContributor;
import java.util.List;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Platform capabilities under {@code peergate} in {@code /actuator/info}; turn off with
 * {@code management.info.peergate.enabled=false}.
 *
 * <pre>{@code
 * $ curl -s localhost:8080/actuator/info
 * {"peergate":{"os":"Linux","kernel":"6.8.0",...,"soPeerPidfd":true,"transports":["unix","in-process"]}}
 * }</pre>
 */
@AutoConfiguration(after = PeergateAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnEnabledInfoContributor.class)
@ConditionalOnEnabledInfoContributor("peergate")
public final class PeergateInfoContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PlatformInfoContributor peergatePlatformInfoContributor(ObjectProvider<PeergateListeners> listeners) {
		// looked up per contribution: the info contributor exists also when Peergate is disabled (no listeners)
		return new PlatformInfoContributor(() -> {
			PeergateListeners available = listeners.getIfAvailable();
			return (available != null) ? available.listeners() : List.of();
		});
	}

}
