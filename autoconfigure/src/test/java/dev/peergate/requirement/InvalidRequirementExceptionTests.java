package dev.peergate.requirement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message of a requirement error: property path, position, problem, expectation, hint and excerpt, each only
 * when known.
 */
class InvalidRequirementExceptionTests {

	@Test
	void leavesOutThePositionOfAnErrorThatHasNone() {
		InvalidRequirementException ex = new InvalidRequirementException("requirement.linux.uid", 0, 0,
				"value -1 is out of range", "a uid", null, null);
		assertThat(ex).hasMessage("requirement.linux.uid: value -1 is out of range; expected a uid");
		assertThat(ex.expected()).isEqualTo("a uid");
	}

	@Test
	void writesEveryPartThatIsKnown() {
		InvalidRequirementException ex = new InvalidRequirementException(null, 1, 12, "unexpected '1ABC'", "a value",
				"quote it", "identifier 1ABC\n           ^");
		assertThat(ex).hasMessage("line 1, column 12: unexpected '1ABC'; expected a value (hint: quote it)"
				+ System.lineSeparator() + "identifier 1ABC\n           ^");
	}

	@Test
	void attributesTheSameErrorToAProperty() {
		InvalidRequirementException ex = new InvalidRequirementException(null, 2, 3, "unexpected 'x'", "a value",
				"quote it", "x\n  ^");
		InvalidRequirementException atProperty = ex.atProperty("peergate.listeners.helper.requirement.code-signing");
		assertThat(atProperty.propertyPath()).isEqualTo("peergate.listeners.helper.requirement.code-signing");
		assertThat(atProperty).hasMessage("peergate.listeners.helper.requirement.code-signing: " + ex.getMessage());
		assertThat(atProperty.line()).isEqualTo(2);
		assertThat(atProperty.column()).isEqualTo(3);
		assertThat(atProperty.problem()).isEqualTo("unexpected 'x'");
		assertThat(atProperty.expected()).isEqualTo("a value");
		assertThat(atProperty.hint()).isEqualTo("quote it");
		assertThat(atProperty.excerpt()).isEqualTo("x\n  ^");
	}

}
