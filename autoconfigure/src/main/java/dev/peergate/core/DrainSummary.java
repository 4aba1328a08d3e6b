package dev.peergate.core;

import java.time.Duration;

/**
 * How a listener's last {@link PeerListener#stop(Duration) stop} went: what was in flight when it began, what
 * finished within the drain timeout and what was cut short with {@code dev.peergate.ShuttingDown}.
 *
 * <pre>{@code
 * listener.stop(Duration.ofSeconds(10));
 * listener.lastDrain().ifPresent(drain -> log.info("{}", drain.describe()));
 * }</pre>
 *
 * @param connections connections open when the stop began
 * @param callsInFlight calls in flight when the stop began
 * @param callsCut calls still in flight after the drain timeout, answered {@code dev.peergate.ShuttingDown}
 * @param callsRefused calls that arrived during the drain, answered {@code dev.peergate.ShuttingDown}
 * @param took how long the stop took
 */
public record DrainSummary(int connections, int callsInFlight, int callsCut, int callsRefused, Duration took) {

	/** One line for the log. */
	public String describe() {
		return "closed " + this.connections + " connection" + ((this.connections == 1) ? "" : "s") + " in "
				+ this.took.toMillis() + " ms; " + (this.callsInFlight - this.callsCut) + " of " + this.callsInFlight
				+ " calls in flight finished, " + this.callsCut + " cut short and " + this.callsRefused
				+ " arriving during the drain answered dev.peergate.ShuttingDown";
	}

}
