package dev.peergate.xpc;

import java.util.Map;
import java.util.StringJoiner;

/**
 * Turns the OS's refusal of a peer into text for humans. The decision is always the OS's; the explanation only
 * helps an operator see why. The default summarizes the peer's signing facts and the OS error; a requirement-aware
 * explainer (clause by clause against the parsed requirement) can be plugged in through the listener options.
 *
 * <pre>{@code
 * RejectionExplainer explainer = RejectionExplainer.factsSummary();
 * explainer.explain("identifier \"com.example.cli\"", Map.of("signing-identifier", "com.evil.tool"), "code failed to satisfy ...");
 * }</pre>
 */
@FunctionalInterface
public interface RejectionExplainer {

	/**
	 * Explains a rejection.
	 * @param requirement the requirement text (canonical form)
	 * @param peerFacts the rejected peer's signing facts, LWCR names ({@code signing-identifier},
	 * {@code team-identifier}, {@code cdhash}, ...); empty when the mechanism cannot see them
	 * @param osError the OS's error text (CFError description or libxpc rich error)
	 * @return the explanation
	 */
	String explain(String requirement, Map<String, Object> peerFacts, String osError);

	/** {@code requirement not satisfied: <requirement>; OS: <error>; peer: k=v, ...}. */
	static RejectionExplainer factsSummary() {
		return new FactsSummary();
	}

	/**
	 * The default explainer as a class of its own, so a listener can tell it from one the application chose and
	 * replace it with a clause-by-clause explainer when it builds the requirement itself ({@code same-team}).
	 */
	final class FactsSummary implements RejectionExplainer {

		FactsSummary() {
		}

		/**
		 * Scalars as they are; the structured facts (certificate chain, entitlements, Info.plist) by size only, so
		 * a rejection line stays one readable line. The facts themselves travel whole with the verdict.
		 */
		private static Object shown(Object value) {
			if (value instanceof Map<?, ?> map) {
				return "{" + map.size() + ((map.size() == 1) ? " entry}" : " entries}");
			}
			if (value instanceof java.util.Collection<?> list) {
				return "[" + list.size() + ((list.size() == 1) ? " item]" : " items]");
			}
			return value;
		}

		@Override
		public String explain(String requirement, Map<String, Object> facts, String osError) {
			StringJoiner peer = new StringJoiner(", ");
			facts.forEach((name, value) -> peer.add(name + "=" + shown(value)));
			return "requirement not satisfied: " + requirement + "; OS: " + (osError.isEmpty() ? "refused" : osError)
					+ "; peer: " + ((peer.length() > 0) ? peer : "no signing facts available");
		}

	}

}
