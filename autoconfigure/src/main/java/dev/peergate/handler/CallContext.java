package dev.peergate.handler;

import dev.peergate.core.Peer;

/**
 * Who is calling, on which listener and transport.
 *
 * @param listener listener name
 * @param transport transport name
 * @param peer the verified peer
 */
public record CallContext(String listener, String transport, Peer peer) {

}
