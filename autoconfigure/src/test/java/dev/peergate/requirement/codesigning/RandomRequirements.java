package dev.peergate.requirement.codesigning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import dev.peergate.requirement.codesigning.CodeRequirement.And;
import dev.peergate.requirement.codesigning.CodeRequirement.Not;
import dev.peergate.requirement.codesigning.CodeRequirement.Or;

/**
 * Seeded generator of arbitrary syntax trees, biased towards the awkward cases of printing: keywords and
 * digit-leading words as values, quotes, backslashes, line breaks, control characters, non-ASCII text, every
 * slot form and match operation, deep nesting of {@code !} and mixed {@code and}/{@code or}.
 */
final class RandomRequirements {

	private static final String[] WORDS = { "com", "apple", "Safari", "EQHXZ8M8AV", "8XCUU22SN2", "and", "or",
			"exists", "leaf", "root", "generic", "subject", "field", "H", "x", "0x12", "a.b", "a..b", "1.2", "",
			" ", "with space", "quo\"te", "back\\slash", "\\\"", "tab\tand\nnewline", "ünïcödé", "日本", "ctl\u0001",
			"\u0000", "*", "/* not a comment */", "# nor this", "//", "=>", "é.x", "x.1", "x.1y", "trusted" };

	private static final String[] SUBJECT = { "CN", "OU", "O", "C", "L", "ST", "UID", "C-OU", "STREET", "x.y", "exists" };

	private final Random random;

	RandomRequirements(long seed) {
		this.random = new Random(seed);
	}

	ParsedRequirement any() {
		return this.random.nextInt(5) == 0 ? set() : requirement(4);
	}

	RequirementSet set() {
		Map<Integer, CodeRequirement> requirements = new TreeMap<>();
		int count = 1 + this.random.nextInt(4);
		for (int i = 0; i < count; i++) {
			requirements.put(this.random.nextInt(3) == 0 ? this.random.nextInt(1000) : 1 + this.random.nextInt(5),
					requirement(3));
		}
		return RequirementSet.of(requirements);
	}

	CodeRequirement requirement(int depth) {
		int choice = this.random.nextInt((depth <= 0) ? 18 : 28);
		switch (choice) {
			case 0:
				return new CodeRequirement.Constant(this.random.nextBoolean());
			case 1:
				return new CodeRequirement.Identifier(text());
			case 2:
				return new CodeRequirement.CdHash(hex(20));
			case 3:
				return new CodeRequirement.Platform(this.random.nextInt(3) == 0 ? Integer.MAX_VALUE : this.random.nextInt(20));
			case 4:
				return new CodeRequirement.Notarized();
			case 5:
				return new CodeRequirement.Legacy();
			case 6:
				return new CodeRequirement.AppleAnchor();
			case 7:
				return new CodeRequirement.AppleGenericAnchor();
			case 8:
				return new CodeRequirement.NamedAppleAnchor(text());
			case 9:
				return new CodeRequirement.TrustedCertificates();
			case 10:
				return new CodeRequirement.TrustedCertificate(slot());
			case 11:
				return new CodeRequirement.CertificateHash(slot(), hex(20));
			case 12:
				return new CodeRequirement.CertificateFile(slot(),
						this.random.nextBoolean() ? "/System/Library/root" : text());
			case 13:
			case 14:
				return certificateField();
			case 15:
				return new CodeRequirement.InfoField(text(), match());
			case 16:
				return new CodeRequirement.EntitlementField(text(), match());
			case 17:
				return new CodeRequirement.NamedCode(text());
			case 18:
			case 19:
				return new Not(requirement(depth - 1));
			case 20:
			case 21:
			case 22:
			case 23:
				return new And(operands(depth));
			default:
				return new Or(operands(depth));
		}
	}

	private List<CodeRequirement> operands(int depth) {
		int count = 2 + this.random.nextInt(3);
		List<CodeRequirement> operands = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			operands.add(requirement(depth - 1));
		}
		return operands;
	}

	private CodeRequirement certificateField() {
		CertificateFieldKind kind = CertificateFieldKind.values()[this.random.nextInt(4)];
		String name = (kind == CertificateFieldKind.SUBJECT) ? SUBJECT[this.random.nextInt(SUBJECT.length)] : oid();
		Match match = (kind == CertificateFieldKind.TIMESTAMP && this.random.nextBoolean()) ? dateMatch() : match();
		return new CodeRequirement.CertificateField(slot(), kind, name, match);
	}

	private Match match() {
		int choice = this.random.nextInt(12);
		if (choice == 0) {
			return Match.exists();
		}
		if (choice == 1) {
			return Match.absent();
		}
		if (choice == 2) {
			return dateMatch();
		}
		MatchOperation[] valueOperations = { MatchOperation.EQUAL, MatchOperation.CONTAINS,
				MatchOperation.BEGINS_WITH, MatchOperation.ENDS_WITH, MatchOperation.LESS_THAN,
				MatchOperation.GREATER_THAN, MatchOperation.LESS_EQUAL, MatchOperation.GREATER_EQUAL };
		return Match.of(valueOperations[this.random.nextInt(valueOperations.length)], value());
	}

	private Match dateMatch() {
		MatchOperation[] dateOperations = { MatchOperation.ON, MatchOperation.BEFORE, MatchOperation.AFTER,
				MatchOperation.ON_OR_BEFORE, MatchOperation.ON_OR_AFTER };
		long earliest = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
		long latest = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
		long seconds = earliest + (long) (this.random.nextDouble() * (latest - earliest));
		int nanos = this.random.nextBoolean() ? 0 : this.random.nextInt(1_000_000_000);
		return Match.of(dateOperations[this.random.nextInt(dateOperations.length)],
				Instant.ofEpochSecond(seconds, nanos));
	}

	private Value value() {
		if (this.random.nextInt(5) == 0) {
			byte[] bytes = new byte[1 + this.random.nextInt(6)];
			this.random.nextBytes(bytes);
			return Value.ofBytes(bytes);
		}
		return Value.of(text());
	}

	private String text() {
		int choice = this.random.nextInt(4);
		if (choice == 0) {
			// Arbitrary characters, including lone surrogates and controls.
			StringBuilder text = new StringBuilder();
			int length = this.random.nextInt(8);
			for (int i = 0; i < length; i++) {
				text.append((char) (this.random.nextBoolean() ? 32 + this.random.nextInt(95) : this.random.nextInt(0x10000)));
			}
			return text.toString();
		}
		String word = WORDS[this.random.nextInt(WORDS.length)];
		return (choice == 1) ? word + "." + WORDS[this.random.nextInt(WORDS.length)] : word;
	}

	private int slot() {
		switch (this.random.nextInt(5)) {
			case 0:
				return CodeRequirement.LEAF;
			case 1:
				return CodeRequirement.ROOT;
			case 2:
				return 1 + this.random.nextInt(4);
			case 3:
				return -2 - this.random.nextInt(4);
			default:
				return this.random.nextBoolean() ? Integer.MAX_VALUE : -Integer.MAX_VALUE;
		}
	}

	private String oid() {
		StringBuilder oid = new StringBuilder().append(this.random.nextInt(3));
		int arcs = 1 + this.random.nextInt(9);
		for (int i = 0; i < arcs; i++) {
			oid.append('.').append(this.random.nextInt(4) == 0 ? 113635 : this.random.nextInt(200));
		}
		return oid.toString();
	}

	private String hex(int bytes) {
		StringBuilder hex = new StringBuilder();
		for (int i = 0; i < bytes; i++) {
			hex.append(String.format("%02x", this.random.nextInt(256)));
		}
		return hex.toString();
	}

}
