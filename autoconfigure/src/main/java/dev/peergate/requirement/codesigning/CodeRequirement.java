package dev.peergate.requirement.codesigning;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One code-signing requirement as an immutable syntax tree; one record per opcode of Security.framework's
 * {@code ExprOp}. {@link And} and {@link Or} are n-ary and flattened, so that two requirements are equal exactly
 * when their canonical texts are.
 *
 * <pre>{@code
 * CodeRequirement requirement = CodeRequirements.parse("identifier \"com.example.helper\" and anchor apple generic");
 * requirement.canonical();   // identifier "com.example.helper" and anchor apple generic
 * }</pre>
 */
public sealed interface CodeRequirement extends ParsedRequirement
		permits CodeRequirement.Constant, CodeRequirement.And, CodeRequirement.Or, CodeRequirement.Not,
		CodeRequirement.Identifier, CodeRequirement.CdHash, CodeRequirement.Platform, CodeRequirement.Notarized,
		CodeRequirement.Legacy, CodeRequirement.AppleAnchor, CodeRequirement.AppleGenericAnchor,
		CodeRequirement.NamedAppleAnchor, CodeRequirement.TrustedCertificates, CodeRequirement.TrustedCertificate,
		CodeRequirement.CertificateHash, CodeRequirement.CertificateFile, CodeRequirement.CertificateField,
		CodeRequirement.InfoField, CodeRequirement.EntitlementField, CodeRequirement.NamedCode {

	/** Certificate slot of the signing certificate ({@code leaf}). */
	int LEAF = 0;

	/** Certificate slot of the anchor ({@code root}, {@code anchor}). */
	int ROOT = -1;

	@Override
	default String canonical() {
		return RequirementPrinter.print(this);
	}

	/** {@code always}/{@code true} or {@code never}/{@code false}. @param value the constant */
	record Constant(boolean value) implements CodeRequirement {
	}

	/** All operands hold. Nested {@code And}s are flattened. @param operands two or more */
	record And(List<CodeRequirement> operands) implements CodeRequirement {

		public And {
			operands = flatten(operands, And.class);
		}

		/** @param operands two or more operands */
		public static And of(CodeRequirement... operands) {
			return new And(List.of(operands));
		}

	}

	/** Any operand holds. Nested {@code Or}s are flattened. @param operands two or more */
	record Or(List<CodeRequirement> operands) implements CodeRequirement {

		public Or {
			operands = flatten(operands, Or.class);
		}

		/** @param operands two or more operands */
		public static Or of(CodeRequirement... operands) {
			return new Or(List.of(operands));
		}

	}

	/** {@code ! operand}. @param operand the negated requirement */
	record Not(CodeRequirement operand) implements CodeRequirement {

		public Not {
			Objects.requireNonNull(operand, "operand");
		}

	}

	/** {@code identifier "…"}: the signing identifier. @param identifier the identifier */
	record Identifier(String identifier) implements CodeRequirement {

		public Identifier {
			Objects.requireNonNull(identifier, "identifier");
		}

	}

	/** {@code cdhash H"…"}. @param hex 40 lower-case hex digits */
	record CdHash(String hex) implements CodeRequirement {

		public CdHash {
			hex = sha1Hex(hex);
		}

	}

	/** {@code platform = N}. @param platform the platform identifier */
	record Platform(int platform) implements CodeRequirement {

		public Platform {
			if (platform < 0) {
				throw new IllegalArgumentException("negative platform " + platform);
			}
		}

	}

	/** {@code notarized}. */
	record Notarized() implements CodeRequirement {
	}

	/** {@code legacy}: a legacy Developer ID signature. */
	record Legacy() implements CodeRequirement {
	}

	/** {@code anchor apple}: signed by Apple as Apple's own code. */
	record AppleAnchor() implements CodeRequirement {
	}

	/** {@code anchor apple generic}: a chain anchored at an Apple root (Developer ID, App Store, development). */
	record AppleGenericAnchor() implements CodeRequirement {
	}

	/** {@code anchor apple <name>}. @param name the anchor name */
	record NamedAppleAnchor(String name) implements CodeRequirement {

		public NamedAppleAnchor {
			Objects.requireNonNull(name, "name");
		}

	}

	/** {@code anchor trusted}: every certificate of the chain is trusted. */
	record TrustedCertificates() implements CodeRequirement {
	}

	/** {@code certificate <slot> trusted}. @param slot 0 leaf, -1 root, n-th issuer or -n from the root */
	record TrustedCertificate(int slot) implements CodeRequirement {

		public TrustedCertificate {
			checkSlot(slot);
		}

	}

	/**
	 * {@code certificate <slot> = H"…"}: the SHA-1 of the certificate in the slot.
	 * @param slot the slot
	 * @param sha1 40 lower-case hex digits
	 */
	record CertificateHash(int slot, String sha1) implements CodeRequirement {

		public CertificateHash {
			checkSlot(slot);
			sha1 = sha1Hex(sha1);
		}

	}

	/**
	 * {@code certificate <slot> = /path/to/cert}: Apple hashes the file when compiling; kept as a path here.
	 * @param slot the slot
	 * @param path the certificate file
	 */
	record CertificateFile(int slot, String path) implements CodeRequirement {

		public CertificateFile {
			checkSlot(slot);
			Objects.requireNonNull(path, "path");
		}

	}

	/**
	 * {@code certificate <slot>[<kind prefix><name>] <match>}.
	 * @param slot the slot
	 * @param kind subject attribute, extension, policy or date extension
	 * @param name the subject attribute (e.g. {@code OU}) or the dotted OID
	 * @param match the match suffix
	 */
	record CertificateField(int slot, CertificateFieldKind kind, String name, Match match) implements CodeRequirement {

		private static final Pattern OID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

		public CertificateField {
			checkSlot(slot);
			Objects.requireNonNull(kind, "kind");
			Objects.requireNonNull(match, "match");
			if (kind == CertificateFieldKind.SUBJECT) {
				if (name.isEmpty()) {
					throw new IllegalArgumentException("empty subject attribute");
				}
			}
			else {
				name = normalizeOid(name);
			}
		}

		/** The key as printed between the brackets, e.g. {@code subject.OU}, {@code field.1.2.3}. */
		public String key() {
			return this.kind.prefix() + this.name;
		}

		static String normalizeOid(String oid) {
			if (!OID.matcher(oid).matches()) {
				throw new IllegalArgumentException("not a dotted OID: " + oid);
			}
			String[] arcs = oid.split("\\.");
			StringBuilder normal = new StringBuilder();
			for (String arc : arcs) {
				if (normal.length() > 0) {
					normal.append('.');
				}
				normal.append(new BigInteger(arc));
			}
			return normal.toString();
		}

	}

	/** {@code info[key] <match>}: an Info.plist entry. @param key the key @param match the match */
	record InfoField(String key, Match match) implements CodeRequirement {

		public InfoField {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(match, "match");
		}

	}

	/** {@code entitlement[key] <match>}. @param key the entitlement @param match the match */
	record EntitlementField(String key, Match match) implements CodeRequirement {

		public EntitlementField {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(match, "match");
		}

	}

	/** {@code (name)}: a named sub-requirement. @param name the name */
	record NamedCode(String name) implements CodeRequirement {

		public NamedCode {
			Objects.requireNonNull(name, "name");
		}

	}

	private static List<CodeRequirement> flatten(List<CodeRequirement> operands, Class<?> type) {
		List<CodeRequirement> flat = new ArrayList<>(operands.size());
		for (CodeRequirement operand : operands) {
			Objects.requireNonNull(operand, "operand");
			if (type.isInstance(operand)) {
				flat.addAll((operand instanceof And) ? ((And) operand).operands() : ((Or) operand).operands());
			}
			else {
				flat.add(operand);
			}
		}
		if (flat.size() < 2) {
			throw new IllegalArgumentException(type.getSimpleName() + " needs at least two operands");
		}
		return List.copyOf(flat);
	}

	private static void checkSlot(int slot) {
		if (slot == Integer.MIN_VALUE) {
			throw new IllegalArgumentException("certificate slot out of range");
		}
	}

	private static String sha1Hex(String hex) {
		if (hex.length() != 40 || !hex.chars().allMatch((c) -> Character.digit(c, 16) >= 0)) {
			throw new IllegalArgumentException("not 40 hex digits: " + hex);
		}
		return hex.toLowerCase(Locale.ROOT);
	}

}
