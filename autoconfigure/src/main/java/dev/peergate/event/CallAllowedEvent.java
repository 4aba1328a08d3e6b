package dev.peergate.event;

import dev.peergate.core.CallVerdict;

/**
 * Published for every call a method's requirement allowed, when {@code peergate.events.publish-allowed-calls} is
 * {@code true} (one event per call: off by default).
 *
 * <pre>{@code
 * @EventListener
 * void onAllowed(CallAllowedEvent event) {
 *     audit.record(event.peer().summary(), event.method());
 * }
 * }</pre>
 */
public class CallAllowedEvent extends AbstractCallEvent {

	private static final long serialVersionUID = 1L;

	/** An event for an allowed call. */
	public CallAllowedEvent(CallVerdict verdict) {
		super(verdict);
	}

}
