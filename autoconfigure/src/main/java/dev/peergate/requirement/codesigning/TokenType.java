package dev.peergate.requirement.codesigning;

/**
 * Token kinds of Apple's requirement lexer ({@code RequirementLexer}), plus {@link #DIGIT_WORD} so that an unquoted
 * value starting with a digit (a team identifier such as {@code 8XCUU22SN2}) is reported as one token with a hint.
 */
enum TokenType {

	/** A reserved word. */
	KEYWORD,
	/** An unquoted dotted name: {@code IDENT ("." (IDENT | INTEGER))*}. */
	DOTKEY,
	/** A quoted string. */
	STRING,
	/** An unquoted absolute path {@code /IDENT(/IDENT)+}. */
	PATHNAME,
	/** {@code H"hex"}. */
	HASH,
	/** {@code 0xhex}. */
	HEX,
	/** Decimal digits. */
	INTEGER,
	/** Digits followed by letters or dots, never valid unquoted. */
	DIGIT_WORD,
	/** An operator or punctuation. */
	OPERATOR,
	/** End of input. */
	EOF

}
