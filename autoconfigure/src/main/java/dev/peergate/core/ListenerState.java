package dev.peergate.core;

import java.util.Locale;

/**
 * Lifecycle state of a {@link PeerListener}.
 *
 * <pre>{@code
 * PeerListener helper = peergateListeners.listener("helper").orElseThrow();
 * boolean serving = helper.state() == ListenerState.RUNNING;
 * String shown = helper.state().tag(); // "running", as in health and the endpoint
 * }</pre>
 */
public enum ListenerState {

	/** Created, not started. */
	NEW,

	/** Opening its endpoint; peers that connect meanwhile are served. */
	STARTING,

	/** Accepting peers. */
	RUNNING,

	/** No longer accepting; draining calls in flight. */
	STOPPING,

	/** Stopped cleanly. */
	STOPPED,

	/** Failed to start or died while running. */
	FAILED;

	/** Display value. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
