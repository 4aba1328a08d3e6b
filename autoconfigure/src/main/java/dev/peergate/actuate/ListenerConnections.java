package dev.peergate.actuate;

import java.util.Optional;

import dev.peergate.core.ConnectionInfo;
import dev.peergate.actuate.PeergateEndpoint.ConnectionDescriptor;
import dev.peergate.actuate.PeergateEndpoint.ConnectionsDescriptor;
import dev.peergate.core.PeerListener;
import dev.peergate.event.ConnectionDisconnectedEvent;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The {@code connections} part of the {@code peergate} endpoint: a listener's live connections, and the disconnect
 * of one, published as a {@link ConnectionDisconnectedEvent}.
 */
final class ListenerConnections {

	/** The path segment after the listener's name. */
	static final String SEGMENT = "connections";

	private final ApplicationEventPublisher publisher;

	ListenerConnections(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/** The listener's live connections, oldest first. */
	ConnectionsDescriptor describe(PeerListener listener) {
		return new ConnectionsDescriptor(listener.connections().stream().map(ConnectionDescriptor::of).toList());
	}

	/**
	 * Disconnects the listener's connection {@code id} and publishes the event; the connection as it was just before,
	 * or {@code null} when the listener has no such connection open.
	 */
	@Nullable ConnectionDescriptor disconnect(PeerListener listener, String id, @Nullable String operator) {
		Optional<ConnectionInfo> connection = listener.connections()
			.stream()
			.filter((candidate) -> candidate.id().equals(id))
			.findFirst();
		if (connection.isEmpty() || !listener.disconnect(id)) {
			return null;
		}
		this.publisher.publishEvent(new ConnectionDisconnectedEvent(connection.get(), operator));
		return ConnectionDescriptor.of(connection.get());
	}

}
