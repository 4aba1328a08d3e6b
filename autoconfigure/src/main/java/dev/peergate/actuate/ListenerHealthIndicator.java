package dev.peergate.actuate;

import dev.peergate.core.ListenerState;
import dev.peergate.core.PeerListener;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of one listener: UP while it accepts peers, DOWN when it failed or stopped, with its transport,
 * address, mechanism and active connections as details.
 *
 * <pre>{@code
 * $ curl -s localhost:8080/actuator/health/peergate/helper
 * {"status":"UP","details":{"state":"running","transport":"unix","address":"/run/example/helper.sock",
 *  "mechanism":"pidfd","activeConnections":2}}
 * }</pre>
 */
public final class ListenerHealthIndicator implements HealthIndicator {

	private final PeerListener listener;

	/** Health of the given listener. */
	public ListenerHealthIndicator(PeerListener listener) {
		this.listener = listener;
	}

	@Override
	public Health health() {
		ListenerState state = this.listener.state();
		Health.Builder builder = switch (state) {
			case RUNNING -> Health.up();
			case NEW, STOPPING -> Health.unknown();
			case STOPPED, FAILED -> Health.down();
		};
		this.listener.failure().ifPresent(failure -> builder.withDetail("failure", failure));
		return builder.withDetail("state", state.tag())
			.withDetail("transport", this.listener.transport())
			.withDetail("address", this.listener.address())
			.withDetail("mechanism", this.listener.gate().mechanism().tag())
			.withDetail("activeConnections", this.listener.activeConnections())
			.build();
	}

}
