package dev.peergate.requirement.codesigning;

/**
 * One lexical token of the requirement language.
 *
 * @param type what kind of token
 * @param text the token's value: keyword or operator text, the unquoted content of a string, the hex digits of a
 * hash or hex constant
 * @param source the exact source text of the token, for error messages
 * @param offset 0-based offset in the input
 * @param line 1-based line
 * @param column 1-based column
 */
record Token(TokenType type, String text, String source, int offset, int line, int column) {

	boolean is(TokenType type) {
		return this.type == type;
	}

	boolean isKeyword(String keyword) {
		return this.type == TokenType.KEYWORD && this.text.equals(keyword);
	}

	String describe() {
		switch (this.type) {
			case EOF:
				return "end of input";
			case STRING:
				return "string " + this.source;
			case KEYWORD:
				return "keyword '" + this.text + "'";
			default:
				return "'" + this.source + "'";
		}
	}

}
