package dev.peergate.actuate;

import dev.peergate.core.ListenerState;
import dev.peergate.core.PeerListener;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of one listener: UP while it accepts peers, DOWN when it failed or stopped, with its transport,
 * address, mechanism and active connections as details. A failed XPC listener also gets a {@code launchd} detail:
 * the usual cause is a Mach service that the launchd job running this process does not declare.
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
			case NEW, STARTING, STOPPING -> Health.unknown();
			case STOPPED, FAILED -> Health.down();
		};
		this.listener.failure().ifPresent(failure -> builder.withDetail("failure", failure));
		if (state == ListenerState.FAILED && "xpc".equals(this.listener.transport())) {
			builder.withDetail("launchd", "Mach service " + this.listener.address() + " exists only when the launchd "
					+ "job running this process declares it under MachServices; GET /actuator/launchd (exposure "
					+ "include launchd) generates that plist from the configuration and this process's command, "
					+ "install it with 'launchctl bootstrap gui/$(id -u) <plist>' (see docs/macos.md)");
		}
		if (this.listener.gate().audit()) {
			builder.withDetail("enforcement", "audit: requirement refusals are recorded as would-reject, not enforced");
		}
		return builder.withDetail("state", state.tag())
			.withDetail("transport", this.listener.transport())
			.withDetail("address", this.listener.address())
			.withDetail("mechanism", this.listener.gate().mechanism().tag())
			.withDetail("activeConnections", this.listener.activeConnections())
			.build();
	}

}
