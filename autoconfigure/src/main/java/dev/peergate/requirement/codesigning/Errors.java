package dev.peergate.requirement.codesigning;

import org.jspecify.annotations.Nullable;

import dev.peergate.requirement.InvalidRequirementException;

/** Builds {@link InvalidRequirementException}s with an excerpt of the offending line and a caret under it. */
final class Errors {

	private static final int MAX_EXCERPT = 120;

	private Errors() {
	}

	static InvalidRequirementException at(String input, int line, int column, String problem,
			@Nullable String expected, @Nullable String hint) {
		return new InvalidRequirementException(null, line, column, problem, expected, hint,
				excerpt(input, line, column));
	}

	static String excerpt(String input, int line, int column) {
		int start = 0;
		for (int i = 1; i < line; i++) {
			int newline = input.indexOf('\n', start);
			if (newline < 0) {
				break;
			}
			start = newline + 1;
		}
		int end = input.indexOf('\n', start);
		String text = input.substring(start, (end < 0) ? input.length() : end);
		int caret = Math.max(0, column - 1);
		// Keep the excerpt short around the caret for long one-line requirements.
		int from = 0;
		if (text.length() > MAX_EXCERPT) {
			from = Math.max(0, Math.min(caret - MAX_EXCERPT / 2, text.length() - MAX_EXCERPT));
			text = text.substring(from, Math.min(text.length(), from + MAX_EXCERPT));
		}
		StringBuilder shown = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			shown.append((c == '\t' || c == '\r' || Character.isISOControl(c)) ? ' ' : c);
		}
		return shown + "\n" + " ".repeat(Math.max(0, caret - from)) + "^";
	}

}
