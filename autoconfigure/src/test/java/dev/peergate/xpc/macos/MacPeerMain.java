package dev.peergate.xpc.macos;

import java.util.Map;

import dev.peergate.client.XpcClient;
import dev.peergate.handler.IpcError;

/**
 * A peer process for {@link RealLaunchdTests}: calls {@code com.example.helper.Echo} on the Mach service given as
 * the first argument and prints {@code ACCEPTED <text>} or {@code REFUSED <error name>}. Run by an ad-hoc signed
 * copy of the JVM launcher, so that the peer the service checks has the identifier that copy was signed with.
 */
public final class MacPeerMain {

	private MacPeerMain() {
	}

	public static void main(String[] args) {
		try (XpcClient client = XpcClient.connect(XpcClient.Options.of(args[0]))) {
			Map<String, Object> reply = client.call("com.example.helper.Echo", Map.of("text", "from an ad-hoc peer"));
			System.out.println("ACCEPTED " + reply.get("text"));
		}
		catch (IpcError error) {
			System.out.println("REFUSED " + error.name());
		}
	}

}
