package dev.peergate.autoconfigure.actuate;

import dev.peergate.actuate.PlatformInfoContributor;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Platform capabilities under {@code peergate} in {@code /actuator/info}; turn off with
 * {@code management.info.peergate.enabled=false}.
 */
@AutoConfiguration(after = PeergateAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnEnabledInfoContributor.class)
@ConditionalOnEnabledInfoContributor("peergate")
public final class PeergateInfoContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PlatformInfoContributor peergatePlatformInfoContributor() {
		return new PlatformInfoContributor();
	}

}
