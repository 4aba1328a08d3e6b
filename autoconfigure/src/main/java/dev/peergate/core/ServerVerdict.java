package dev.peergate.core;

import java.util.Objects;

/**
 * A client's decision about the server it connected to: whether the process serving the address satisfied the
 * client's server requirement, and why not. Reported to every {@link ServerVerdictSink} (metrics, events).
 *
 * @param client the configured client's name
 * @param address the socket path or Mach service name
 * @param accepted whether the server satisfied the requirement (nothing was sent when it did not)
 * @param explanation the failed clause, or what was checked
 *
 * <pre>{@code
 * ServerVerdict verdict = ServerVerdict.refused("helper", "/run/helper.sock", "uid: expected 0, peer has 1000");
 * }</pre>
 */
public record ServerVerdict(String client, String address, boolean accepted, String explanation) {

	public ServerVerdict {
		Objects.requireNonNull(client, "'client' must not be null");
		Objects.requireNonNull(address, "'address' must not be null");
		Objects.requireNonNull(explanation, "'explanation' must not be null");
	}

	/** A server that satisfied the requirement. */
	public static ServerVerdict accepted(String client, String address, String explanation) {
		return new ServerVerdict(client, address, true, explanation);
	}

	/** A server refused before anything was sent. */
	public static ServerVerdict refused(String client, String address, String explanation) {
		return new ServerVerdict(client, address, false, explanation);
	}

	/** {@code accepted} or {@code rejected}, as metrics tag it. */
	public String outcome() {
		return this.accepted ? "accepted" : "rejected";
	}

}
