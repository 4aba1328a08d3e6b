package dev.peergate.requirement.codesigning;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.peergate.requirement.codesigning.CodeRequirement.And;
import dev.peergate.requirement.codesigning.CodeRequirement.AppleAnchor;
import dev.peergate.requirement.codesigning.CodeRequirement.AppleGenericAnchor;
import dev.peergate.requirement.codesigning.CodeRequirement.CdHash;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateField;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateHash;
import dev.peergate.requirement.codesigning.CodeRequirement.Constant;
import dev.peergate.requirement.codesigning.CodeRequirement.EntitlementField;
import dev.peergate.requirement.codesigning.CodeRequirement.Identifier;
import dev.peergate.requirement.codesigning.CodeRequirement.InfoField;
import dev.peergate.requirement.codesigning.CodeRequirement.Legacy;
import dev.peergate.requirement.codesigning.CodeRequirement.Not;
import dev.peergate.requirement.codesigning.CodeRequirement.Notarized;
import dev.peergate.requirement.codesigning.CodeRequirement.Or;
import dev.peergate.requirement.codesigning.CodeRequirement.Platform;
import dev.peergate.requirement.codesigning.CodeRequirement.TrustedCertificate;
import dev.peergate.requirement.codesigning.CodeRequirement.TrustedCertificates;
import dev.peergate.requirement.codesigning.Explanation.Result;
import dev.peergate.requirement.codesigning.SigningFacts.CertificateFacts;
import dev.peergate.requirement.codesigning.SigningFacts.Flag;

/**
 * Explains, clause by clause, why a peer's signing facts satisfy a requirement or not. <strong>For humans and
 * tests only</strong>: admission decisions stay with the operating system ({@code SecCodeCheckValidity},
 * {@code xpc_connection_set_peer_code_signing_requirement}), which sees what the facts cannot (the signature's
 * validity, revocation, the real chain). Use this to turn a refusal into a readable log line.
 * <p>
 * Semantics follow Security.framework's {@code reqinterp.cpp}: {@code exists} means present and not
 * {@code false}; {@code =} compares with the string (so {@code = true} never matches a Boolean); wildcards and
 * {@code ~} apply to strings; {@code <}, {@code >}, {@code <=}, {@code >=} compare strings numerically ("10.2" &gt;
 * "9.1"); an array matches if any element does; a missing certificate fails. What the facts cannot tell
 * (certificate files, named requirements and anchors, unknown flags, extension values) is
 * {@link Result#UNDECIDED}.
 *
 * <pre>{@code
 * Explanation explanation = RequirementExplainer.explain(CodeRequirements.parse(text), facts);
 * if (!explanation.satisfied()) {
 *     log.info("peer refused: {}", explanation.summary());
 * }
 * }</pre>
 */
public final class RequirementExplainer {

	private static final String UNDECIDABLE = "not decidable from signing facts";

	private RequirementExplainer() {
	}

	/**
	 * Explains a requirement against a peer's facts.
	 * @param requirement the requirement
	 * @param facts the peer's signing facts
	 * @return the explanation tree
	 */
	public static Explanation explain(CodeRequirement requirement, SigningFacts facts) {
		String clause = requirement.canonical();
		if (requirement instanceof And || requirement instanceof Or) {
			boolean and = requirement instanceof And;
			List<CodeRequirement> operands = and ? ((And) requirement).operands() : ((Or) requirement).operands();
			List<Explanation> explained = new ArrayList<>(operands.size());
			for (CodeRequirement operand : operands) {
				explained.add(explain(operand, facts));
			}
			Result decisive = and ? Result.FAILED : Result.SATISFIED;
			Result result = and ? Result.SATISFIED : Result.FAILED;
			for (Explanation operand : explained) {
				if (operand.result() == decisive) {
					result = decisive;
					break;
				}
				if (operand.result() == Result.UNDECIDED) {
					result = Result.UNDECIDED;
				}
			}
			return new Explanation(clause, clause, result, null, null, explained);
		}
		if (requirement instanceof Not) {
			Explanation operand = explain(((Not) requirement).operand(), facts);
			Result result = (operand.result() == Result.SATISFIED) ? Result.FAILED
					: (operand.result() == Result.FAILED) ? Result.SATISFIED : Result.UNDECIDED;
			return new Explanation(clause, clause, result, null, null, List.of(operand));
		}
		return leaf(requirement, clause, facts);
	}

