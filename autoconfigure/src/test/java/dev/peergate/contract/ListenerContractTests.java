package dev.peergate.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.peergate.core.ConnectionInfo;
import dev.peergate.core.DrainSummary;
import dev.peergate.core.FactNames;
import dev.peergate.core.ListenerState;
import dev.peergate.core.LogLimiter;
import dev.peergate.core.PeerListener;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.HandlerLimits;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The lifecycle, the drain, the connection inventory and limit reporting, the same on every transport: Unix sockets, XPC (on the libxpc ABI
 * simulator) and in-process. Each test runs once per transport against a real listener and real clients.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerContractTests {

	private final ContractRecorder recorder = new ContractRecorder();

	private final ContractHandlers handlers = new ContractHandlers();

	static Stream<Arguments> transports() {
		return Stream.of(transport("unix", UnixHarness::create), transport("xpc", XpcHarness::new),
				transport("in-process", InProcessHarness::new));
	}

	private static Arguments transport(String name, HarnessFactory factory) {
		return Arguments.of(Named.of(name, factory));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("transports")
	void goesFromNewThroughRunningToStoppedAndStartsOnlyOnce(HarnessFactory factory) throws Exception {
		try (TransportHarness harness = factory.create(this.recorder)) {
			PeerListener listener = harness.create("contract", dispatcher(Duration.ofSeconds(30)));
			assertThat(listener.state()).isEqualTo(ListenerState.NEW);
			listener.start();
			assertThat(listener.state()).isEqualTo(ListenerState.RUNNING);
			try (TransportHarness.Client client = harness.connect()) {
				assertThat(client.call("dev.peergate.contract.Echo", Map.of("text", "hi")).join())
					.containsEntry("text", "hi");
			}
			assertThatIllegalStateException().isThrownBy(listener::start).withMessageContaining("not new");
			listener.stop(Duration.ofSeconds(1));
			assertThat(listener.state()).isEqualTo(ListenerState.STOPPED);
			listener.stop(Duration.ofSeconds(1));
			assertThat(listener.state()).isEqualTo(ListenerState.STOPPED);
			assertThatIllegalStateException().isThrownBy(listener::start).withMessageContaining("is stopped");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("transports")
	void stopsStraightFromNewAndCannotStartAfterwards(HarnessFactory factory) throws Exception {
		try (TransportHarness harness = factory.create(this.recorder)) {
			PeerListener listener = harness.create("contract", dispatcher(Duration.ofSeconds(30)));
			listener.stop(Duration.ofSeconds(1));
			assertThat(listener.state()).isEqualTo(ListenerState.STOPPED);
			assertThat(listener.lastDrain()).isEmpty();
			assertThatIllegalStateException().isThrownBy(listener::start);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("transports")
	void letsCallsInFlightFinishWithinTheDrainAndRefusesNewOnesMeanwhile(HarnessFactory factory) throws Exception {
		try (TransportHarness harness = factory.create(this.recorder)) {
			PeerListener listener = harness.create("contract", dispatcher(Duration.ofSeconds(30)));
			listener.start();
			try (TransportHarness.Client held = harness.connect(); TransportHarness.Client other = harness.connect()) {
				assertThat(other.call("dev.peergate.contract.Echo", Map.of("text", "before")).join())
					.containsEntry("text", "before");
				CompletableFuture<Map<String, Object>> holding = held.call("dev.peergate.contract.Hold",
						Map.of("text", "held"));
				await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.holding.get() == 1);
				CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> listener.stop(Duration.ofSeconds(20)));
				await().atMost(Duration.ofSeconds(10)).until(() -> listener.state() == ListenerState.STOPPING);
				assertThat(errorOf(other.call("dev.peergate.contract.Echo", Map.of("text", "during"))))
					.isEqualTo(StandardErrors.SHUTTING_DOWN);
				this.handlers.release.countDown();
				assertThat(holding.join()).containsEntry("text", "held");
				stopping.get(30, TimeUnit.SECONDS);
			}
			assertThat(listener.state()).isEqualTo(ListenerState.STOPPED);
			DrainSummary drain = listener.lastDrain().orElseThrow();
			assertThat(drain.callsInFlight()).isEqualTo(1);
			assertThat(drain.callsCut()).isZero();
			assertThat(drain.callsRefused()).isEqualTo(1);
			assertThat(drain.connections()).isEqualTo(2);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("transports")
	void answersCallsStillRunningAfterTheDrainShuttingDown(HarnessFactory factory) throws Exception {
		try (TransportHarness harness = factory.create(this.recorder)) {
			PeerListener listener = harness.create("contract", dispatcher(Duration.ofSeconds(30)));
			listener.start();
			try (TransportHarness.Client client = harness.connect()) {
				CompletableFuture<Map<String, Object>> holding = client.call("dev.peergate.contract.Hold",
						Map.of("text", "held"));
				await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.holding.get() == 1);
				listener.stop(Duration.ofMillis(200));
				assertThat(errorOf(holding)).isEqualTo(StandardErrors.SHUTTING_DOWN);
			}
			finally {
				this.handlers.release.countDown();
			}
			DrainSummary drain = listener.lastDrain().orElseThrow();
			assertThat(drain.callsInFlight()).isEqualTo(1);
			assertThat(drain.callsCut()).isEqualTo(1);
			assertThat(listener.state()).isEqualTo(ListenerState.STOPPED);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("transports")
	void reportsAHandlerTimeoutAsAnExceededLimitOfTheListener(HarnessFactory factory) throws Exception {
		try (TransportHarness harness = factory.create(this.recorder)) {
			PeerListener listener = harness.create("contract", dispatcher(Duration.ofMillis(200)));
			listener.start();
			try (TransportHarness.Client client = harness.connect()) {
				assertThat(errorOf(client.call("dev.peergate.contract.Sleep", Map.of("millis", 5_000))))
					.isEqualTo(StandardErrors.HANDLER_TIMEOUT);
				assertThat(this.recorder.limits).containsExactly("contract/handler-timeout");
				assertThat(errorOf(client.call("dev.peergate.contract.Nope", Map.of())))
					.isEqualTo(StandardErrors.METHOD_NOT_FOUND);
				assertThat(this.recorder.protocolErrors).containsExactly("contract/unknown-method");
			}
			finally {
				listener.stop(Duration.ofSeconds(1));
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("transports")
	void countsAcceptedConnectionsWhileTheyAreOpen(HarnessFactory factory) throws Exception {
		try (TransportHarness harness = factory.create(this.recorder)) {
			PeerListener listener = harness.create("contract", dispatcher(Duration.ofSeconds(30)));
			listener.start();
			try {
				TransportHarness.Client client = harness.connect();
				client.call("dev.peergate.contract.Echo", Map.of("text", "hi")).join();
				assertThat(listener.activeConnections()).isEqualTo(1);
				assertThat(this.recorder.verdicts).singleElement().satisfies((verdict) -> {
					assertThat(verdict.accepted()).isTrue();
					assertThat(verdict.listener()).isEqualTo("contract");
				});
				client.close();
				await().atMost(Duration.ofSeconds(10)).until(() -> listener.activeConnections() == 0);
			}
			finally {
				listener.stop(Duration.ofSeconds(1));
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("transports")
	void listsItsLiveConnectionsAndDisconnectsOneWhileServingTheOther(HarnessFactory factory) throws Exception {
		ExecutorService caller = Executors.newSingleThreadExecutor();
		try (TransportHarness harness = factory.create(this.recorder)) {
			PeerListener listener = harness.create("contract", dispatcher(Duration.ofSeconds(30)));
			listener.start();
			try (TransportHarness.Client kept = harness.connect(); TransportHarness.Client cut = harness.connect()) {
				echo(kept, "kept");
				echo(cut, "cut");
				Instant listed = Instant.now();
				// a call counts as served once its final reply is handed over, which may be just after the peer has it
				await().atMost(Duration.ofSeconds(10))
					.until(() -> listener.connections().stream().allMatch((connection) -> connection.callsServed() == 1));
				assertThat(listener.connections()).hasSize(2).allSatisfy((connection) -> {
					assertThat(connection.peer().listener()).isEqualTo("contract");
					assertThat(connection.peer().facts()).containsKey(FactNames.UID);
					assertThat(connection.since()).isBeforeOrEqualTo(listed);
					assertThat(connection.callsServed()).isEqualTo(1);
					assertThat(connection.callsInFlight()).isZero();
					if (harness.countsBytes()) {
						assertThat(connection.bytesRead()).isPositive();
						assertThat(connection.bytesWritten()).isPositive();
					}
					else {
						assertThat(connection.bytesRead()).isNull();
						assertThat(connection.bytesWritten()).isNull();
					}
				});
				CompletableFuture<Map<String, Object>> holding = cut.call("dev.peergate.contract.Hold",
						Map.of("text", "held"));
				await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.holding.get() == 1);
				ConnectionInfo held = listener.connections()
					.stream()
					.filter((connection) -> connection.callsInFlight() == 1)
					.findFirst()
					.orElseThrow();
				AtomicBoolean calling = new AtomicBoolean(true);
				Future<Integer> served = caller.submit(() -> {
					int calls = 0;
					while (calling.get()) {
						echo(kept, "during " + calls++);
					}
					return calls;
				});

				assertThat(listener.disconnect(held.id())).isTrue();
				assertThat(errorOf(holding)).isEqualTo(StandardErrors.DISCONNECTED);
				await().atMost(Duration.ofSeconds(10)).until(() -> listener.activeConnections() == 1);
				calling.set(false);
				assertThat(served.get(20, TimeUnit.SECONDS)).as("calls served while the other was cut").isPositive();
				echo(kept, "after");
				assertThat(listener.connections()).singleElement()
					.satisfies((connection) -> assertThat(connection.id()).isNotEqualTo(held.id()));
				assertThat(listener.disconnect(held.id())).isFalse();
				assertThat(catchThrowable(() -> cut.call("dev.peergate.contract.Echo", Map.of("text", "gone"))
					.get(20, TimeUnit.SECONDS))).as("a call on the disconnected connection").isNotNull();
			}
			finally {
				this.handlers.release.countDown();
				listener.stop(Duration.ofSeconds(1));
			}
		}
		finally {
			caller.shutdownNow();
		}
	}

	private static void echo(TransportHarness.Client client, String text) {
		assertThat(client.call("dev.peergate.contract.Echo", Map.of("text", text)).join()).containsEntry("text", text);
	}

	private Dispatcher dispatcher(Duration timeout) {
		return new Dispatcher(MethodRegistry.of(java.util.List.of(this.handlers)), HandlerExecutor.platform(8, 64),
				new HandlerLimits(timeout, Duration.ofMinutes(30), 16), CallObserver.none(),
				new LogLimiter(Duration.ofMinutes(1)), this.recorder);
	}

	/** The error a call was answered with. */
	private static String errorOf(CompletableFuture<Map<String, Object>> call) {
		Throwable failure = catchThrowable(call::join);
		Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
		assertThat(cause).as("the call's failure").isInstanceOf(IpcError.class);
		return ((IpcError) cause).name();
	}

	@FunctionalInterface
	interface HarnessFactory {

		TransportHarness create(ContractRecorder recorder) throws Exception;

	}

}
