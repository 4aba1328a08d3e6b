package dev.peergate.handler;

import dev.peergate.core.Peer;

/**
 * Who is calling, on which listener and transport.
 *
 * @param listener listener name
 * @param transport transport name
 * @param peer the verified peer
 *
 * <pre>{@code
 * CallContext context = new CallContext("helper", "in-process", Peer.of("helper", credentials));
 * dispatcher.dispatch(context, IpcRequest.call("com.example.helper.Status", Map.of()), replies::add);
 * }</pre>
 */
public record CallContext(String listener, String transport, Peer peer) {

}
