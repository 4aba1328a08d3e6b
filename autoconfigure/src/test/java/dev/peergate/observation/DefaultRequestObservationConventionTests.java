package dev.peergate.observation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.Peer;
import dev.peergate.handler.CallContext;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultRequestObservationConventionTests {

	private static final String SERVED = "com.example.helper.Status";

	private final DefaultRequestObservationConvention convention = new DefaultRequestObservationConvention(
			SERVED::equals);

	private final CallContext call = new CallContext("helper", "unix",
			new Peer("helper", "unix", 1000, 1000, List.of(), Map.of("user", "alice"), 4242));

	@Test
	void tagsAServedMethodWithItsInterfaceAndOutcome() {
		RequestObservationContext context = new RequestObservationContext(this.call, SERVED);
		context.outcome("success");
		assertThat(tags(this.convention.getLowCardinalityKeyValues(context))).containsEntry("listener", "helper")
			.containsEntry("transport", "unix")
			.containsEntry("interface", "com.example.helper")
			.containsEntry("method", SERVED)
			.containsEntry("outcome", "success");
	}

	@Test
	void tagsAMethodThatIsNotServedAsUnknown() {
		RequestObservationContext context = new RequestObservationContext(this.call, "org.attacker.Random123");
		assertThat(tags(this.convention.getLowCardinalityKeyValues(context))).containsEntry("interface", "UNKNOWN")
			.containsEntry("method", "UNKNOWN");
	}

	@Test
	void buildsTheTagsOfAServedMethodOncePerOutcome() {
		RequestObservationContext first = new RequestObservationContext(this.call, SERVED);
		RequestObservationContext second = new RequestObservationContext(this.call, SERVED);
		KeyValues started = this.convention.getLowCardinalityKeyValues(first);
		assertThat(this.convention.getLowCardinalityKeyValues(second)).isSameAs(started);
		second.outcome("success");
		assertThat(tags(this.convention.getLowCardinalityKeyValues(second))).containsEntry("outcome", "success");
		assertThat(tags(this.convention.getLowCardinalityKeyValues(first))).containsEntry("outcome", "unknown");
	}

	@Test
	void buildsThePeerTagsOncePerConnection() {
		RequestObservationContext first = new RequestObservationContext(this.call, SERVED);
		RequestObservationContext second = new RequestObservationContext(this.call, SERVED);
		KeyValues peer = this.convention.getHighCardinalityKeyValues(first);
		assertThat(this.convention.getHighCardinalityKeyValues(second)).isSameAs(peer);
		assertThat(tags(peer)).containsEntry("peer.uid", "1000").containsEntry("peer.pid", "4242");
	}

	@Test
	void asksWhetherAMethodIsServedOncePerServedMethodButEveryTimeForOthers() {
		AtomicInteger asked = new AtomicInteger();
		DefaultRequestObservationConvention counting = new DefaultRequestObservationConvention(method -> {
			asked.incrementAndGet();
			return SERVED.equals(method);
		});
		for (int i = 0; i < 3; i++) {
			assertThat(counting.getContextualName(new RequestObservationContext(this.call, SERVED))).isEqualTo(SERVED);
		}
		assertThat(asked).hasValue(1);
		for (int i = 0; i < 2; i++) {
			assertThat(counting.getContextualName(new RequestObservationContext(this.call, "org.attacker.Random")))
				.isEqualTo("peergate request");
		}
		assertThat(asked).hasValue(3); // never remembered: a peer could fill the cache with invented names
	}

	private static Map<String, String> tags(KeyValues keyValues) {
		return keyValues.stream().collect(java.util.stream.Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
	}

}
