package dev.peergate.test;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestContext;

/**
 * The {@link PeergateTester} of a test annotated {@link AutoConfigurePeergate}; imported by that annotation only,
 * never by an application.
 *
 * <pre>{@code
 * @ImportAutoConfiguration(PeergateTesterAutoConfiguration.class)
 * }</pre>
 */
@AutoConfiguration(after = PeergateAutoConfiguration.class)
@ConditionalOnClass(TestContext.class)
@ConditionalOnBean(PeergateListeners.class)
public final class PeergateTesterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PeergateTester peergateTester(PeergateListeners listeners) {
		return new PeergateTester(listeners);
	}

}
