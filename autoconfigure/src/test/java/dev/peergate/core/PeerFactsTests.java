package dev.peergate.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Named facts, verified with a value or unverified with a reason. */
class PeerFactsTests {

	@Test
	void givesTheValueOfAVerifiedFactOnly() {
		PeerFacts facts = PeerFacts.builder().verified("uid", 1000L).unverified("executable-path", "no pidfd").build();
		assertThat(facts.get("uid")).hasValue(1000L);
		assertThat(facts.get("executable-path")).isEmpty();
		assertThat(facts.get("systemd-unit")).isEmpty();
	}

	@Test
	void tellsWhyAFactIsUnverified() {
		PeerFacts facts = PeerFacts.builder().verified("uid", 1000L).unverified("executable-path", "no pidfd").build();
		assertThat(facts.isUnverified("executable-path")).isTrue();
		assertThat(facts.unverifiedReason("executable-path")).isEqualTo("no pidfd");
		assertThat(facts.isUnverified("uid")).isFalse();
		assertThat(facts.unverifiedReason("uid")).isNull();
		assertThat(facts.isUnverified("systemd-unit")).isFalse();
	}

	@Test
	void keepsTheLaterOfTwoStatementsAboutOneFact() {
		PeerFacts unverifiedLast = PeerFacts.builder().verified("user", "alice").unverified("user", "gone").build();
		assertThat(unverifiedLast.verified()).isEmpty();
		assertThat(unverifiedLast.unverified()).containsExactly(java.util.Map.entry("user", "gone"));
		PeerFacts verifiedLast = PeerFacts.builder().unverified("user", "gone").verified("user", "alice").build();
		assertThat(verifiedLast.verified()).containsExactly(java.util.Map.entry("user", "alice"));
		assertThat(verifiedLast.unverified()).isEmpty();
	}

	@Test
	void listsFactsInCaptureOrderReadOnly() {
		PeerFacts facts = PeerFacts.builder().verified("b", 2).verified("a", 1).unverified("d", "x").unverified("c", "y")
			.build();
		assertThat(facts.verified().keySet()).containsExactly("b", "a");
		assertThat(facts.unverified().keySet()).containsExactly("d", "c");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> facts.verified().put("e", 5));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> facts.unverified().put("e", "z"));
	}

	@Test
	void buildsNoFactsAsTheEmptyFacts() {
		assertThat(PeerFacts.builder().build()).isSameAs(PeerFacts.empty());
		assertThat(PeerFacts.builder().verified("a", 1).build()).isNotSameAs(PeerFacts.empty());
		assertThat(PeerFacts.builder().unverified("a", "x").build()).isNotSameAs(PeerFacts.empty());
	}

	@Test
	void extendsACopyWithoutChangingTheOriginal() {
		PeerFacts original = PeerFacts.builder().verified("uid", 1000L).unverified("executable-path", "no pidfd").build();
		PeerFacts extended = original.toBuilder().verified("user", "alice").build();
		assertThat(extended.verified()).containsOnlyKeys("uid", "user");
		assertThat(extended.unverified()).containsOnlyKeys("executable-path");
		assertThat(original.verified()).containsOnlyKeys("uid");
	}

	@Test
	void namesVerifiedFactsWithValuesAndUnverifiedOnesWithoutReasons() {
		assertThat(PeerFacts.builder().verified("uid", 1000L).unverified("executable-path", "secret reason").build())
			.hasToString("PeerFacts{uid=1000} unverified=[executable-path]");
		assertThat(PeerFacts.builder().verified("uid", 1000L).build()).hasToString("PeerFacts{uid=1000}");
	}

}
