package dev.peergate.contract;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.peergate.core.FactNames;
import dev.peergate.core.Gate;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.PeerListener;
import dev.peergate.core.PeerRequirement;
import dev.peergate.handler.Dispatcher;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;

/** An in-process listener and connections stating uid 1000 as a verified fact. */
final class InProcessHarness implements TransportHarness {

	private final ContractRecorder recorder;

	private InProcessListener listener;

	InProcessHarness(ContractRecorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public String transport() {
		return "in-process";
	}

	@Override
	public PeerListener create(String name, Dispatcher dispatcher) {
		this.listener = new InProcessListener(name,
				new Gate(name, Mechanism.STATED, PeerRequirement.anyPeer(), this.recorder), dispatcher);
		return this.listener;
	}

	@Override
	public Client connect() {
		InProcessConnection connection = Objects.requireNonNull(this.listener)
			.connect(PeerCredentials.builder(InProcessListener.TRANSPORT)
				.uid(1000)
				.facts(PeerFacts.builder().verified(FactNames.UID, 1000L).build())
				.build());
		return new Client() {

			@Override
			public CompletableFuture<Map<String, Object>> call(String method, Map<String, ?> parameters) {
				return CompletableFuture
					.supplyAsync(() -> ContractRecorder.nonNull(connection.call(method, Map.copyOf(parameters))));
			}

			@Override
			public void close() {
				connection.close();
			}

		};
	}

}
