package dev.peergate.core;

import java.util.Locale;

/** Lifecycle state of a {@link PeerListener}. */
public enum ListenerState {

	/** Created, not started. */
	NEW,

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
