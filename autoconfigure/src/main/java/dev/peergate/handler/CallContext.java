package dev.peergate.handler;

import dev.peergate.core.Peer;
import dev.peergate.core.ProcessHandleRef;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling, on which listener and transport.
 *
 * @param listener listener name
 * @param transport transport name
 * @param peer the verified peer
 * @param process the race-free handle on the peer process its transport holds for the connection (a pidfd), or
 * {@code null} (in-process, or none): for authorities that must name the process, never by PID alone
 * @param authorization what the call carries for the authorities that decide on it
 *
 * <pre>{@code
 * CallContext context = new CallContext("helper", "in-process", Peer.of("helper", credentials));
 * dispatcher.dispatch(context, IpcRequest.call("com.example.helper.Status", Map.of()), replies::add);
 * }</pre>
 */
public record CallContext(String listener, String transport, Peer peer, @Nullable ProcessHandleRef process,
		CallAuthorization authorization) {

	/** A context without a process handle. */
	public CallContext(String listener, String transport, Peer peer) {
		this(listener, transport, peer, null);
	}

	/** A context whose calls carry nothing for an authority. */
	public CallContext(String listener, String transport, Peer peer, @Nullable ProcessHandleRef process) {
		this(listener, transport, peer, process, CallAuthorization.NONE);
	}

	/** This context for a call that carries {@code authorization}. */
	public CallContext withAuthorization(CallAuthorization authorization) {
		return new CallContext(this.listener, this.transport, this.peer, this.process, authorization);
	}

}
