package dev.peergate.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.peergate.core.ConnectionInfo;
import dev.peergate.event.ConnectionDisconnectedEvent;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Bridges every {@link ConnectionDisconnectedEvent} to an {@link AuditApplicationEvent} of type
 * {@value #CONNECTION_DISCONNECTED}. Like Peergate's other audit events its principal is the peer's summary; the
 * operator who disconnected it is in the data.
 *
 * <pre>{@code
 * List<AuditEvent> disconnects = auditEventRepository.find(null, null,
 *         ConnectionDisconnectedAuditListener.CONNECTION_DISCONNECTED);
 * }</pre>
 */
public final class ConnectionDisconnectedAuditListener implements ApplicationListener<ConnectionDisconnectedEvent> {

	/** Audit event type. */
	public static final String CONNECTION_DISCONNECTED = "CONNECTION_DISCONNECTED";

	private final ApplicationEventPublisher publisher;

	/** A bridge publishing through the given publisher. */
	public ConnectionDisconnectedAuditListener(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onApplicationEvent(ConnectionDisconnectedEvent event) {
		ConnectionInfo connection = event.connection();
		Map<String, @Nullable Object> data = new LinkedHashMap<>();
		data.put("listener", event.listener());
		data.put("transport", connection.peer().transport());
		data.put("connection", connection.id());
		data.put("since", connection.since().toString());
		data.put("callsServed", connection.callsServed());
		data.put("callsInFlight", connection.callsInFlight());
		data.put("operator", (event.operator() != null) ? event.operator() : "unknown");
		this.publisher.publishEvent(new AuditApplicationEvent(Instant.ofEpochMilli(event.getTimestamp()),
				connection.peer().summary(), CONNECTION_DISCONNECTED, data));
	}

}
