package dev.peergate.requirement;

import org.jspecify.annotations.Nullable;

/**
 * A requirement that cannot be used: a syntax error in a code-signing requirement, an unknown fact or operator
 * in a fact dictionary. Carries what a user needs to fix it: where (property path, line and column), what was
 * found and what was expected. The Spring layer's failure analyzer prints it.
 *
 * <pre>{@code
 * try { CodeRequirements.parse(text); }
 * catch (InvalidRequirementException ex) { System.err.println(ex.getMessage()); }
 * }</pre>
 */
public class InvalidRequirementException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final @Nullable String propertyPath;

	private final int line;

	private final int column;

	private final String problem;

	private final @Nullable String expected;

	private final @Nullable String hint;

	private final @Nullable String excerpt;

	/**
	 * A requirement error.
	 * @param propertyPath where it was configured, e.g. {@code peergate.listeners.helper.requirement.linux.uid.$in[2]};
	 * {@code null} when unknown
	 * @param line 1-based line in the requirement text, 0 when not applicable
	 * @param column 1-based column, 0 when not applicable
	 * @param problem what is wrong, e.g. {@code unexpected token '1ABC'}
	 * @param expected what would have been valid, or {@code null}
	 * @param hint a suggestion, e.g. {@code quote the team identifier: "1ABC..."}, or {@code null}
	 * @param excerpt the offending line with a caret line under it, or {@code null}
	 */
	public InvalidRequirementException(@Nullable String propertyPath, int line, int column, String problem,
			@Nullable String expected, @Nullable String hint, @Nullable String excerpt) {
		super(format(propertyPath, line, column, problem, expected, hint, excerpt));
		this.propertyPath = propertyPath;
		this.line = line;
		this.column = column;
		this.problem = problem;
		this.expected = expected;
		this.hint = hint;
		this.excerpt = excerpt;
	}

	/** The same error attributed to a configuration property. */
	public InvalidRequirementException atProperty(String path) {
		return new InvalidRequirementException(path, this.line, this.column, this.problem, this.expected, this.hint,
				this.excerpt);
	}

	/** Property path, or {@code null}. */
	public @Nullable String propertyPath() {
		return this.propertyPath;
	}

	/** 1-based line, 0 when not applicable. */
	public int line() {
		return this.line;
	}

	/** 1-based column, 0 when not applicable. */
	public int column() {
		return this.column;
	}

	/** What is wrong. */
	public String problem() {
		return this.problem;
	}

	/** What was expected, or {@code null}. */
	public @Nullable String expected() {
		return this.expected;
	}

	/** A suggestion, or {@code null}. */
	public @Nullable String hint() {
		return this.hint;
	}

	/** The offending line and a caret line, or {@code null}. */
	public @Nullable String excerpt() {
		return this.excerpt;
	}

	private static String format(@Nullable String propertyPath, int line, int column, String problem,
			@Nullable String expected, @Nullable String hint, @Nullable String excerpt) {
		StringBuilder message = new StringBuilder();
		if (propertyPath != null) {
			message.append(propertyPath).append(": ");
		}
		if (line > 0) {
			message.append("line ").append(line).append(", column ").append(column).append(": ");
		}
		message.append(problem);
		if (expected != null) {
			message.append("; expected ").append(expected);
		}
		if (hint != null) {
			message.append(" (hint: ").append(hint).append(')');
		}
		if (excerpt != null) {
			message.append(System.lineSeparator()).append(excerpt);
		}
		return message.toString();
	}

}
