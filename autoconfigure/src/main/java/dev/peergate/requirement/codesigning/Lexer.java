package dev.peergate.requirement.codesigning;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hand-written equivalent of Apple's ANTLR-generated {@code RequirementLexer}. Keywords are case-sensitive and are
 * recognised only as whole unquoted words, as ANTLR's {@code testLiterals} does.
 */
final class Lexer {

	/** Apple's {@code RequirementKeywords.h}: these must be quoted to be used as values. */
	static final Set<String> KEYWORDS = Set.of("guest", "host", "designated", "library", "plugin", "or", "and",
			"always", "true", "never", "false", "identifier", "cdhash", "platform", "notarized", "legacy", "anchor",
			"apple", "generic", "certificate", "cert", "trusted", "info", "entitlement", "exists", "absent", "leaf",
			"root", "timestamp");

	private final String input;

	private int position;

	private int line = 1;

	private int lineStart;

	private Lexer(String input) {
		this.input = input;
	}

	static List<Token> tokenize(String input) {
		return new Lexer(input).run();
	}

	private List<Token> run() {
		List<Token> tokens = new ArrayList<>();
		while (true) {
			skipBlanksAndComments();
			if (this.position >= this.input.length()) {
				tokens.add(new Token(TokenType.EOF, "", "", this.position, this.line, column(this.position)));
				return tokens;
			}
			tokens.add(next());
		}
	}

	private int column(int offset) {
		return offset - this.lineStart + 1;
	}

	private char peek(int ahead) {
		int index = this.position + ahead;
		return (index < this.input.length()) ? this.input.charAt(index) : '\0';
	}

	private boolean hasAhead(int ahead) {
		return this.position + ahead < this.input.length();
	}

	private void newLine(int offsetAfterNewline) {
		this.line++;
		this.lineStart = offsetAfterNewline;
	}

