package dev.peergate.requirement.codesigning;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.peergate.requirement.codesigning.CodeRequirement.And;
import dev.peergate.requirement.codesigning.CodeRequirement.AppleAnchor;
import dev.peergate.requirement.codesigning.CodeRequirement.AppleGenericAnchor;
import dev.peergate.requirement.codesigning.CodeRequirement.CdHash;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateField;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateFile;
import dev.peergate.requirement.codesigning.CodeRequirement.CertificateHash;
import dev.peergate.requirement.codesigning.CodeRequirement.Constant;
import dev.peergate.requirement.codesigning.CodeRequirement.EntitlementField;
import dev.peergate.requirement.codesigning.CodeRequirement.Identifier;
import dev.peergate.requirement.codesigning.CodeRequirement.InfoField;
import dev.peergate.requirement.codesigning.CodeRequirement.Legacy;
import dev.peergate.requirement.codesigning.CodeRequirement.NamedAppleAnchor;
import dev.peergate.requirement.codesigning.CodeRequirement.NamedCode;
import dev.peergate.requirement.codesigning.CodeRequirement.Not;
import dev.peergate.requirement.codesigning.CodeRequirement.Notarized;
import dev.peergate.requirement.codesigning.CodeRequirement.Or;
import dev.peergate.requirement.codesigning.CodeRequirement.Platform;
import dev.peergate.requirement.codesigning.CodeRequirement.TrustedCertificate;
import dev.peergate.requirement.codesigning.CodeRequirement.TrustedCertificates;

/**
 * Canonical text, following Apple's {@code reqdumper.cpp}: {@code never}/{@code always}, slot names {@code leaf}
 * and {@code root}, {@code H"…"} hashes, {@code /* exists *}{@code /} for existence tests, values quoted only when
 * they are not a plain word or are a keyword, parentheses only where precedence needs them.
 * <p>
 * Deviations, all so that the output always parses back to the same tree: empty strings and keys that are not a
 * valid unquoted dotted key are quoted (Apple prints {@code ""} as nothing and {@code a..b} unquoted); non-ASCII
 * text is printed quoted rather than as hex; {@code absent} has no trailing blank.
 */
final class RequirementPrinter {

	private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

