package dev.peergate.xpc;

import java.util.Map;

import dev.peergate.client.XpcClient;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counts the native calls (libxpc, Security, CoreFoundation) a typical request costs, as counted by the simulator:
 * a regression guard for the "native crossings per request" figure in docs/macos.md. Counts, not time.
 */
class NativeCrossingsTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	@Test
	void aTypicalObservedCallStaysWithinItsNativeCallBudget() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				client.call("com.example.helper.Echo", Map.of("text", "warm-up"));
				double perCall = nativeCallsPerEcho(fixture, client);
				long clientCalls = clientShare(fixture);
				System.out.println("native calls per Echo round trip (client + server): " + perCall + ", client "
						+ clientCalls + ", server " + (perCall - clientCalls));
				assertThat(perCall).isLessThanOrEqualTo(50);
				assertThat(perCall - clientCalls).isLessThanOrEqualTo(30);
			}
		}
	}

	/**
	 * The macOS 10.x routes build a one-entry attribute dictionary per message (CFData or CFNumber, the dictionary,
	 * the guest lookup, three releases) instead of one SecCodeCreateWithXPCMessage call.
	 */
	@ParameterizedTest(name = "allow-private-api {0}, allow-insecure-pid {1}")
	@CsvSource({ "true, false", "false, true" })
	void aCallOnAMacOs10RouteStaysWithinItsNativeCallBudget(boolean privateApi, boolean pid) {
		try (XpcFixture fixture = new XpcFixture("10.15")) {
			fixture.listen(TEAM, Enforcement.OBSERVED, privateApi, pid);
			try (XpcClient client = fixture.client(SimPeer.teamCli().withPid(privateApi ? 7401 : 7402))) {
				client.call("com.example.helper.Echo", Map.of("text", "warm-up"));
				double server = nativeCallsPerEcho(fixture, client) - clientShare(fixture);
				System.out.println("native calls per Echo on " + fixture.listener.mechanism().tag() + ": server "
						+ server);
				assertThat(server).isLessThanOrEqualTo(40);
			}
		}
	}

	/**
	 * Native calls per Echo round trip, the least of three batches: the simulator counts every call in the
	 * process, and an object of an earlier test released during one batch must not count against this one.
	 */
	private static double nativeCallsPerEcho(XpcFixture fixture, XpcClient client) {
		double least = Double.MAX_VALUE;
		for (int batch = 0; batch < 3; batch++) {
			int calls = 100;
			long before = fixture.sim.control().xpcsim_native_calls();
			for (int i = 0; i < calls; i++) {
				client.call("com.example.helper.Echo", Map.of("text", "hello"));
			}
			least = Math.min(least, (fixture.sim.control().xpcsim_native_calls() - before) / (double) calls);
		}
		return least;
	}

	/** The client's own calls: encode the request, send it, release it, classify and decode the reply. */
	private static long clientShare(XpcFixture fixture) {
		long encode = fixture.sim
			.encodeCrossings(Map.of("method", "com.example.helper.Echo", "parameters", Map.of("text", "hello"), "id", 1L));
		long decode = fixture.sim.decodeCrossings(Map.of("parameters",
				Map.of("text", "hello", "caller", "com.example.cli", "thread", "peergate-handler-1"), "id", 1L));
		return encode + 2 /* send_with_reply, release */ + 1 /* get_type of the reply */ + decode;
	}

}
