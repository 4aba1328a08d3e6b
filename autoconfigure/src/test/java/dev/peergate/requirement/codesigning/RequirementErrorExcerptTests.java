package dev.peergate.requirement.codesigning;

import org.junit.jupiter.api.Test;

import dev.peergate.requirement.InvalidRequirementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The excerpt of an error: the offending line, cut to 120 characters around the error when longer, and a caret
 * under the offending token.
 */
class RequirementErrorExcerptTests {

	private static InvalidRequirementException error(String text) {
		return catchThrowableOfType(InvalidRequirementException.class, () -> CodeRequirements.parse(text));
	}

	@Test
	void showsTheOffendingLineAfterALeadingBlankLine() {
		InvalidRequirementException ex = error("\nfoo");
		assertThat(ex.line()).isEqualTo(2);
		assertThat(ex.excerpt()).isEqualTo("foo\n^");
	}

	@Test
	void centresALongLineOnTheError() {
		String text = "info[k] = \"" + "a".repeat(150) + "\" and foo and info[j] = \"" + "b".repeat(150) + "\"";
		InvalidRequirementException ex = error(text);
		assertThat(ex.column()).isEqualTo(text.indexOf("foo") + 1);
		String[] excerpt = ex.excerpt().split("\n");
		assertThat(excerpt[0]).hasSize(120).isEqualTo(text.substring(text.indexOf("foo") - 60).substring(0, 120));
		assertThat(excerpt[1]).isEqualTo(" ".repeat(60) + "^");
	}

	@Test
	void showsTheLast120CharactersOfALongLineForAnErrorNearItsEnd() {
		String text = "info[k] = \"" + "a".repeat(200) + "\" foo";
		InvalidRequirementException ex = error(text);
		String[] excerpt = ex.excerpt().split("\n");
		assertThat(excerpt[0]).isEqualTo(text.substring(text.length() - 120));
		assertThat(excerpt[1]).isEqualTo(" ".repeat(117) + "^");
	}

	@Test
	void showsTheFirst120CharactersOfALongLineForAnErrorNearItsStart() {
		String text = "foo and info[k] = \"" + "a".repeat(200) + "\"";
		InvalidRequirementException ex = error(text);
		assertThat(ex.excerpt()).isEqualTo(text.substring(0, 120) + "\n^");
	}

}
