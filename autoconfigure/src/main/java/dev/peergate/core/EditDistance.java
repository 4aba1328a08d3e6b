package dev.peergate.core;

/**
 * Levenshtein distance, for "did you mean" suggestions of misspelt settings, facts and operators.
 *
 * <pre>{@code
 * EditDistance.between("requirment", "requirement");   // 1
 * }</pre>
 */
public final class EditDistance {

	/** Words longer than this are not compared (the cost is quadratic, and no setting is that long). */
	private static final int MAX_LENGTH = 100;

	private EditDistance() {
	}

	/** Insertions, deletions and substitutions that turn {@code a} into {@code b}; {@link Integer#MAX_VALUE} for very long words. */
	public static int between(String a, String b) {
		if (a.length() > MAX_LENGTH || b.length() > MAX_LENGTH) {
			return Integer.MAX_VALUE;
		}
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
