package dev.peergate.systemd;

import java.util.List;
import java.util.function.ToLongFunction;

import dev.peergate.core.ListenerState;
import dev.peergate.core.PeerListener;

/**
 * The one-line summary systemd shows as the service's status: listeners serving, connections open, peers refused.
 *
 * <pre>{@code
 * ServiceStatus.describe(listeners, listener -> ledger.summary(listener.name()).rejected());
 * // "2/2 listeners serving, 3 connections, 1 refusal"
 * }</pre>
 */
public final class ServiceStatus {

	private ServiceStatus() {
	}

	/**
	 * The summary of {@code listeners}; a listener that is not running is named with its state.
	 * @param refusals the peers a listener refused so far
	 */
	public static String describe(List<PeerListener> listeners, ToLongFunction<PeerListener> refusals) {
		long serving = listeners.stream().filter(listener -> listener.state() == ListenerState.RUNNING).count();
		long connections = listeners.stream().mapToLong(PeerListener::activeConnections).sum();
		long refused = listeners.stream().mapToLong(refusals).sum();
		StringBuilder line = new StringBuilder().append(serving).append('/').append(listeners.size())
			.append(" listeners serving");
		List<String> notServing = listeners.stream()
			.filter(listener -> listener.state() != ListenerState.RUNNING)
			.map(listener -> listener.name() + " " + listener.state().tag())
			.toList();
		if (!notServing.isEmpty()) {
			line.append(" (").append(String.join(", ", notServing)).append(')');
		}
		line.append(", ").append(counted(connections, "connection")).append(", ").append(counted(refused, "refusal"));
		return line.toString();
	}

	private static String counted(long count, String noun) {
		return count + " " + noun + ((count == 1) ? "" : "s");
	}

}