	private static Explanation leaf(CodeRequirement requirement, String clause, SigningFacts facts) {
		if (requirement instanceof Constant) {
			return new Explanation(clause, clause, ((Constant) requirement).value() ? Result.SATISFIED : Result.FAILED,
					null, null, List.of());
		}
		if (requirement instanceof Identifier) {
			String expected = ((Identifier) requirement).identifier();
			return compare(clause, "identifier", quote(expected), facts.identifier(),
					expected.equals(facts.identifier()));
		}
		if (requirement instanceof CdHash) {
			String expected = ((CdHash) requirement).hex();
			String actual = (facts.cdhash() != null) ? facts.cdhash().toLowerCase(Locale.ROOT) : null;
			return compare(clause, "cdhash", "H\"" + expected + "\"", (actual != null) ? "H\"" + actual + "\"" : null,
					expected.equals(actual));
		}
		if (requirement instanceof Platform) {
			int expected = ((Platform) requirement).platform();
			Integer actual = facts.platform();
			return explained(clause, "platform", (actual != null && actual == expected) ? Result.SATISFIED
					: Result.FAILED, Integer.toString(expected), (actual != null) ? actual.toString() : "no platform");
		}
		if (requirement instanceof Notarized) {
			return flag(clause, facts, Flag.NOTARIZED, "notarized");
		}
		if (requirement instanceof Legacy) {
			return flag(clause, facts, Flag.LEGACY_DEVELOPER_ID, "a legacy Developer ID signature");
		}
		if (requirement instanceof AppleAnchor) {
			return flag(clause, facts, Flag.APPLE_ANCHORED, "signed by Apple as Apple's own code");
		}
		if (requirement instanceof AppleGenericAnchor) {
			Boolean apple = facts.flags().get(Flag.APPLE_ANCHORED);
			if (Boolean.TRUE.equals(apple) && !facts.flags().containsKey(Flag.APPLE_GENERIC_ANCHORED)) {
				return explained(clause, clause, Result.SATISFIED, "a chain anchored at an Apple root", "yes");
			}
			return flag(clause, facts, Flag.APPLE_GENERIC_ANCHORED, "a chain anchored at an Apple root");
		}
		if (requirement instanceof TrustedCertificates) {
			return flag(clause, facts, Flag.CHAIN_TRUSTED, "every certificate trusted");
		}
		if (requirement instanceof TrustedCertificate) {
			int slot = ((TrustedCertificate) requirement).slot();
			CertificateFacts certificate = certificate(facts, slot);
			String subject = "certificate " + RequirementPrinter.slot(slot);
			if (certificate == null) {
				return missingCertificate(clause, subject, "a trusted certificate", facts);
			}
			Boolean trusted = certificate.trusted();
			return explained(clause, subject, (trusted == null) ? Result.UNDECIDED
					: trusted ? Result.SATISFIED : Result.FAILED, "trusted",
					(trusted == null) ? "unknown trust" : trusted ? "trusted" : "not trusted");
		}
		if (requirement instanceof CertificateHash) {
			CertificateHash hash = (CertificateHash) requirement;
			String subject = "certificate " + RequirementPrinter.slot(hash.slot());
			String expected = "H\"" + hash.sha1() + "\"";
			CertificateFacts certificate = certificate(facts, hash.slot());
			if (certificate == null) {
				return missingCertificate(clause, subject, expected, facts);
			}
			if (certificate.sha1() == null) {
				return explained(clause, subject, Result.UNDECIDED, expected, "unknown hash");
			}
			String actual = certificate.sha1().toLowerCase(Locale.ROOT);
			return compare(clause, subject, expected, "H\"" + actual + "\"", hash.sha1().equals(actual));
		}
		if (requirement instanceof CertificateField) {
			return certificateField((CertificateField) requirement, clause, facts);
		}
		if (requirement instanceof InfoField) {
			InfoField info = (InfoField) requirement;
			return match(clause, "info[" + key(info.key()) + "]", info.match(), facts.infoPlist().get(info.key()));
		}
		if (requirement instanceof EntitlementField) {
			EntitlementField entitlement = (EntitlementField) requirement;
			return match(clause, "entitlement[" + key(entitlement.key()) + "]", entitlement.match(),
					facts.entitlements().get(entitlement.key()));
		}
		// Certificate files, named anchors and named code need Security.framework itself.
		return explained(clause, clause, Result.UNDECIDED, clause, UNDECIDABLE);
	}

