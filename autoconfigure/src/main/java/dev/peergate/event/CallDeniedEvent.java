package dev.peergate.event;

import dev.peergate.core.CallVerdict;

/**
 * Published for every call a method's requirement refused (or could not decide): the peer got
 * {@code org.varlink.service.PermissionDenied} and its connection stays open for other methods.
 *
 * <pre>{@code
 * @EventListener
 * void onDenied(CallDeniedEvent event) {
 *     alerts.send(event.listener() + ": " + event.peer().summary() + " tried " + event.method());
 * }
 * }</pre>
 */
public class CallDeniedEvent extends AbstractCallEvent {

	private static final long serialVersionUID = 1L;

	/** An event for a refused call. */
	public CallDeniedEvent(CallVerdict verdict) {
		super(verdict);
	}

}