	private static final Pattern DOT_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.([A-Za-z][A-Za-z0-9]*|[0-9]+))*");

	private static final Pattern PATH = Pattern.compile("(/[A-Za-z][A-Za-z0-9]*){2,}");

	static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss")
		.withZone(ZoneOffset.UTC);

	private enum Level {

		PRIMARY, AND, OR

	}

	private RequirementPrinter() {
	}

	static String print(CodeRequirement requirement) {
		StringBuilder out = new StringBuilder(64);
		expr(requirement, Level.OR, out);
		return out.toString();
	}

	private static void expr(CodeRequirement node, Level level, StringBuilder out) {
		if (node instanceof And) {
			junction(((And) node).operands(), " and ", Level.AND, level, out);
		}
		else if (node instanceof Or) {
			junction(((Or) node).operands(), " or ", Level.OR, level, out);
		}
		else if (node instanceof Not) {
			out.append("! ");
			expr(((Not) node).operand(), Level.PRIMARY, out);
		}
		else {
			primary(node, out);
		}
	}

	private static void junction(List<CodeRequirement> operands, String word, Level own, Level level,
			StringBuilder out) {
		boolean parenthesize = level.ordinal() < own.ordinal();
		if (parenthesize) {
			out.append('(');
		}
		for (int i = 0; i < operands.size(); i++) {
			if (i > 0) {
				out.append(word);
			}
			expr(operands.get(i), own, out);
		}
		if (parenthesize) {
			out.append(')');
		}
	}

	private static void primary(CodeRequirement node, StringBuilder out) {
		if (node instanceof Constant) {
			out.append(((Constant) node).value() ? "always" : "never");
		}
		else if (node instanceof Identifier) {
			out.append("identifier ");
			word(((Identifier) node).identifier(), out);
		}
		else if (node instanceof CdHash) {
			out.append("cdhash H\"").append(((CdHash) node).hex()).append('"');
		}
		else if (node instanceof Platform) {
			out.append("platform = ").append(((Platform) node).platform());
		}
		else if (node instanceof Notarized) {
			out.append("notarized");
		}
		else if (node instanceof Legacy) {
			out.append("legacy");
		}
		else if (node instanceof AppleAnchor) {
			out.append("anchor apple");
		}
		else if (node instanceof AppleGenericAnchor) {
			out.append("anchor apple generic");
		}
		else if (node instanceof NamedAppleAnchor) {
			out.append("anchor apple ");
			word(((NamedAppleAnchor) node).name(), out);
		}
		else if (node instanceof TrustedCertificates) {
			out.append("anchor trusted");
		}
		else if (node instanceof TrustedCertificate) {
			out.append("certificate ").append(slot(((TrustedCertificate) node).slot())).append(" trusted");
		}
		else if (node instanceof CertificateHash) {
			CertificateHash hash = (CertificateHash) node;
			out.append("certificate ").append(slot(hash.slot())).append(" = H\"").append(hash.sha1()).append('"');
		}
		else if (node instanceof CertificateFile) {
			CertificateFile file = (CertificateFile) node;
			out.append("certificate ").append(slot(file.slot())).append(" = ");
			if (PATH.matcher(file.path()).matches()) {
				out.append(file.path());
			}
			else {
				quoted(file.path(), out);
			}
		}
		else if (node instanceof CertificateField) {
			CertificateField field = (CertificateField) node;
			out.append("certificate ").append(slot(field.slot())).append('[');
			key(field.key(), out);
			out.append(']');
			match(field.match(), out);
		}
		else if (node instanceof InfoField) {
			out.append("info[");
			key(((InfoField) node).key(), out);
			out.append(']');
			match(((InfoField) node).match(), out);
		}
		else if (node instanceof EntitlementField) {
			out.append("entitlement[");
			key(((EntitlementField) node).key(), out);
			out.append(']');
			match(((EntitlementField) node).match(), out);
		}
		else if (node instanceof NamedCode) {
			out.append('(');
			word(((NamedCode) node).name(), out);
			out.append(')');
		}
		else {
			throw new IllegalStateException("unknown requirement node " + node.getClass());
		}
	}

	static String slot(int slot) {
		return (slot == CodeRequirement.LEAF) ? "leaf" : (slot == CodeRequirement.ROOT) ? "root" : Integer.toString(slot);
	}

	private static void match(Match match, StringBuilder out) {
		Value value = match.value();
		switch (match.operation()) {
			case EXISTS:
				out.append(" /* exists */");
				break;
			case ABSENT:
				out.append(" absent");
				break;
			case EQUAL:
				out.append(" = ");
				value(value, out);
				break;
			case CONTAINS:
				out.append(" ~ ");
				value(value, out);
				break;
			case BEGINS_WITH:
				out.append(" = ");
				value(value, out);
				out.append('*');
				break;
			case ENDS_WITH:
				out.append(" = *");
				value(value, out);
				break;
			case LESS_THAN:
				out.append(" < ");
				value(value, out);
				break;
			case GREATER_THAN:
				out.append(" > ");
				value(value, out);
				break;
			case LESS_EQUAL:
				out.append(" <= ");
				value(value, out);
				break;
			case GREATER_EQUAL:
				out.append(" >= ");
				value(value, out);
				break;
			case ON:
				out.append(" = ");
				timestamp(match.timestamp(), out);
				break;
			case BEFORE:
				out.append(" < ");
				timestamp(match.timestamp(), out);
				break;
			case AFTER:
				out.append(" > ");
				timestamp(match.timestamp(), out);
				break;
			case ON_OR_BEFORE:
				out.append(" <= ");
				timestamp(match.timestamp(), out);
				break;
			case ON_OR_AFTER:
				out.append(" >= ");
				timestamp(match.timestamp(), out);
				break;
			default:
				throw new IllegalStateException("unknown match " + match.operation());
		}
	}

	/** A value as in a clause's text: plain word, quoted text or {@code 0x…}. */
	static String value(Value value) {
		StringBuilder out = new StringBuilder();
		value(value, out);
		return out.toString();
	}

	private static void value(@Nullable Value value, StringBuilder out) {
		if (value instanceof Value.Binary) {
			out.append("0x").append(((Value.Binary) value).hex());
		}
		else if (value != null) {
			word(((Value.Text) value).text(), out);
		}
	}

	static String timestamp(Instant instant) {
		String text = GENERALIZED_TIME.format(instant);
		int nanos = instant.getNano();
		if (nanos != 0) {
			String fraction = String.format("%09d", nanos).replaceFirst("0+$", "");
			text = text + "." + fraction;
		}
		return text + "Z";
	}

	private static void timestamp(@Nullable Instant instant, StringBuilder out) {
		out.append("timestamp \"").append(timestamp(instant)).append('"');
	}

	/** Apple's {@code data()}: unquoted only for a plain word that is not a keyword. */
	static void word(String text, StringBuilder out) {
		if (WORD.matcher(text).matches() && !Lexer.KEYWORDS.contains(text)) {
			out.append(text);
		}
		else {
			quoted(text, out);
		}
	}

	/** Apple's {@code dotString()}: like {@link #word} but dots are fine. */
	static void key(String text, StringBuilder out) {
		if (DOT_KEY.matcher(text).matches() && !Lexer.KEYWORDS.contains(text)) {
			out.append(text);
		}
		else {
			quoted(text, out);
		}
	}

	static void quoted(String text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				out.append('\\');
			}
			out.append(c);
		}
		out.append('"');
	}

}
