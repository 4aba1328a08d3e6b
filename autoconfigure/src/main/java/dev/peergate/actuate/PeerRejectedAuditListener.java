package dev.peergate.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.peergate.core.Verdict;
import dev.peergate.event.PeerRejectedEvent;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Bridges every {@link PeerRejectedEvent} to an {@link AuditApplicationEvent} of type {@value #PEER_REJECTED}, so
 * that rejections land in the application's {@code AuditEventRepository}.
 *
 * <pre>{@code
 * @Bean // auditing on: every rejection is also an audit event of type PEER_REJECTED
 * InMemoryAuditEventRepository auditEvents() {
 *     return new InMemoryAuditEventRepository();
 * }
 * }</pre>
 */
public final class PeerRejectedAuditListener implements ApplicationListener<PeerRejectedEvent> {

	/** Audit event type. */
	public static final String PEER_REJECTED = "PEER_REJECTED";

	private final ApplicationEventPublisher publisher;

	/** A bridge publishing through the given publisher. */
	public PeerRejectedAuditListener(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onApplicationEvent(PeerRejectedEvent event) {
		Verdict verdict = event.verdict();
		Map<String, @Nullable Object> data = new LinkedHashMap<>();
		data.put("listener", verdict.listener());
		data.put("transport", verdict.peer().transport());
		data.put("mechanism", verdict.mechanism().tag());
		data.put("outcome", verdict.outcome().tag());
		data.put("reason", verdict.reason().tag());
		data.put("explanation", verdict.explanation());
		this.publisher.publishEvent(new AuditApplicationEvent(verdict.timestamp(), verdict.peer().summary(),
				PEER_REJECTED, data));
	}

}
