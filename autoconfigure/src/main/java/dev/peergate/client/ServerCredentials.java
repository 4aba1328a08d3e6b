package dev.peergate.client;

import java.util.List;

/**
 * The server process as the kernel reports it for a connected Unix socket ({@code SO_PEERCRED} on Linux,
 * {@code LOCAL_PEERCRED} on macOS): the credentials the server had when it called {@code listen()}. They cannot be
 * changed by the server afterwards nor forged by whoever placed the socket file.
 *
 * @param uid the server's effective uid
 * @param gids the server's group ids (the primary one first)
 * @param pidHint the server's pid at listen time, for logs only (it can be recycled); -1 when unknown
 *
 * <pre>{@code
 * try (VarlinkClient client = VarlinkClient.builder(Path.of("/run/example/helper.sock")).connect()) {
 *     ServerCredentials server = client.server();
 *     System.out.println("served by uid " + server.uid() + ", groups " + server.gids());
 * }
 * }</pre>
 */
public record ServerCredentials(long uid, List<Long> gids, long pidHint) {

	public ServerCredentials {
		gids = List.copyOf(gids);
	}

}
