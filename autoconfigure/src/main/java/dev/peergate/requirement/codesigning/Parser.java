package dev.peergate.requirement.codesigning;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.peergate.requirement.InvalidRequirementException;

/**
 * Recursive-descent parser for Apple's {@code requirements.grammar}. Precedence as Apple's: {@code !} binds
 * tightest, then {@code and}, then {@code or}; both binary operators are left-associative (and associative, so the
 * tree is flattened).
 */
final class Parser {

	/** Deepest nesting of parentheses and {@code !} accepted; deeper input is an error, never a stack overflow. */
	static final int MAX_DEPTH = 256;

	private static final DateTimeFormatter GENERALIZED_TIME = new DateTimeFormatterBuilder()
		.appendPattern("uuuuMMddHHmmss")
		.optionalStart()
		.appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
		.optionalEnd()
		.appendLiteral('Z')
		.toFormatter()
		.withResolverStyle(ResolverStyle.STRICT);

	private static final String PRIMARY = "a requirement such as 'identifier', 'anchor', 'certificate', 'info', "
			+ "'entitlement', 'cdhash', 'platform', 'notarized', 'always', 'never', '(' or '!'";

	private static final String AFTER_EXPRESSION = "'and', 'or', ';' or end of input";

	private final String input;

	private final List<Token> tokens;

	private int index;

	private int depth;

	private Parser(String input) {
		this.input = input;
		this.tokens = Lexer.tokenize(input);
	}

	static CodeRequirement parseRequirement(String input) {
		Parser parser = new Parser(input);
		if (parser.startsSet()) {
			throw parser.error(parser.peek(), "a requirement set where a single requirement is expected", PRIMARY,
					"use the set's designated requirement alone, or parse it as a requirement set");
		}
		return parser.requirement(AFTER_EXPRESSION);
	}

	static RequirementSet parseSet(String input) {
		Parser parser = new Parser(input);
		return parser.set();
	}

	static ParsedRequirement parseAny(String input) {
		Parser parser = new Parser(input);
		return parser.startsSet() ? parser.set() : parser.requirement(AFTER_EXPRESSION);
	}

	private boolean startsSet() {
		Token first = peek();
		return isTypeKeyword(first) || (first.is(TokenType.INTEGER) && isOperator(peek(1), "=>"));
	}

	private static boolean isTypeKeyword(Token token) {
		return token.type() == TokenType.KEYWORD && (token.text().equals("guest") || token.text().equals("host")
				|| token.text().equals("designated") || token.text().equals("library")
				|| token.text().equals("plugin"));
	}

	private CodeRequirement requirement(String expectedAfter) {
		CodeRequirement requirement = expr();
		while (isOperator(peek(), ";")) {
			this.index++;
		}
		if (!peek().is(TokenType.EOF)) {
			throw unexpected(peek(), expectedAfter);
		}
		return requirement;
	}

	private RequirementSet set() {
		Map<Integer, CodeRequirement> requirements = new TreeMap<>();
		do {
			Token typeToken = next();
			int type;
			if (isTypeKeyword(typeToken)) {
				type = typeNumber(typeToken.text());
			}
			else if (typeToken.is(TokenType.INTEGER)) {
				type = integer(typeToken);
			}
			else {
				throw unexpected(typeToken, "a requirement type: 'designated', 'host', 'guest', 'library', "
						+ "'plugin' or a number");
			}
			expectOperator("=>");
			CodeRequirement requirement = expr();
			while (isOperator(peek(), ";")) {
				this.index++;
			}
			if (requirements.putIfAbsent(type, requirement) != null) {
				throw error(typeToken, "duplicate requirement type '" + RequirementSet.typeName(type) + "'", null,
						null);
			}
			if (!peek().is(TokenType.EOF) && !startsSet()) {
				throw unexpected(peek(), "'and', 'or', ';', a requirement type or end of input");
			}
		}
		while (!peek().is(TokenType.EOF));
		return RequirementSet.of(requirements);
	}

	private static int typeNumber(String keyword) {
		switch (keyword) {
			case "host":
				return RequirementSet.HOST;
			case "guest":
				return RequirementSet.GUEST;
			case "designated":
				return RequirementSet.DESIGNATED;
			case "library":
				return RequirementSet.LIBRARY;
			default:
				return RequirementSet.PLUGIN;
		}
	}

