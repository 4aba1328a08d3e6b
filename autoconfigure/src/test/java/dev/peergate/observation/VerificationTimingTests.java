package dev.peergate.observation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.Mechanism;
import dev.peergate.core.Outcome;
import dev.peergate.core.Peer;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A verification observation records what its name says: the time from the transport's capture to the verdict. */
class VerificationTimingTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ObservationVerdictSink sink = new ObservationVerdictSink(registry(), null);

	private ObservationRegistry registry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new PeergateMeterObservationHandler(this.meters, false));
		return registry;
	}

	@Test
	void recordsTheVerificationTheTransportTimed() {
		this.sink.accept(verdict(Duration.ofMillis(30)));
		assertThat(this.meters.get("peergate.peer.verification").timer().totalTime(TimeUnit.MILLISECONDS))
			.isEqualTo(30.0);
	}

	@Test
	void recordsTheObservationsOwnDurationWhenTheTransportDidNotTimeIt() {
		long started = System.nanoTime();
		this.sink.accept(verdict(Duration.ZERO));
		long elapsed = System.nanoTime() - started;
		// the observation's own time: more than nothing, and within the report that ran it (however long a busy
		// machine made that)
		assertThat(this.meters.get("peergate.peer.verification").timer().totalTime(TimeUnit.NANOSECONDS))
			.isPositive()
			.isLessThanOrEqualTo((double) elapsed);
		assertThat(this.meters.get("peergate.peer.verification").timer().count()).isEqualTo(1);
	}

	private static Verdict verdict(Duration verification) {
		Peer peer = new Peer("helper", "unix", 1000, 1000, List.of(), Map.of(), 4242);
		return new Verdict(Outcome.ACCEPTED, Mechanism.PIDFD, Reason.SATISFIED, "ok", peer, "helper", Instant.now(),
				verification);
	}

}
