package dev.peergate.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** Every transition of the one listener lifecycle, with an endpoint that records what it was asked to do. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ListenerLifecycleTests {

	private final List<String> steps = new CopyOnWriteArrayList<>();

	private final ListenerLifecycle lifecycle = new ListenerLifecycle("helper");

	@Test
	void startsFromNewThroughStartingToRunning() throws Exception {
		this.lifecycle.start(recording(() -> this.steps.add("open while " + this.lifecycle.state().tag())));
		assertThat(this.steps).containsExactly("open while starting");
		assertThat(this.lifecycle.state()).isEqualTo(ListenerState.RUNNING);
		assertThat(this.lifecycle.accepting()).isTrue();
	}

	@Test
	void servesPeersWhileStartingButNotBeforeNorAfter() throws Exception {
		assertThat(this.lifecycle.accepting()).isFalse();
		this.lifecycle.start(recording(() -> this.steps.add("accepting " + this.lifecycle.accepting())));
		assertThat(this.steps).containsExactly("accepting true");
		this.lifecycle.stop(Duration.ZERO);
		assertThat(this.lifecycle.accepting()).isFalse();
	}

	@Test
	void aStartThatFailsReleasesTheEndpointAndSaysWhy() {
		Exception failure = new java.io.IOException("socket path is a directory");
		assertThat(thrownByStart(recording(() -> {
			throw failure;
		}))).isSameAs(failure);
		assertThat(this.lifecycle.state()).isEqualTo(ListenerState.FAILED);
		assertThat(this.lifecycle.failure()).contains("socket path is a directory");
		assertThat(this.steps).containsExactly("release");
	}

	@Test
	void aStartFailureWithoutAMessageIsStillNamed() {
		assertThat(thrownByStart(recording(() -> {
			throw new IllegalStateException();
		}))).isInstanceOf(IllegalStateException.class);
		assertThat(this.lifecycle.failure()).contains("java.lang.IllegalStateException");
	}

	@Test
	void startsOnlyFromNew() throws Exception {
		this.lifecycle.start(recording(() -> {
		}));
		assertThatIllegalStateException().isThrownBy(() -> this.lifecycle.start(recording(() -> {
		}))).withMessage("Listener 'helper' is running, not new");
		this.lifecycle.stop(Duration.ZERO);
		assertThatIllegalStateException().isThrownBy(() -> this.lifecycle.start(recording(() -> {
		}))).withMessage("Listener 'helper' is stopped, not new");
	}

	@Test
	void stopsFromRunningInOrderAndSummarizes() throws Exception {
		this.lifecycle.start(recording(() -> {
		}));
		this.lifecycle.connectionAccepted(peer(1000), null, () -> {
		});
		this.lifecycle.stop(Duration.ofSeconds(5));
		assertThat(this.steps).containsExactly("stop accepting", "cut calls", "release");
		assertThat(this.lifecycle.state()).isEqualTo(ListenerState.STOPPED);
		DrainSummary drain = this.lifecycle.lastDrain().orElseThrow();
		assertThat(drain.connections()).isEqualTo(2); // the recording endpoint reports two open connections
		assertThat(drain.callsInFlight()).isZero();
		assertThat(drain.callsCut()).isZero();
	}

	@Test
	void stopFromNewGoesStraightToStoppedWithoutTouchingAnEndpoint() {
		this.lifecycle.stop(Duration.ofSeconds(5));
		assertThat(this.lifecycle.state()).isEqualTo(ListenerState.STOPPED);
		assertThat(this.lifecycle.lastDrain()).isEmpty();
		assertThat(this.steps).isEmpty();
	}

	@Test
	void aSecondStopDoesNothing() throws Exception {
		this.lifecycle.start(recording(() -> {
		}));
		this.lifecycle.stop(Duration.ZERO);
		this.steps.clear();
		this.lifecycle.stop(Duration.ZERO);
		assertThat(this.steps).isEmpty();
		assertThat(this.lifecycle.state()).isEqualTo(ListenerState.STOPPED);
	}

	@Test
	void aFailureWhileRunningIsReportedOnceAndStopThenOnlyReleases() throws Exception {
		List<String> failures = new CopyOnWriteArrayList<>();
		this.lifecycle.whenFailed(failures::add);
		this.lifecycle.start(recording(() -> {
		}));
		this.lifecycle.fail("libxpc invalidated the listener");
		this.lifecycle.fail("again");
		assertThat(failures).containsExactly("libxpc invalidated the listener");
		assertThat(this.lifecycle.state()).isEqualTo(ListenerState.FAILED);
		assertThat(this.lifecycle.accepting()).isFalse();
		this.lifecycle.stop(Duration.ofSeconds(5));
		assertThat(this.steps).containsExactly("release");
		assertThat(this.lifecycle.state()).isEqualTo(ListenerState.FAILED);
		assertThat(this.lifecycle.failure()).contains("libxpc invalidated the listener");
	}

	@Test
	void aFailureAfterTheStopIsIgnored() throws Exception {
		this.lifecycle.start(recording(() -> {
		}));
		this.lifecycle.stop(Duration.ZERO);
		this.lifecycle.fail("late");
		assertThat(this.lifecycle.state()).isEqualTo(ListenerState.STOPPED);
		assertThat(this.lifecycle.failure()).isEmpty();
	}

	@Test
	void theDrainEndsWhenTheLastCallEndsNotAtTheTimeout() throws Exception {
		this.lifecycle.start(recording(() -> {
		}));
		this.lifecycle.callStarted();
		this.lifecycle.callStarted();
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> this.lifecycle.stop(Duration.ofMinutes(5)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.lifecycle.state() == ListenerState.STOPPING);
		this.lifecycle.refusedWhileStopping();
		this.lifecycle.callEnded();
		assertThat(stopping).isNotDone();
		this.lifecycle.callEnded();
		stopping.get(10, TimeUnit.SECONDS);
		DrainSummary drain = this.lifecycle.lastDrain().orElseThrow();
		assertThat(drain.callsInFlight()).isEqualTo(2);
		assertThat(drain.callsCut()).isZero();
		assertThat(drain.callsRefused()).isEqualTo(1);
		assertThat(drain.took()).isLessThan(Duration.ofMinutes(1));
	}

	@Test
	void callsLeftAtTheDrainTimeoutAreCountedAsCut() throws Exception {
		this.lifecycle.start(recording(() -> {
		}));
		this.lifecycle.callStarted();
		this.lifecycle.stop(Duration.ofMillis(50));
		assertThat(this.lifecycle.lastDrain().orElseThrow().callsCut()).isEqualTo(1);
		assertThat(this.steps).containsExactly("stop accepting", "cut calls", "release");
	}

	@Test
	void countsAcceptedConnectionsAndCallsInFlight() {
		LiveConnection first = this.lifecycle.connectionAccepted(peer(1000), null, () -> {
		});
		LiveConnection second = this.lifecycle.connectionAccepted(peer(1001), null, () -> {
		});
		this.lifecycle.acceptedConnectionClosed(first);
		this.lifecycle.acceptedConnectionClosed(first);
		second.callStarted();
		second.callStarted();
		second.callStarted();
		second.callsEnded(2);
		assertThat(this.lifecycle.activeConnections()).isEqualTo(1);
		assertThat(this.lifecycle.callsInFlight()).isEqualTo(1);
	}

	@Test
	void keepsAnInventoryOfTheAcceptedConnectionsWithTheirCalls() {
		LiveConnection.Bytes bytes = new LiveConnection.Bytes() {

			@Override
			public long read() {
				return 40;
			}

			@Override
			public long written() {
				return 60;
			}

		};
		LiveConnection alice = this.lifecycle.connectionAccepted(peer(1000), bytes, () -> {
		});
		this.lifecycle.connectionAccepted(peer(1001), null, () -> {
		});
		alice.callStarted();
		alice.callStarted();
		alice.callsEnded(1);
		assertThat(this.lifecycle.connections()).satisfiesExactly((first) -> {
			assertThat(first.id()).isEqualTo(alice.id());
			assertThat(first.peer().uid()).isEqualTo(1000);
			assertThat(first.callsServed()).isEqualTo(1);
			assertThat(first.callsInFlight()).isEqualTo(1);
			assertThat(first.bytesRead()).isEqualTo(40);
			assertThat(first.bytesWritten()).isEqualTo(60);
		}, (second) -> {
			assertThat(second.peer().uid()).isEqualTo(1001);
			assertThat(second.callsServed()).isZero();
			assertThat(second.bytesRead()).isNull();
			assertThat(second.bytesWritten()).isNull();
			assertThat(second.since()).isAfterOrEqualTo(this.lifecycle.connections().get(0).since());
		});
		this.lifecycle.acceptedConnectionClosed(alice);
		assertThat(this.lifecycle.connections()).extracting((info) -> info.peer().uid()).containsExactly(1001L);
	}

	@Test
	void disconnectsByIdThroughTheTransportAndSaysWhetherItFoundTheConnection() {
		LiveConnection connection = this.lifecycle.connectionAccepted(peer(1000), null,
				() -> this.steps.add("disconnect"));
		assertThat(this.lifecycle.disconnect(connection.id())).isTrue();
		assertThat(this.steps).containsExactly("disconnect");
		assertThat(this.lifecycle.disconnect("no-such-id")).isFalse();
		assertThat(this.steps).containsExactly("disconnect");
	}

	private static Peer peer(long uid) {
		return new Peer("helper", "in-process", uid, uid, List.of(), java.util.Map.of("uid", uid), -1);
	}

	private Throwable thrownByStart(ListenerLifecycle.Endpoint endpoint) {
		try {
			this.lifecycle.start(endpoint);
		}
		catch (Exception ex) {
			return ex;
		}
		throw new AssertionError("start did not fail");
	}

	private ListenerLifecycle.Endpoint recording(Opening opening) {
		return new ListenerLifecycle.Endpoint() {

			@Override
			public void open() throws Exception {
				opening.open();
			}

			@Override
			public void stopAccepting() {
				ListenerLifecycleTests.this.steps.add("stop accepting");
			}

			@Override
			public void cutCalls(long deadline) {
				ListenerLifecycleTests.this.steps.add("cut calls");
			}

			@Override
			public void release() {
				ListenerLifecycleTests.this.steps.add("release");
			}

			@Override
			public int openConnections() {
				return 2;
			}

		};
	}

	@FunctionalInterface
	interface Opening {

		void open() throws Exception;

	}

}