	private static Explanation certificateField(CertificateField field, String clause, SigningFacts facts) {
		String subject = "certificate " + RequirementPrinter.slot(field.slot()) + "[" + key(field.key()) + "]";
		CertificateFacts certificate = certificate(facts, field.slot());
		if (certificate == null) {
			return missingCertificate(clause, subject, describe(field.match()), facts);
		}
		switch (field.kind()) {
			case SUBJECT:
				return match(clause, subject, field.match(), certificate.subject().get(field.name()));
			case TIMESTAMP:
				return match(clause, subject, field.match(), certificate.dateExtensions().get(field.name()));
			default:
				Set<String> present = (field.kind() == CertificateFieldKind.POLICY) ? certificate.policyOids()
						: certificate.extensionOids();
				MatchOperation operation = field.match().operation();
				if (operation != MatchOperation.EXISTS && operation != MatchOperation.ABSENT) {
					return explained(clause, subject, Result.UNDECIDED, describe(field.match()),
							"extension values are " + UNDECIDABLE);
				}
				boolean has = present.contains(field.name());
				boolean holds = (operation == MatchOperation.EXISTS) == has;
				return explained(clause, subject, holds ? Result.SATISFIED : Result.FAILED, describe(field.match()),
						has ? "present" : "nothing");
		}
	}

	private static @Nullable CertificateFacts certificate(SigningFacts facts, int slot) {
		// Negative slots count from the anchor (-1), as Context::cert does.
		long index = (slot < 0) ? (long) facts.chain().size() + slot : slot;
		return (index >= 0 && index < facts.chain().size()) ? facts.chain().get((int) index) : null;
	}

	private static Explanation missingCertificate(String clause, String subject, String expected,
			SigningFacts facts) {
		return explained(clause, subject, Result.FAILED, expected,
				"no such certificate (chain of " + facts.chain().size() + ")");
	}

	private static Explanation flag(String clause, SigningFacts facts, Flag flag, String expected) {
		Boolean value = facts.flags().get(flag);
		if (value == null) {
			return explained(clause, clause, Result.UNDECIDED, expected, "unknown");
		}
		return explained(clause, clause, value ? Result.SATISFIED : Result.FAILED, expected, value ? "yes" : "no");
	}

	private static Explanation compare(String clause, String subject, String expected, @Nullable String actual,
			boolean holds) {
		return explained(clause, subject, holds ? Result.SATISFIED : Result.FAILED, expected,
				(actual != null) ? (actual.startsWith("H\"") ? actual : quote(actual)) : "nothing");
	}

	private static Explanation explained(String clause, String subject, Result result, String expected,
			String actual) {
		return new Explanation(clause, subject, result, expected, actual, List.of());
	}

	private static Explanation match(String clause, String subject, Match match, @Nullable Object candidate) {
		return explained(clause, subject, matches(match, candidate) ? Result.SATISFIED : Result.FAILED,
				describe(match), show(candidate));
	}

	static boolean matches(Match match, @Nullable Object candidate) {
		MatchOperation operation = match.operation();
		if (operation == MatchOperation.ABSENT) {
			return candidate == null;
		}
		if (candidate == null) {
			return false;
		}
		if (operation == MatchOperation.EXISTS) {
			return !Boolean.FALSE.equals(candidate);
		}
		if (candidate instanceof Collection) {
			for (Object element : (Collection<?>) candidate) {
				if (element != null && matches(match, element)) {
					return true;
				}
			}
			return false;
		}
		if (operation.takesTimestamp()) {
			Instant when = (candidate instanceof Instant) ? (Instant) candidate
					: (candidate instanceof Date) ? ((Date) candidate).toInstant() : null;
			if (when == null) {
				return false;
			}
			int order = when.compareTo(match.timestamp());
			switch (operation) {
				case ON:
					return order == 0;
				case BEFORE:
					return order < 0;
				case AFTER:
					return order > 0;
				case ON_OR_BEFORE:
					return order <= 0;
				default:
					return order >= 0;
			}
		}
		Value value = match.value();
		if (value instanceof Value.Binary) {
			return operation == MatchOperation.EQUAL && candidate instanceof byte[]
					&& Arrays.equals((byte[]) candidate, value.bytes());
		}
		if (!(candidate instanceof String)) {
			// CFEqual of a CFString with a number or Boolean is false.
			return false;
		}
		String actual = (String) candidate;
		String expected = ((Value.Text) value).text();
		switch (operation) {
			case EQUAL:
				return actual.equals(expected);
			case CONTAINS:
				return actual.contains(expected);
			case BEGINS_WITH:
				return actual.startsWith(expected);
			case ENDS_WITH:
				return actual.endsWith(expected);
			case LESS_THAN:
				return compareNumerically(actual, expected) < 0;
			case GREATER_THAN:
				return compareNumerically(actual, expected) > 0;
			case LESS_EQUAL:
				return compareNumerically(actual, expected) <= 0;
			default:
				return compareNumerically(actual, expected) >= 0;
		}
	}

