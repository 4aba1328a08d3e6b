package dev.peergate.requirement.facts;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the two fact sets and the operator language tell about themselves: each fact's set and description, and
 * which operators compare numbers.
 */
class FactSetTests {

	@Test
	void eachFactBelongsToTheSetThatListsIt() {
		for (FactSet set : FactSet.values()) {
			assertThat(set.facts().values()).allSatisfy((fact) -> assertThat(fact.factSet()).isEqualTo(set));
		}
	}

	@Test
	void describesEachFactInOneLine() {
		assertThat(FactSet.LINUX.fact("uid").description()).isEqualTo("effective user id of the peer (SO_PEERCRED)");
		assertThat(FactSet.LIGHTWEIGHT.fact("cdhash").description()).isEqualTo("code-directory hash (data, 20 bytes)");
		for (FactSet set : FactSet.values()) {
			assertThat(set.facts().values()).allSatisfy((fact) -> assertThat(fact.description()).isNotBlank());
		}
	}

	@Test
	void onlyTheFourComparisonsAreOrdering() {
		Set<Operator> ordering = EnumSet.of(Operator.LT, Operator.LTE, Operator.GT, Operator.GTE);
		for (Operator operator : Operator.values()) {
			assertThat(operator.isOrdering()).as(operator.key()).isEqualTo(ordering.contains(operator));
		}
	}

}
