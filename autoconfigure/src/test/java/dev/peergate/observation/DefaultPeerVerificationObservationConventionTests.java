package dev.peergate.observation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.peergate.core.Mechanism;
import dev.peergate.core.Outcome;
import dev.peergate.core.Peer;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultPeerVerificationObservationConventionTests {

	private final DefaultPeerVerificationObservationConvention convention = new DefaultPeerVerificationObservationConvention();

	@Test
	void tagsAVerdictWithListenerTransportMechanismOutcomeAndReason() {
		KeyValues tags = this.convention.getLowCardinalityKeyValues(context(Outcome.REJECTED,
				Reason.REQUIREMENT_NOT_SATISFIED, 4242));
		assertThat(tags(tags)).containsEntry("listener", "helper")
			.containsEntry("transport", "unix")
			.containsEntry("mechanism", Mechanism.PIDFD.tag())
			.containsEntry("outcome", Outcome.REJECTED.tag())
			.containsEntry("reason", Reason.REQUIREMENT_NOT_SATISFIED.tag());
	}

	@Test
	void buildsTheTagsOfEachCombinationOnceWhoeverThePeer() {
		KeyValues first = this.convention.getLowCardinalityKeyValues(context(Outcome.ACCEPTED,
				Reason.SATISFIED, 1));
		KeyValues second = this.convention.getLowCardinalityKeyValues(context(Outcome.ACCEPTED,
				Reason.SATISFIED, 2));
		KeyValues refused = this.convention.getLowCardinalityKeyValues(context(Outcome.REJECTED,
				Reason.REQUIREMENT_NOT_SATISFIED, 1));
		assertThat(second).isSameAs(first);
		assertThat(refused).isNotSameAs(first);
		assertThat(tags(refused)).containsEntry("outcome", Outcome.REJECTED.tag());
	}

	@Test
	void tagsEachPeerWithItsOwnIds() {
		KeyValues peer = this.convention.getHighCardinalityKeyValues(context(Outcome.ACCEPTED,
				Reason.SATISFIED, 4242));
		assertThat(tags(peer)).containsEntry("peer.uid", "1000").containsEntry("peer.pid", "4242");
	}

	private static PeerVerificationContext context(Outcome outcome, Reason reason, long pid) {
		Peer peer = new Peer("helper", "unix", 1000, 1000, List.of(), Map.of("user", "alice"), pid);
		return new PeerVerificationContext(new Verdict(outcome, Mechanism.PIDFD, reason, "explained", peer, "helper",
				Instant.EPOCH));
	}

	private static Map<String, String> tags(KeyValues keyValues) {
		return keyValues.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
	}

}
