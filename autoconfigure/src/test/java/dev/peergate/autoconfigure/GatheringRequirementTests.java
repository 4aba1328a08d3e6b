package dev.peergate.autoconfigure;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The listener's requirement asks the inspector for the facts its methods read too, and decides alone. */
class GatheringRequirementTests {

	private final PeerRequirement listener = requiring("uid 0", Optional.of(Set.of("uid")), false);

	@Test
	void gathersTheFactsOfTheListenerAndEveryMethod() {
		PeerRequirement gathering = GatheringRequirement.of(this.listener, List.of(
				requiring("unit", Optional.of(Set.of("systemd-unit")), true),
				requiring("exe", Optional.of(Set.of("executable-path", "uid")), true)));
		assertThat(gathering.neededFacts()).contains(Set.of("uid", "systemd-unit", "executable-path"));
		assertThat(gathering.describe()).isEqualTo("uid 0");
		assertThat(gathering.evaluatesInMemory()).isFalse();
		assertThat(gathering.evaluate(PeerCredentials.builder("unix").uid(5).build()).satisfied()).isFalse();
	}

	@Test
	void gathersEverythingWhenAMethodReadsAnything() {
		PeerRequirement gathering = GatheringRequirement.of(this.listener,
				List.of(requiring("any", Optional.empty(), true)));
		assertThat(gathering.neededFacts()).isEmpty();
	}

	@Test
	void isTheListenersRequirementItselfWithoutMethods() {
		assertThat(GatheringRequirement.of(this.listener, List.of())).isSameAs(this.listener);
	}

	private static PeerRequirement requiring(String description, Optional<Set<String>> facts, boolean inMemory) {
		return new PeerRequirement() {

			@Override
			public Evaluation evaluate(PeerCredentials peer) {
				return (peer.uid() == 0) ? Evaluation.satisfied(description)
						: Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED, description);
			}

			@Override
			public String describe() {
				return description;
			}

			@Override
			public Optional<Set<String>> neededFacts() {
				return facts;
			}

			@Override
			public boolean evaluatesInMemory() {
				return inMemory;
			}

		};
	}

}