	private CodeRequirement expr() {
		CodeRequirement first = term();
		if (!peek().isKeyword("or")) {
			return first;
		}
		List<CodeRequirement> operands = new ArrayList<>();
		operands.add(first);
		while (peek().isKeyword("or")) {
			this.index++;
			operands.add(term());
		}
		return new CodeRequirement.Or(operands);
	}

	private CodeRequirement term() {
		CodeRequirement first = primary();
		if (!peek().isKeyword("and")) {
			return first;
		}
		List<CodeRequirement> operands = new ArrayList<>();
		operands.add(first);
		while (peek().isKeyword("and")) {
			this.index++;
			operands.add(primary());
		}
		return new CodeRequirement.And(operands);
	}

	private CodeRequirement primary() {
		Token token = peek();
		if (++this.depth > MAX_DEPTH) {
			throw error(token, "requirement nested deeper than " + MAX_DEPTH + " levels", null,
					"simplify the requirement");
		}
		try {
			return primaryAtDepth(token);
		}
		finally {
			this.depth--;
		}
	}

	private CodeRequirement primaryAtDepth(Token token) {
		if (isOperator(token, "(")) {
			this.index++;
			Token inner = peek();
			if ((inner.is(TokenType.DOTKEY) || inner.is(TokenType.STRING)) && isOperator(peek(1), ")")) {
				this.index += 2;
				return new CodeRequirement.NamedCode(inner.text());
			}
			CodeRequirement requirement = expr();
			if (!isOperator(peek(), ")")) {
				throw unexpected(peek(), "'and', 'or' or ')'");
			}
			this.index++;
			return requirement;
		}
		if (isOperator(token, "!")) {
			this.index++;
			return new CodeRequirement.Not(primary());
		}
		if (token.type() != TokenType.KEYWORD) {
			throw unexpected(token, PRIMARY);
		}
		this.index++;
		switch (token.text()) {
			case "always":
			case "true":
				return new CodeRequirement.Constant(true);
			case "never":
			case "false":
				return new CodeRequirement.Constant(false);
			case "identifier":
				eql();
				return new CodeRequirement.Identifier(identifierString("a signing identifier"));
			case "cdhash":
				eql();
				return new CodeRequirement.CdHash(hash(next()));
			case "platform": {
				eql();
				Token number = next();
				if (!number.is(TokenType.INTEGER)) {
					throw unexpected(number, "a platform number");
				}
				return new CodeRequirement.Platform(integer(number));
			}
			case "notarized":
				return new CodeRequirement.Notarized();
			case "legacy":
				return new CodeRequirement.Legacy();
			case "anchor":
				return anchor();
			case "certificate":
			case "cert":
				return certificate();
			case "info": {
				String key = bracketedKey("an Info.plist key");
				return new CodeRequirement.InfoField(key, matchSuffix());
			}
			case "entitlement": {
				String key = bracketedKey("an entitlement name");
				return new CodeRequirement.EntitlementField(key, matchSuffix());
			}
			default:
				this.index--;
				throw unexpected(token, PRIMARY);
		}
	}

	private CodeRequirement anchor() {
		Token token = peek();
		if (token.isKeyword("apple")) {
			this.index++;
			Token name = peek();
			if (name.isKeyword("generic")) {
				this.index++;
				return new CodeRequirement.AppleGenericAnchor();
			}
			if (name.is(TokenType.DOTKEY) || name.is(TokenType.STRING)) {
				this.index++;
				return new CodeRequirement.NamedAppleAnchor(name.text());
			}
			return new CodeRequirement.AppleAnchor();
		}
		if (token.isKeyword("generic")) {
			this.index++;
			Token apple = next();
			if (!apple.isKeyword("apple")) {
				throw unexpected(apple, "'apple'");
			}
			return new CodeRequirement.AppleGenericAnchor();
		}
		if (token.isKeyword("trusted")) {
			this.index++;
			return new CodeRequirement.TrustedCertificates();
		}
		if (isOperator(token, "[") || isOperator(token, "=") || isOperator(token, "==") || isDigest(token)) {
			return certificateSlotSpec(CodeRequirement.ROOT);
		}
		throw unexpected(token, "'apple', 'apple generic', 'trusted', '[', '=' or a certificate hash");
	}

	private CodeRequirement certificate() {
		Token token = peek();
		if (token.isKeyword("trusted")) {
			this.index++;
			return new CodeRequirement.TrustedCertificates();
		}
		int slot = certificateSlot();
		if (peek().isKeyword("trusted")) {
			this.index++;
			return new CodeRequirement.TrustedCertificate(slot);
		}
		Token spec = peek();
		if (isOperator(spec, "[") || isOperator(spec, "=") || isOperator(spec, "==") || isDigest(spec)) {
			return certificateSlotSpec(slot);
		}
		throw unexpected(spec, "'[', '=', 'trusted' or a certificate hash");
	}

