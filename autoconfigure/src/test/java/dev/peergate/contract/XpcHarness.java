package dev.peergate.contract;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.client.XpcClient;
import dev.peergate.core.PeerListener;
import dev.peergate.handler.Dispatcher;
import dev.peergate.xpc.Enforcement;
import dev.peergate.xpc.XpcListener;
import dev.peergate.xpc.XpcListenerOptions;
import dev.peergate.xpc.XpcRequirement;
import dev.peergate.xpc.jna.XpcSimulator;

/**
 * An XPC listener on the libxpc ABI simulator (macOS 15, observed code-signing requirement) and clients signed by
 * the required team.
 */
final class XpcHarness implements TransportHarness {

	/** Pids of the simulated client processes: one each. */
	private static final AtomicInteger PIDS = new AtomicInteger(20_000);

	private static final AtomicInteger SERVICES = new AtomicInteger();

	private final ContractRecorder recorder;

	private final XpcSimulator sim = XpcSimulator.of(XpcSimulator.Variant.FULL);

	private final String service = "com.example.contract." + SERVICES.incrementAndGet();

	XpcHarness(ContractRecorder recorder) {
		this.recorder = recorder;
		this.sim.macOs("15.0").service(this.service);
		this.sim.selfSignature("com.example.helper", "ABCDE12345");
	}

	@Override
	public String transport() {
		return "xpc";
	}

	@Override
	public PeerListener create(String name, Dispatcher dispatcher) {
		XpcListenerOptions options = XpcListenerOptions
			.of(name, this.service,
					XpcRequirement.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\""))
			.withEnforcement(Enforcement.OBSERVED)
			.withLibraries(this.sim.libraries());
		return new XpcListener(options, dispatcher, this.recorder, this.recorder);
	}

	@Override
	public Client connect() {
		// each client is a process of its own: the simulator takes a live pid reused for a replaced process
		this.sim.nextPeer(XpcSimulator.SimPeer.teamCli().withPid(PIDS.incrementAndGet()));
		XpcClient client = XpcClient.connect(XpcClient.Options.of(this.service)
			.withLibraries(this.sim.libraries())
			.withTimeout(Duration.ofSeconds(20)));
		return new Client() {

			@Override
			public CompletableFuture<Map<String, Object>> call(String method, Map<String, ?> parameters) {
				return client.callAsync(method, parameters, false).thenApply(ContractRecorder::nonNull);
			}

			@Override
			public void close() {
				client.close();
			}

		};
	}

}
