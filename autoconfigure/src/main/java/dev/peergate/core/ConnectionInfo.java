package dev.peergate.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One live connection of a listener, as {@link PeerListener#connections()} shows it at one moment: who the peer
 * is, since when it is connected, and how much it asked of the listener.
 *
 * <pre>{@code
 * for (ConnectionInfo connection : listener.connections()) {
 *     log.info("{} {} since {}: {} calls served, {} in flight", connection.id(), connection.peer().summary(),
 *             connection.since(), connection.callsServed(), connection.callsInFlight());
 * }
 * }</pre>
 *
 * @param id the connection's id within its listener, for {@link PeerListener#disconnect(String)}
 * @param peer the verified peer (its facts are the verified ones only)
 * @param since when the gate accepted the connection
 * @param callsServed calls that ended: got their final reply (an error included), or oneway calls whose handler is
 * done
 * @param callsInFlight calls awaiting their final reply (a oneway call counts until its handler is done)
 * @param bytesRead bytes read from the peer, {@code null} where the transport does not count them (XPC,
 * in-process)
 * @param bytesWritten bytes handed to the peer's socket, {@code null} where the transport does not count them
 */
public record ConnectionInfo(String id, Peer peer, Instant since, long callsServed, int callsInFlight,
		@Nullable Long bytesRead, @Nullable Long bytesWritten) {

}