	private int certificateSlot() {
		Token token = next();
		if (token.isKeyword("leaf")) {
			return CodeRequirement.LEAF;
		}
		if (token.isKeyword("root")) {
			return CodeRequirement.ROOT;
		}
		if (token.is(TokenType.INTEGER)) {
			return integer(token);
		}
		if (isOperator(token, "-")) {
			Token number = next();
			if (!number.is(TokenType.INTEGER)) {
				throw unexpected(number, "a certificate position after '-'");
			}
			return -integer(number);
		}
		throw unexpected(token, "a certificate position: 'leaf', 'root', 'trusted' or a number");
	}

	private static boolean isDigest(Token token) {
		return token.is(TokenType.HASH) || token.is(TokenType.PATHNAME) || token.is(TokenType.STRING)
				|| token.is(TokenType.DOTKEY);
	}

	private CodeRequirement certificateSlotSpec(int slot) {
		if (isOperator(peek(), "[")) {
			Token keyToken = peek(1);
			String key = bracketedKey("a certificate field such as subject.OU or field.<OID>");
			return certificateField(slot, key, keyToken);
		}
		eql();
		Token digest = next();
		if (digest.is(TokenType.HASH)) {
			return new CodeRequirement.CertificateHash(slot, hash(digest));
		}
		if (digest.is(TokenType.PATHNAME) || digest.is(TokenType.STRING) || digest.is(TokenType.DOTKEY)) {
			return new CodeRequirement.CertificateFile(slot, digest.text());
		}
		throw unexpected(digest, "a certificate hash H\"…\" or a certificate file path");
	}

	private CodeRequirement certificateField(int slot, String key, Token keyToken) {
		for (CertificateFieldKind kind : CertificateFieldKind.values()) {
			String prefix = kind.prefix();
			String name = null;
			if (key.startsWith(prefix)) {
				name = key.substring(prefix.length());
			}
			else if (kind == CertificateFieldKind.EXTENSION && key.startsWith("extension.")) {
				name = key.substring("extension.".length());
			}
			if (name != null) {
				Match match = matchSuffix();
				try {
					return new CodeRequirement.CertificateField(slot, kind, name, match);
				}
				catch (IllegalArgumentException ex) {
					throw error(keyToken, "invalid certificate field '" + key + "'",
							(kind == CertificateFieldKind.SUBJECT) ? "subject.<attribute>"
									: prefix + "<dotted OID>",
							null);
				}
			}
		}
		throw error(keyToken, "unrecognized certificate field '" + key + "'",
				"subject.<attribute>, field.<OID>, extension.<OID>, policy.<OID> or timestamp.<OID>", null);
	}

	private String bracketedKey(String what) {
		expectOperator("[");
		Token key = next();
		if (!(key.is(TokenType.DOTKEY) || key.is(TokenType.STRING))) {
			throw unexpectedValue(key, what);
		}
		expectOperator("]");
		return key.text();
	}

	private Match matchSuffix() {
		Token token = peek();
		if (token.isKeyword("exists")) {
			this.index++;
			return Match.exists();
		}
		if (token.isKeyword("absent")) {
			this.index++;
			return Match.absent();
		}
		if (!token.is(TokenType.OPERATOR)) {
			return Match.exists();
		}
		switch (token.text()) {
			case "=":
			case "==": {
				this.index++;
				if (peek().isKeyword("timestamp")) {
					return Match.of(MatchOperation.ON, timestamp());
				}
				boolean leading = acceptOperator("*");
				Value value = dataValue();
				boolean trailing = acceptOperator("*");
				MatchOperation operation = leading ? (trailing ? MatchOperation.CONTAINS : MatchOperation.ENDS_WITH)
						: (trailing ? MatchOperation.BEGINS_WITH : MatchOperation.EQUAL);
				return Match.of(operation, value);
			}
			case "~":
				this.index++;
				return Match.of(MatchOperation.CONTAINS, dataValue());
			case "<":
				return comparison(MatchOperation.LESS_THAN, MatchOperation.BEFORE);
			case ">":
				return comparison(MatchOperation.GREATER_THAN, MatchOperation.AFTER);
			case "<=":
				return comparison(MatchOperation.LESS_EQUAL, MatchOperation.ON_OR_BEFORE);
			case ">=":
				return comparison(MatchOperation.GREATER_EQUAL, MatchOperation.ON_OR_AFTER);
			default:
				return Match.exists();
		}
	}

