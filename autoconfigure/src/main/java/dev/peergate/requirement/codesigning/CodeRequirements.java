package dev.peergate.requirement.codesigning;

import dev.peergate.requirement.InvalidRequirementException;

/**
 * Entry point: parse code-signing requirement text (the language of {@code codesign -r}, {@code csreq} and
 * {@code SecRequirementCreateWithString}) into an immutable tree. Accepts the whole grammar of Apple's
 * {@code requirements.grammar}; reports errors with line, column, what was expected and an excerpt.
 *
 * <pre>{@code
 * CodeRequirement requirement = CodeRequirements.parse(
 *         "identifier \"com.example.helper\" and anchor apple generic and certificate leaf[subject.OU] = \"8XCUU22SN2\"");
 * requirement.canonical();
 * }</pre>
 */
public final class CodeRequirements {

	private CodeRequirements() {
	}

	/**
	 * Parses a single requirement.
	 * @param text the requirement
	 * @return the requirement
	 * @throws InvalidRequirementException if the text is not a single valid requirement
	 */
	public static CodeRequirement parse(String text) {
		return Parser.parseRequirement(text);
	}

	/**
	 * Parses a requirement set such as {@code designated => anchor apple; host => anchor apple generic}.
	 * @param text the requirement set
	 * @return the set
	 * @throws InvalidRequirementException if the text is not a valid requirement set
	 */
	public static RequirementSet parseSet(String text) {
		return Parser.parseSet(text);
	}

	/**
	 * Parses either, as Apple's {@code autosense} rule does: text starting with a requirement type followed by
	 * {@code =>} is a set.
	 * @param text the text
	 * @return a {@link CodeRequirement} or a {@link RequirementSet}
	 * @throws InvalidRequirementException if the text is neither
	 */
	public static ParsedRequirement parseAny(String text) {
		return Parser.parseAny(text);
	}

}
