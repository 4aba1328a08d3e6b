package dev.peergate.event;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.Peer;
import org.springframework.context.ApplicationEvent;

/**
 * Base of the call-decision events; the source is the {@link CallVerdict}.
 *
 * <pre>{@code
 * @EventListener
 * void onDenied(CallDeniedEvent event) {
 *     log.warn("{} may not call {}: {}", event.peer().summary(), event.method(), LogText.escape(event.explanation()));
 * }
 * }</pre>
 */
public abstract class AbstractCallEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	AbstractCallEvent(CallVerdict verdict) {
		super(verdict);
	}

	@Override
	public CallVerdict getSource() {
		return (CallVerdict) super.getSource();
	}

	/** The call verdict. */
	public CallVerdict verdict() {
		return getSource();
	}

	/** The caller. */
	public Peer peer() {
		return getSource().peer();
	}

	/** Listener name. */
	public String listener() {
		return getSource().listener();
	}

	/** The fully qualified method called. */
	public String method() {
		return getSource().method();
	}

	/** Why, for humans. */
	public String explanation() {
		return getSource().explanation();
	}

}
