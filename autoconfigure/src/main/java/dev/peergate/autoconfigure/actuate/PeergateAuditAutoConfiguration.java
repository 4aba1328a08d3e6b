package dev.peergate.autoconfigure.actuate;

import dev.peergate.actuate.CallDeniedAuditListener;
import dev.peergate.actuate.ConnectionDisconnectedAuditListener;
import dev.peergate.actuate.PeerRejectedAuditListener;
import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Records rejections as {@code PEER_REJECTED} audit events (refused calls as {@code CALL_DENIED}, operators'
 * disconnects as {@code CONNECTION_DISCONNECTED}) when the application has an {@link AuditEventRepository}
 * (auditing on) and {@code management.auditevents.enabled} is not false.
 *
 * <pre>{@code
 * @Bean
 * InMemoryAuditEventRepository auditEvents() { // rejections become PEER_REJECTED audit events
 *     return new InMemoryAuditEventRepository();
 * }
 * }</pre>
 */
@AutoConfiguration(after = PeergateAutoConfiguration.class,
		afterName = "org.springframework.boot.actuate.autoconfigure.audit.AuditAutoConfiguration")
@ConditionalOnClass(AuditApplicationEvent.class)
@ConditionalOnBean(AuditEventRepository.class)
@ConditionalOnBooleanProperty(name = "management.auditevents.enabled", matchIfMissing = true)
public final class PeergateAuditAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PeerRejectedAuditListener peergatePeerRejectedAuditListener(ApplicationEventPublisher publisher) {
		return new PeerRejectedAuditListener(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionDisconnectedAuditListener peergateConnectionDisconnectedAuditListener(ApplicationEventPublisher publisher) {
		return new ConnectionDisconnectedAuditListener(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	CallDeniedAuditListener peergateCallDeniedAuditListener(ApplicationEventPublisher publisher) {
		return new CallDeniedAuditListener(publisher);
	}

}
