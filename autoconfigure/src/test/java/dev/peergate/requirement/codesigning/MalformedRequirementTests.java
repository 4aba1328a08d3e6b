package dev.peergate.requirement.codesigning;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.peergate.requirement.InvalidRequirementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Malformed requirements are rejected at the exact line and column of the offending token. */
class MalformedRequirementTests {

	record Case(int line, int column, String input) {

		@Override
		public String toString() {
			return this.line + ":" + this.column + " " + this.input.replace("\n", "⏎");
		}

	}

	static List<Case> malformed() {
		List<Case> cases = new ArrayList<>();
		for (String row : CorpusLoader.lines("malformed.txt")) {
			int tab = row.indexOf('\t');
			String[] position = row.substring(0, tab).split(":");
			cases.add(new Case(Integer.parseInt(position[0]), Integer.parseInt(position[1]),
					CorpusLoader.unescape(row.substring(tab + 1))));
		}
		return cases;
	}

	@Test
	void tableHoldsAtLeastFortyCases() {
		assertThat(malformed()).hasSizeGreaterThanOrEqualTo(40);
	}

	@ParameterizedTest
	@MethodSource("malformed")
	void reportsLineAndColumn(Case malformed) {
		InvalidRequirementException ex = catchThrowableOfType(() -> CodeRequirements.parseAny(malformed.input()),
				InvalidRequirementException.class);
		assertThat(ex).as("error for %s", malformed).isNotNull();
		assertThat(ex.line()).as(ex.getMessage()).isEqualTo(malformed.line());
		assertThat(ex.column()).as(ex.getMessage()).isEqualTo(malformed.column());
		assertThat(ex.excerpt()).as(ex.getMessage()).endsWith("^");
	}

}
