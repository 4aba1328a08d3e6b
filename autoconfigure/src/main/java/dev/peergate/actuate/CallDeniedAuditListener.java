package dev.peergate.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.peergate.core.CallVerdict;
import dev.peergate.event.CallDeniedEvent;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Bridges every {@link CallDeniedEvent} to an {@link AuditApplicationEvent} of type {@value #CALL_DENIED}, next to
 * the {@link PeerRejectedAuditListener#PEER_REJECTED} events of refused connections.
 *
 * <pre>{@code
 * List<AuditEvent> denied = auditEventRepository.find(null, null, CallDeniedAuditListener.CALL_DENIED);
 * }</pre>
 */
public final class CallDeniedAuditListener implements ApplicationListener<CallDeniedEvent> {

	/** Audit event type. */
	public static final String CALL_DENIED = "CALL_DENIED";

	private final ApplicationEventPublisher publisher;

	/** A bridge publishing through the given publisher. */
	public CallDeniedAuditListener(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onApplicationEvent(CallDeniedEvent event) {
		CallVerdict verdict = event.verdict();
		Map<String, @Nullable Object> data = new LinkedHashMap<>();
		data.put("listener", verdict.listener());
		data.put("transport", verdict.peer().transport());
		data.put("method", verdict.method());
		data.put("authority", verdict.authority());
		data.put("outcome", verdict.outcome().tag());
		data.put("reason", verdict.reason().tag());
		data.put("explanation", verdict.explanation());
		this.publisher.publishEvent(new AuditApplicationEvent(verdict.timestamp(), verdict.peer().summary(),
				CALL_DENIED, data));
	}

}
