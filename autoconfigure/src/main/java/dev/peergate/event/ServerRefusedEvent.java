package dev.peergate.event;

import dev.peergate.core.ServerVerdict;
import org.springframework.context.ApplicationEvent;

/**
 * Published when a configured client ({@code peergate.clients.<name>}) refuses the process serving its address:
 * the server did not satisfy the client's {@code server-requirement}, and nothing was sent to it.
 *
 * <pre>{@code
 * @EventListener
 * void onRefused(ServerRefusedEvent event) {
 *     log.error("client {} refused the server at {}: {}", event.client(), event.address(), event.explanation());
 * }
 * }</pre>
 */
public class ServerRefusedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	/** An event for a refusing verdict. */
	public ServerRefusedEvent(ServerVerdict verdict) {
		super(verdict);
	}

	@Override
	public ServerVerdict getSource() {
		return (ServerVerdict) super.getSource();
	}

	/** The configured client's name. */
	public String client() {
		return getSource().client();
	}

	/** The socket path or Mach service name. */
	public String address() {
		return getSource().address();
	}

	/** The clause the server failed, for humans. */
	public String explanation() {
		return getSource().explanation();
	}

}
