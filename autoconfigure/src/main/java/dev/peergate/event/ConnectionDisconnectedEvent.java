package dev.peergate.event;

import dev.peergate.core.ConnectionInfo;
import dev.peergate.core.Peer;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * Published when an operator disconnected a live connection through the {@code peergate} actuator endpoint
 * ({@code DELETE /actuator/peergate/{listener}/connections/{id}}); the source is the connection as it was just
 * before: its calls then in flight were answered {@code dev.peergate.Disconnected}.
 *
 * <pre>{@code
 * @EventListener
 * void onDisconnected(ConnectionDisconnectedEvent event) {
 *     log.warn("{} disconnected {} on {} ({} calls cut)", event.operator(), event.peer().summary(), event.listener(),
 *             event.connection().callsInFlight());
 * }
 * }</pre>
 */
public class ConnectionDisconnectedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final @Nullable String operator;

	/**
	 * An event for the connection, disconnected by {@code operator} (the authenticated principal's name, or
	 * {@code null} when the endpoint is not secured).
	 */
	public ConnectionDisconnectedEvent(ConnectionInfo connection, @Nullable String operator) {
		super(connection);
		this.operator = operator;
	}

	@Override
	public ConnectionInfo getSource() {
		return (ConnectionInfo) super.getSource();
	}

	/** The connection as it was just before it was disconnected. */
	public ConnectionInfo connection() {
		return getSource();
	}

	/** The peer of the connection. */
	public Peer peer() {
		return getSource().peer();
	}

	/** Listener name. */
	public String listener() {
		return getSource().peer().listener();
	}

	/** Who disconnected it: the principal's name, or {@code null} when unknown. */
	public @Nullable String operator() {
		return this.operator;
	}

}
