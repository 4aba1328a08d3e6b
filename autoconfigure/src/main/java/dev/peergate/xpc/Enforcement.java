package dev.peergate.xpc;

import java.util.Locale;

/**
 * Who decides about a peer.
 * <ul>
 * <li>{@link #OBSERVED} (default): Peergate asks the OS about every message and sees, reports and explains every
 * rejection.</li>
 * <li>{@link #OS}: the requirement is set on the connection and libxpc drops messages of a failing peer; the
 * process learns of a rejection only through {@code XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT} events, without the
 * peer's signing facts.</li>
 * </ul>
 *
 * <pre>{@code
 * # application.yml
 * peergate.listeners.helper.enforcement: os   # default: observed
 * }</pre>
 */
public enum Enforcement {

	/** Peergate decides per message through Security.framework / libxpc match functions. */
	OBSERVED,

	/** libxpc enforces a requirement set on each connection. */
	OS;

	/** Configuration value. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
