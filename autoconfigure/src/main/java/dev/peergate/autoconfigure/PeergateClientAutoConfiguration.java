package dev.peergate.autoconfigure;

import dev.peergate.client.VarlinkClient;
import dev.peergate.core.ServerVerdictSink;
import dev.peergate.event.ApplicationEventServerVerdictSink;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Auto-configuration of Peergate's clients: one typed-client bean per {@code peergate.clients.<name>}, injectable by
 * its {@code @IpcInterface} type, which verifies the server before each call; refusals are counted
 * ({@code peergate.client.server-verification}) and published ({@link dev.peergate.event.ServerRefusedEvent}).
 *
 * <pre>{@code
 * new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PeergateClientAutoConfiguration.class))
 *     .withPropertyValues("peergate.clients.helper.unix.path=/run/example/helper.sock",
 *             "peergate.clients.helper.interface=com.example.helper.Helper",
 *             "peergate.clients.helper.server-requirement.linux.uid=0")
 *     .run(context -> assertThat(context).hasSingleBean(Helper.class));
 * }</pre>
 */
@AutoConfiguration(after = PeergateAutoConfiguration.class)
@ConditionalOnClass(VarlinkClient.class)
@ConditionalOnBooleanProperty(name = "peergate.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PeergateClientProperties.class)
@Import(PeergateClientsRegistrar.class)
public final class PeergateClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ApplicationEventServerVerdictSink peergateApplicationEventServerVerdictSink(ApplicationEventPublisher publisher) {
		return new ApplicationEventServerVerdictSink(publisher);
	}

	@Bean(destroyMethod = "close")
	PeergateClientFactory peergateClientFactory(PeergateClientProperties properties,
			ConfigurableEnvironment environment, ObjectProvider<ServerVerdictSink> sinks) {
		return new PeergateClientFactory(properties, environment, sinks.orderedStream().toList());
	}

}
