package dev.peergate.xpc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcSimulator;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The libxpc ABI simulator as an {@link XpcBackend}: macOS 15, every client a Developer ID signed CLI of team
 * ABCDE12345 in a process of its own, and every native object, block, CF object and queue counted.
 */
final class SimulatedXpcBackend implements XpcBackend {

	/** PIDs of clients: apart from those other tests give their simulated peers. */
	private static final AtomicInteger PIDS = new AtomicInteger(60_000);

	private final XpcSimulator sim;

	private final long objectsBefore;

	private final long blocksBefore;

	private final long cfBefore;

	private final long queuesBefore;

	private final long fdsBefore;

	private final int javaBlocksBefore;

	/** On this simulator (any variant): macOS 15 and this process signed by team ABCDE12345 until changed. */
	SimulatedXpcBackend(XpcSimulator sim) {
		this.sim = sim;
		sim.macOs("15.0").selfSignature("com.example.helper", "ABCDE12345");
		this.objectsBefore = sim.control().xpcsim_live_objects();
		this.blocksBefore = sim.control().xpcsim_live_blocks();
		this.cfBefore = sim.control().xpcsim_live_cf();
		this.queuesBefore = sim.control().xpcsim_live_queues();
		this.fdsBefore = sim.control().xpcsim_live_fds();
		this.javaBlocksBefore = sim.nativeXpc().blocks().live();
	}

	static SimulatedXpcBackend create() {
		return new SimulatedXpcBackend(XpcSimulator.current());
	}

	@Override
	public NativeLibraries libraries() {
		return this.sim.libraries();
	}

	@Override
	public XpcRequirement acceptedRequirement() {
		return XpcRequirement.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");
	}

	@Override
	public String clientIdentifier() {
		return SimPeer.teamCli().identifier();
	}

	@Override
	public void nextClient() {
		this.sim.nextPeer(SimPeer.teamCli().withPid(PIDS.incrementAndGet()));
	}

	/** Counts may end below the baseline (an earlier test's object released late); only above it is a leak. */
	@Override
	public void assertNoLeaks() {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(this.sim.control().xpcsim_live_objects()).as("live XPC objects")
				.isLessThanOrEqualTo(this.objectsBefore);
			assertThat(this.sim.control().xpcsim_live_blocks()).as("live blocks held by libxpc")
				.isLessThanOrEqualTo(this.blocksBefore);
			assertThat(this.sim.control().xpcsim_live_cf()).as("live CF objects").isLessThanOrEqualTo(this.cfBefore);
			assertThat(this.sim.control().xpcsim_live_queues()).as("live dispatch queues")
				.isLessThanOrEqualTo(this.queuesBefore);
			assertThat(this.sim.control().xpcsim_live_fds()).as("live fd objects").isLessThanOrEqualTo(this.fdsBefore);
			assertThat(this.sim.nativeXpc().blocks().live()).as("Java block targets")
				.isLessThanOrEqualTo(this.javaBlocksBefore);
		});
	}

	@Override
	public void close() {
		this.sim.macOs("15.0");
	}

}
