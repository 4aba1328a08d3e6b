package dev.peergate.event;

import dev.peergate.core.PeerListener;
import org.springframework.context.ApplicationEvent;

/**
 * Base of the listener lifecycle events; the source is the {@link PeerListener}.
 *
 * <pre>{@code
 * @EventListener
 * void onLifecycle(ListenerEvent event) {
 *     log.info("{} {} on {}", event.listener().name(), event.listener().state().tag(), event.listener().address());
 * }
 * }</pre>
 */
public abstract class ListenerEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	ListenerEvent(PeerListener listener) {
		super(listener);
	}

	@Override
	public PeerListener getSource() {
		return (PeerListener) super.getSource();
	}

	/** The listener. */
	public PeerListener listener() {
		return getSource();
	}

}
