package dev.peergate.xpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Mechanism;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.Verdict;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcClientConnection.XpcErrorEventException;
import dev.peergate.xpc.jna.XpcEvent;
import dev.peergate.xpc.jna.XpcSimulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** A listener on the simulator with a recording verdict sink, and clients presenting simulated identities. */
final class XpcFixture implements AutoCloseable {

	private static final AtomicInteger SERVICES = new AtomicInteger();

	final XpcSimulator sim;

	final String service = "com.example.helper." + SERVICES.incrementAndGet();

	private final XpcServingRecorder serving;

	final List<Verdict> verdicts;

	final HelperService helper;

	final Dispatcher dispatcher;

	/** Limits the listener reported ({@code listener/limit}). */
	final List<String> limits;

	final TransportEvents transportEvents;

	/** Counts what the simulator holds, from before this fixture began. */
	private final SimulatedXpcBackend leaks;

	XpcListener listener;

	XpcFixture(String macOs) {
		this(macOs, XpcSimulator.Variant.FULL);
	}

	XpcFixture(String macOs, XpcSimulator.Variant variant) {
		this(macOs, variant, Duration.ofSeconds(20));
	}

	/** A fixture whose handlers time out after {@code handlerTimeout}. */
	XpcFixture(String macOs, Duration handlerTimeout) {
		this(macOs, XpcSimulator.Variant.FULL, handlerTimeout);
	}

	private XpcFixture(String macOs, XpcSimulator.Variant variant, Duration handlerTimeout) {
		this(macOs, variant, handlerTimeout, List.of());
	}

	/** A fixture serving {@code handler} beside the test helper. */
	static XpcFixture serving(Object handler) {
		return new XpcFixture("15.0", XpcSimulator.Variant.FULL, Duration.ofSeconds(20), List.of(handler));
	}

	private XpcFixture(String macOs, XpcSimulator.Variant variant, Duration handlerTimeout, List<Object> handlers) {
		this.serving = new XpcServingRecorder(handlerTimeout, handlers);
		this.verdicts = this.serving.verdicts;
		this.helper = this.serving.helper;
		this.dispatcher = this.serving.dispatcher;
		this.limits = this.serving.limits;
		this.transportEvents = this.serving.transportEvents;
		this.sim = XpcSimulator.of(variant);
		this.leaks = new SimulatedXpcBackend(this.sim);
		this.sim.macOs(macOs).service(this.service);
	}

	XpcListener listen(XpcRequirement requirement, Enforcement enforcement) {
		return listen(requirement, enforcement, false, false);
	}

	XpcListener listen(XpcRequirement requirement, Enforcement enforcement, boolean allowPrivateApi,
			boolean allowInsecurePid) {
		this.listener = this.serving.listener(XpcListenerOptions.of("helper", this.service, requirement)
			.withEnforcement(enforcement)
			.withFallbacks(allowPrivateApi, allowInsecurePid)
			.withLibraries(this.sim.libraries()));
		this.listener.start();
		return this.listener;
	}

	/** A listener with these options (the simulator's libraries), started. */
	XpcListener listen(XpcListenerOptions options) {
		this.listener = this.serving.listener(options.withLibraries(this.sim.libraries()));
		this.listener.start();
		return this.listener;
	}

	/** A client presenting the identity with this Info.plist and certificate chain (leaf first). */
	XpcClient client(XpcSimulator.SimPeer peer, String info, List<byte[]> certificates) {
		this.sim.nextPeer(peer, info, certificates);
		return XpcClient.connect(XpcClient.Options.of(this.service)
			.withLibraries(this.sim.libraries())
			.withTimeout(Duration.ofSeconds(20)));
	}

	XpcClient client(XpcSimulator.SimPeer peer) {
		this.sim.nextPeer(peer);
		return XpcClient.connect(XpcClient.Options.of(this.service)
			.withLibraries(this.sim.libraries())
			.withTimeout(Duration.ofSeconds(20)));
	}

	/**
	 * The peer's call is refused as the enforcement refuses: a {@code PermissionDenied} reply when Peergate decides,
	 * libxpc's peer-requirement error event when the OS does.
	 */
	void assertCallRefused(XpcSimulator.SimPeer peer, Enforcement enforcement) {
		try (XpcClient client = client(peer)) {
			if (enforcement == Enforcement.OS) {
				assertThatExceptionOfType(XpcErrorEventException.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "no")))
					.satisfies((ex) -> assertThat(ex.event()).isEqualTo(XpcEvent.PEER_CODE_SIGNING_REQUIREMENT));
			}
			else {
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "no")))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
			}
		}
	}

	/** The verdicts so far: one acceptance by {@code mechanism}, then one peer refused by the requirement. */
	void assertAcceptedThenRejected(Mechanism mechanism) {
		await().until(() -> this.verdicts.size() >= 2);
		assertThat(this.verdicts).hasSize(2);
		assertThat(this.verdicts.get(0).outcome()).isEqualTo(Outcome.ACCEPTED);
		assertThat(this.verdicts.get(0).mechanism()).isEqualTo(mechanism);
		assertThat(this.verdicts.get(1).outcome()).isEqualTo(Outcome.REJECTED);
		assertThat(this.verdicts.get(1).reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
	}

	/** Nothing this fixture created is still alive (see {@link SimulatedXpcBackend#assertNoLeaks()}). */
	void assertNoLeaks() {
		this.leaks.assertNoLeaks();
	}

	@Override
	public void close() {
		this.serving.close(this.listener);
		this.sim.macOs("15.0");
		this.sim.richErrorDescriptions(true);
	}

}
