package dev.peergate.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.peergate.client.VarlinkClient;
import dev.peergate.core.Gate;
import dev.peergate.core.PeerListener;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.TransportEvents;
import dev.peergate.handler.Dispatcher;
import dev.peergate.unix.UnixListener;
import dev.peergate.unix.UnixListenerOptions;
import org.springframework.util.FileSystemUtils;

/** A Unix socket listener in a temporary directory, and varlink clients (one connection each). */
final class UnixHarness implements TransportHarness {

	private final Path directory;

	private final Path socket;

	private final ContractRecorder recorder;

	static UnixHarness create(ContractRecorder recorder) throws Exception {
		return new UnixHarness(recorder);
	}

	private UnixHarness(ContractRecorder recorder) throws Exception {
		this.recorder = recorder;
		this.directory = Files.createTempDirectory("peergate-contract-");
		this.socket = this.directory.resolve("contract.sock");
	}

	@Override
	public String transport() {
		return "unix";
	}

	@Override
	public boolean countsBytes() {
		return true;
	}

	@Override
	public PeerListener create(String name, Dispatcher dispatcher) {
		Gate gate = new Gate(name, UnixListener.detectMechanism(), PeerRequirement.anyPeer(), this.recorder);
		TransportEvents events = this.recorder;
		return new UnixListener(name, UnixListenerOptions.defaults(this.socket), gate, dispatcher, events);
	}

	@Override
	public Client connect() {
		VarlinkClient client = VarlinkClient.builder(this.socket).callTimeout(Duration.ofSeconds(20)).connect();
		return new Client() {

			@Override
			public CompletableFuture<Map<String, Object>> call(String method, Map<String, ?> parameters) {
				return CompletableFuture.supplyAsync(() -> ContractRecorder.nonNull(client.call(method, parameters)));
			}

			@Override
			public void close() {
				client.close();
			}

		};
	}

	@Override
	public void close() {
		FileSystemUtils.deleteRecursively(this.directory.toFile());
	}

}