	private Match comparison(MatchOperation onValue, MatchOperation onDate) {
		this.index++;
		if (peek().isKeyword("timestamp")) {
			return Match.of(onDate, timestamp());
		}
		return Match.of(onValue, dataValue());
	}

	private Instant timestamp() {
		this.index++;
		Token text = next();
		if (!text.is(TokenType.STRING)) {
			throw unexpected(text, "a quoted timestamp such as \"20250101000000Z\"");
		}
		try {
			LocalDateTime time = LocalDateTime.parse(text.text(), GENERALIZED_TIME);
			if (time.getYear() < 1) {
				throw new DateTimeParseException("year before 0001", text.text(), 0);
			}
			return time.toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			throw error(text, "invalid timestamp " + text.source(),
					"ASN.1 GeneralizedTime in UTC, yyyyMMddHHmmss[.fraction]Z, e.g. \"20250101000000Z\"", null);
		}
	}

	private Value dataValue() {
		Token token = next();
		if (token.is(TokenType.DOTKEY) || token.is(TokenType.STRING)) {
			return Value.of(token.text());
		}
		if (token.is(TokenType.HEX)) {
			return Value.ofBytes(HexFormat.of().parseHex(token.text()));
		}
		throw unexpectedValue(token, "a value: a word, a quoted string or a 0x hex constant");
	}

	private String identifierString(String what) {
		Token token = next();
		if (token.is(TokenType.DOTKEY) || token.is(TokenType.STRING)) {
			return token.text();
		}
		throw unexpectedValue(token, what);
	}

	private String hash(Token token) {
		if (!token.is(TokenType.HASH)) {
			throw unexpected(token, "a hash H\"<40 hex digits>\"");
		}
		if (token.text().length() != 40) {
			throw error(token, "invalid hash length: " + token.text().length() + " hex digits", "40 hex digits (SHA-1)",
					null);
		}
		return token.text();
	}

	private int integer(Token token) {
		try {
			return Integer.parseInt(token.text());
		}
		catch (NumberFormatException ex) {
			throw error(token, "number " + token.text() + " is too large", "a 32-bit number", null);
		}
	}

	private void eql() {
		if (isOperator(peek(), "=") || isOperator(peek(), "==")) {
			this.index++;
		}
	}

	private boolean acceptOperator(String operator) {
		if (isOperator(peek(), operator)) {
			this.index++;
			return true;
		}
		return false;
	}

	private void expectOperator(String operator) {
		Token token = next();
		if (!isOperator(token, operator)) {
			throw unexpected(token, "'" + operator + "'");
		}
	}

	private static boolean isOperator(Token token, String operator) {
		return token.type() == TokenType.OPERATOR && token.text().equals(operator);
	}

	private Token peek() {
		return this.tokens.get(this.index);
	}

	private Token peek(int ahead) {
		return this.tokens.get(Math.min(this.index + ahead, this.tokens.size() - 1));
	}

	private Token next() {
		Token token = this.tokens.get(this.index);
		if (this.index < this.tokens.size() - 1) {
			this.index++;
		}
		return token;
	}

	private InvalidRequirementException unexpected(Token token, String expected) {
		return error(token, "unexpected " + token.describe(), expected, hint(token));
	}

	/** Where a value was expected: a value starting with a digit or a keyword needs quotes. */
	private InvalidRequirementException unexpectedValue(Token token, String expected) {
		String hint = hint(token);
		if (token.is(TokenType.INTEGER) || token.is(TokenType.KEYWORD)) {
			hint = "a value that starts with a digit or is a reserved word must be quoted: \"" + token.source()
					+ "\"";
		}
		return error(token, "unexpected " + token.describe(), expected, hint);
	}

	private static @Nullable String hint(Token token) {
		if (token.is(TokenType.DIGIT_WORD)) {
			return "a value that starts with a digit must be quoted, e.g. a team identifier: \"" + token.source()
					+ "\"";
		}
		if (isOperator(token, "&") || isOperator(token, "|")) {
			return "use the words 'and' and 'or'";
		}
		return null;
	}

	private InvalidRequirementException error(Token token, String problem, @Nullable String expected,
			@Nullable String hint) {
		return Errors.at(this.input, token.line(), token.column(), problem, expected, hint);
	}

}