	private void skipBlanksAndComments() {
		while (this.position < this.input.length()) {
			char c = this.input.charAt(this.position);
			if (c == '\n') {
				this.position++;
				newLine(this.position);
			}
			else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
				this.position++;
			}
			else if (c == '#' || (c == '/' && peek(1) == '/')) {
				while (this.position < this.input.length() && this.input.charAt(this.position) != '\n') {
					this.position++;
				}
			}
			else if (c == '/' && peek(1) == '*') {
				int startLine = this.line;
				int startColumn = column(this.position);
				this.position += 2;
				while (true) {
					if (this.position >= this.input.length()) {
						throw Errors.at(this.input, startLine, startColumn, "unterminated comment", "'*/'", null);
					}
					char d = this.input.charAt(this.position);
					if (d == '*' && peek(1) == '/') {
						this.position += 2;
						break;
					}
					this.position++;
					if (d == '\n') {
						newLine(this.position);
					}
				}
			}
			else {
				return;
			}
		}
	}

	private Token next() {
		int start = this.position;
		int startLine = this.line;
		int startColumn = column(start);
		char c = this.input.charAt(start);
		if (c == 'H' && peek(1) == '"') {
			return hash(start, startLine, startColumn);
		}
		if (isLetter(c)) {
			return dotKey(start, startLine, startColumn);
		}
		if (c == '0' && peek(1) == 'x' && isHex(peek(2))) {
			this.position += 2;
			while (this.position < this.input.length() && isHex(this.input.charAt(this.position))) {
				this.position++;
			}
			if (this.position < this.input.length() && isLetterOrDigit(this.input.charAt(this.position))) {
				return digitWord(start, startLine, startColumn);
			}
			String digits = this.input.substring(start + 2, this.position);
			if (digits.length() % 2 != 0) {
				throw Errors.at(this.input, startLine, startColumn,
						"hex constant " + this.input.substring(start, this.position) + " has an odd number of digits",
						"an even number of hex digits", null);
			}
			return token(TokenType.HEX, digits, start, startLine, startColumn);
		}
		if (isDigit(c)) {
			return digitWord(start, startLine, startColumn);
		}
		if (c == '"') {
			return string(start, startLine, startColumn);
		}
		if (c == '/' && isLetter(peek(1))) {
			return path(start, startLine, startColumn);
		}
		return operator(start, startLine, startColumn);
	}

	private Token hash(int start, int startLine, int startColumn) {
		this.position += 2;
		while (this.position < this.input.length() && isHex(this.input.charAt(this.position))) {
			this.position++;
		}
		if (this.position >= this.input.length() || this.input.charAt(this.position) != '"') {
			int column = column(this.position);
			String problem = (this.position >= this.input.length()) ? "unterminated hash constant"
					: "unexpected character '" + this.input.charAt(this.position) + "' in hash constant";
			throw Errors.at(this.input, this.line, column, problem, "hex digits and a closing '\"'", null);
		}
		this.position++;
		String digits = this.input.substring(start + 2, this.position - 1);
		if (digits.isEmpty()) {
			throw Errors.at(this.input, startLine, startColumn, "empty hash constant", "hex digits", null);
		}
		return token(TokenType.HASH, digits, start, startLine, startColumn);
	}

	private Token dotKey(int start, int startLine, int startColumn) {
		identifier();
		// ANTLR's DOTKEY: IDENT ( "." ( IDENT | INTEGER ) )*
		while (peek(0) == '.' && (isLetter(peek(1)) || isDigit(peek(1)))) {
			this.position++;
			if (isLetter(peek(0))) {
				identifier();
			}
			else {
				while (isDigit(peek(0)) && hasAhead(0)) {
					this.position++;
				}
			}
		}
		String text = this.input.substring(start, this.position);
		TokenType type = KEYWORDS.contains(text) ? TokenType.KEYWORD : TokenType.DOTKEY;
		return token(type, text, start, startLine, startColumn);
	}

	private void identifier() {
		this.position++;
		while (hasAhead(0) && isLetterOrDigit(peek(0))) {
			this.position++;
		}
	}

	/**
	 * Digits, optionally followed by letters, digits and dots. Pure digits are an INTEGER; anything else cannot be
	 * written unquoted (Apple's lexer would split it into an INTEGER and a DOTKEY and fail later with a confusing
	 * message), so it becomes one token the parser reports with a hint to quote it.
	 */
	private Token digitWord(int start, int startLine, int startColumn) {
		while (hasAhead(0) && (isLetterOrDigit(peek(0)) || (peek(0) == '.' && isLetterOrDigit(peek(1))))) {
			this.position++;
		}
		String text = this.input.substring(start, this.position);
		boolean digitsOnly = text.chars().allMatch(Lexer::isDigit);
		return token(digitsOnly ? TokenType.INTEGER : TokenType.DIGIT_WORD, text, start, startLine, startColumn);
	}

	private Token string(int start, int startLine, int startColumn) {
		StringBuilder value = new StringBuilder();
		this.position++;
		while (true) {
			if (this.position >= this.input.length()) {
				throw Errors.at(this.input, startLine, startColumn, "unterminated string", "a closing '\"'", null);
			}
			char c = this.input.charAt(this.position);
			if (c == '"') {
				this.position++;
				break;
			}
			if (c == '\\' && (peek(1) == '"' || peek(1) == '\\')) {
				// Apple's lexer knows only \" ; \\ is accepted too because Apple's dumper writes it.
				value.append(peek(1));
				this.position += 2;
				continue;
			}
			value.append(c);
			this.position++;
			if (c == '\n') {
				newLine(this.position);
			}
		}
		return new Token(TokenType.STRING, value.toString(), this.input.substring(start, this.position), start,
				startLine, startColumn);
	}

	private Token path(int start, int startLine, int startColumn) {
		int components = 0;
		while (peek(0) == '/' && isLetter(peek(1))) {
			this.position++;
			identifier();
			components++;
		}
		if (components < 2) {
			throw Errors.at(this.input, startLine, startColumn,
					"unexpected '" + this.input.substring(start, this.position) + "'",
					"an absolute path with at least two components, or a quoted path", null);
		}
		return token(TokenType.PATHNAME, this.input.substring(start, this.position), start, startLine, startColumn);
	}

	private Token operator(int start, int startLine, int startColumn) {
		char c = this.input.charAt(start);
		char n = peek(1);
		String op;
		if ((c == '=' && (n == '>' || n == '=')) || ((c == '<' || c == '>') && n == '=')) {
			op = new String(new char[] { c, n });
		}
		else if ("=;()[]<>,~-!*&|".indexOf(c) >= 0) {
			op = String.valueOf(c);
		}
		else {
			String shown = Character.isISOControl(c) ? String.format("U+%04X", (int) c)
					: "'" + new String(Character.toChars(this.input.codePointAt(start))) + "'";
			throw Errors.at(this.input, startLine, startColumn, "unexpected character " + shown, null, null);
		}
		this.position += op.length();
		return token(TokenType.OPERATOR, op, start, startLine, startColumn);
	}

	private Token token(TokenType type, String text, int start, int startLine, int startColumn) {
		return new Token(type, text, this.input.substring(start, this.position), start, startLine, startColumn);
	}

	static boolean isLetter(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	static boolean isDigit(int c) {
		return c >= '0' && c <= '9';
	}

	static boolean isLetterOrDigit(int c) {
		return isLetter(c) || isDigit(c);
	}

	static boolean isHex(int c) {
		return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

}