	/**
	 * {@code kCFCompareNumerically}: runs of ASCII digits compare by value, everything else (other digits too) by
	 * character.
	 */
	static int compareNumerically(String left, String right) {
		int i = 0;
		int j = 0;
		while (i < left.length() && j < right.length()) {
			char a = left.charAt(i);
			char b = right.charAt(j);
			if (isAsciiDigit(a) && isAsciiDigit(b)) {
				int endA = digitsEnd(left, i);
				int endB = digitsEnd(right, j);
				int order = new BigInteger(left.substring(i, endA))
					.compareTo(new BigInteger(right.substring(j, endB)));
				if (order != 0) {
					return order;
				}
				i = endA;
				j = endB;
			}
			else {
				if (a != b) {
					return Character.compare(a, b);
				}
				i++;
				j++;
			}
		}
		return Integer.compare(left.length() - i, right.length() - j);
	}

	private static int digitsEnd(String text, int from) {
		int end = from;
		while (end < text.length() && isAsciiDigit(text.charAt(end))) {
			end++;
		}
		return end;
	}

	private static boolean isAsciiDigit(char c) {
		return c >= '0' && c <= '9';
	}

	static String describe(Match match) {
		Value value = match.value();
		Function<Value, String> shown = (v) -> (v instanceof Value.Binary) ? v.toString() : quote(v.toString());
		switch (match.operation()) {
			case EXISTS:
				return "present";
			case ABSENT:
				return "nothing";
			case EQUAL:
				return shown.apply(value);
			case CONTAINS:
				return "a value containing " + shown.apply(value);
			case BEGINS_WITH:
				return "a value beginning with " + shown.apply(value);
			case ENDS_WITH:
				return "a value ending with " + shown.apply(value);
			case LESS_THAN:
				return "a value < " + shown.apply(value);
			case GREATER_THAN:
				return "a value > " + shown.apply(value);
			case LESS_EQUAL:
				return "a value <= " + shown.apply(value);
			case GREATER_EQUAL:
				return "a value >= " + shown.apply(value);
			case ON:
				return "the date " + match.timestamp();
			case BEFORE:
				return "a date before " + match.timestamp();
			case AFTER:
				return "a date after " + match.timestamp();
			case ON_OR_BEFORE:
				return "a date on or before " + match.timestamp();
			default:
				return "a date on or after " + match.timestamp();
		}
	}

	private static String show(@Nullable Object candidate) {
		if (candidate == null) {
			return "nothing";
		}
		if (candidate instanceof String) {
			return quote((String) candidate);
		}
		if (candidate instanceof byte[]) {
			return "0x" + HexFormat.of().formatHex((byte[]) candidate);
		}
		if (candidate instanceof Collection) {
			List<String> elements = new ArrayList<>();
			for (Object element : (Collection<?>) candidate) {
				elements.add(show(element));
			}
			return elements.toString();
		}
		if (candidate instanceof Map) {
			return "a dictionary";
		}
		return candidate.toString();
	}

	private static String key(String key) {
		StringBuilder out = new StringBuilder();
		RequirementPrinter.key(key, out);
		return out.toString();
	}

	private static String quote(String text) {
		StringBuilder out = new StringBuilder();
		RequirementPrinter.quoted(text, out);
		return out.toString();
	}

}
