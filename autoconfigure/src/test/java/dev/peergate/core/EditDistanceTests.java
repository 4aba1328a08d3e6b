package dev.peergate.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Levenshtein distance for "did you mean" suggestions. */
class EditDistanceTests {

	@ParameterizedTest(name = "{0} -> {1}: {2}")
	@CsvSource(textBlock = """
			requirment, requirement, 1
			requirement, requirment, 1
			kitten, sitting, 3
			sitting, kitten, 3
			flaw, lawn, 2
			same, same, 0
			'', abc, 3
			abc, '', 3
			'', '', 0
			uid, gid, 1
			ab, ba, 2
			max-connections, max-conections, 1
			""")
	void countsInsertionsDeletionsAndSubstitutions(String a, String b, int distance) {
		assertThat(EditDistance.between(a, b)).isEqualTo(distance);
	}

	@Test
	void comparesWordsOfAHundredCharacters() {
		String hundred = "a".repeat(100);
		assertThat(EditDistance.between(hundred, "a".repeat(99) + "b")).isEqualTo(1);
		assertThat(EditDistance.between("b", hundred)).isEqualTo(100);
		assertThat(EditDistance.between(hundred, "b")).isEqualTo(100);
	}

	@Test
	void doesNotCompareLongerWords() {
		String long1 = "a".repeat(101);
		assertThat(EditDistance.between(long1, "a")).isEqualTo(Integer.MAX_VALUE);
		assertThat(EditDistance.between("a", long1)).isEqualTo(Integer.MAX_VALUE);
	}

}
