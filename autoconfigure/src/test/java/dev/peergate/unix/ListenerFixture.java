package dev.peergate.unix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.Evaluation;
import dev.peergate.core.Gate;
import dev.peergate.core.LogLimiter;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.Verdict;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.HandlerLimits;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;
import dev.peergate.unix.peer.PeerInspector;

import static org.assertj.core.api.Assertions.assertThat;

/** A running {@link UnixListener} over {@link TestHandlers}, recording verdicts and transport events. */
final class ListenerFixture implements AutoCloseable {

	final TestHandlers handlers = new TestHandlers();

	final ConcurrentLinkedQueue<Verdict> verdicts = new ConcurrentLinkedQueue<>();

	final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

	/** Threads verdicts were reported on. */
	final ConcurrentLinkedQueue<Thread> reportingThreads = new ConcurrentLinkedQueue<>();

	/** Verdict reporting waits for this latch: tests hold it to see what waits for the report. */
	volatile CountDownLatch reporting = new CountDownLatch(0);

	final Path socket;

	final UnixListener listener;

	final Dispatcher dispatcher;

	ListenerFixture(UnixListenerOptions options, PeerRequirement requirement, Duration handlerTimeout) throws Exception {
		this(options, requirement, handlerTimeout, null);
	}

	ListenerFixture(UnixListenerOptions options, PeerRequirement requirement, Duration handlerTimeout,
			PeerInspector inspector) throws Exception {
		this(options, requirement, HandlerLimits.timeoutOnly(handlerTimeout), inspector);
	}

	ListenerFixture(UnixListenerOptions options, PeerRequirement requirement, HandlerLimits limits,
			PeerInspector inspector) throws Exception {
		this("test", options, requirement, limits, inspector, List.of());
	}

	/**
	 * A listener called {@code name} that serves {@code moreHandlers} besides {@link TestHandlers}; if it cannot
	 * start, the exception is thrown and nothing is left running.
	 */
	ListenerFixture(String name, UnixListenerOptions options, PeerRequirement requirement, HandlerLimits limits,
			PeerInspector inspector, List<Object> moreHandlers) throws Exception {
		this.socket = options.path();
		TransportEvents recorder = new TransportEvents() {

			@Override
			public void protocolError(String listener, String kind) {
				ListenerFixture.this.events.add("protocol:" + kind);
			}

			@Override
			public void limitExceeded(String listener, String limit) {
				ListenerFixture.this.events.add("limit:" + limit);
			}

		};
		// the transport and the dispatcher report to the same place, as the auto-configuration wires them
		List<Object> served = new ArrayList<>(moreHandlers);
		served.add(0, this.handlers);
		this.dispatcher = new Dispatcher(MethodRegistry.of(served), HandlerExecutor.platform(16, 64),
				limits, CallObserver.none(), new LogLimiter(Duration.ofMinutes(1)), recorder);
		PeerInspector effective = (inspector != null) ? inspector : new LinuxPeerInspector(new ExecutableDigests(16));
		Gate gate = new Gate(name, effective.mechanism(), requirement, verdict -> {
			this.reportingThreads.add(Thread.currentThread());
			try {
				this.reporting.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.verdicts.add(verdict);
		});
		this.listener = new UnixListener(name, options, gate, this.dispatcher, recorder, effective);
		try {
			this.listener.start();
		}
		catch (Exception | Error ex) {
			this.dispatcher.close();
			throw ex;
		}
	}

	static ListenerFixture anyPeer(Path socket) throws Exception {
		return requiring(socket, PeerRequirement.anyPeer());
	}

	/** A listener with default options and the given requirement. */
	static ListenerFixture requiring(Path socket, PeerRequirement requirement) throws Exception {
		return new ListenerFixture(UnixListenerOptions.defaults(socket), requirement, Duration.ofSeconds(10));
	}

	static PeerRequirement uidIs(long uid) {
		return PeerRequirement.of("uid = " + uid,
				peer -> (peer.uid() == uid) ? Evaluation.satisfied("uid " + uid)
						: Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED,
								"uid: expected " + uid + ", peer has " + peer.uid()));
	}

	/** A requirement evaluated in memory, as the requirement languages' are, that records the thread it ran on. */
	static PeerRequirement inMemoryRecordingThread(ConcurrentLinkedQueue<Thread> threads) {
		return recordingThread(threads, true);
	}

	/** A requirement of code Peergate does not know, that records the thread it ran on. */
	static PeerRequirement opaqueRecordingThread(ConcurrentLinkedQueue<Thread> threads) {
		return recordingThread(threads, false);
	}

	private static PeerRequirement recordingThread(ConcurrentLinkedQueue<Thread> threads, boolean inMemory) {
		return new PeerRequirement() {

			@Override
			public Evaluation evaluate(PeerCredentials peer) {
				threads.add(Thread.currentThread());
				return Evaluation.satisfied("any uid");
			}

			@Override
			public String describe() {
				return "records its thread";
			}

			@Override
			public Optional<Set<String>> neededFacts() {
				return Optional.of(Set.of("uid"));
			}

			@Override
			public boolean evaluatesInMemory() {
				return inMemory;
			}

		};
	}

	/** A requirement on one fact that fails closed when the fact is unverified or absent. */
	static PeerRequirement factIs(String name, Object expected) {
		return PeerRequirement.of(name + " = " + expected, peer -> {
			if (peer.facts().isUnverified(name)) {
				return Evaluation.unsatisfied(Reason.FACT_UNVERIFIED,
						name + " is unverified: " + peer.facts().unverifiedReason(name));
			}
			Object actual = peer.facts().get(name).orElse(null);
			return expected.equals(actual) ? Evaluation.satisfied(name + " = " + expected)
					: Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED,
							name + ": expected " + expected + ", peer has " + actual);
		});
	}

	VarlinkTestClient connect() {
		return VarlinkTestClient.connect(this.socket);
	}

	/** A fresh, well-behaved client gets its echo answered. */
	void assertServesWellBehavedClient() {
		try (VarlinkTestClient client = connect()) {
			assertEchoes(client, "still fine");
		}
		catch (RuntimeException ex) {
			throw new AssertionError("well-behaved client not served; verdicts " + this.verdicts + ", events "
					+ this.events, ex);
		}
	}

	static void assertEchoes(VarlinkTestClient client, String text) {
		Map<String, Object> reply = client.call("dev.peergate.test.Echo", Map.of("text", text));
		assertThat(reply).containsEntry("parameters", Map.of("text", text)).doesNotContainKey("error");
	}

	@Override
	public void close() {
		this.listener.stop(Duration.ofSeconds(2));
		this.dispatcher.close();
	}

}
