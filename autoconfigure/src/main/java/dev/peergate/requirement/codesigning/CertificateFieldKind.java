package dev.peergate.requirement.codesigning;

/**
 * Which part of a certificate a {@code certificate <slot>[…]} clause looks at; decided by the key's prefix.
 *
 * <pre>{@code
 * new CodeRequirement.CertificateField(CodeRequirement.LEAF, CertificateFieldKind.EXTENSION,
 *         "1.2.840.113635.100.6.1.13", Match.exists());   // certificate leaf[field.1.2.840.113635.100.6.1.13]
 * }</pre>
 */
public enum CertificateFieldKind {

	/** {@code subject.<attribute>} (opCertField): a subject DN attribute such as {@code CN}, {@code OU}. */
	SUBJECT("subject."),
	/** {@code field.<OID>} or {@code extension.<OID>} (opCertGeneric): an extension, usually with {@code exists}. */
	EXTENSION("field."),
	/** {@code policy.<OID>} (opCertPolicy): a certificate policy. */
	POLICY("policy."),
	/** {@code timestamp.<OID>} (opCertFieldDate): an extension compared as a date. */
	TIMESTAMP("timestamp.");

	private final String prefix;

	CertificateFieldKind(String prefix) {
		this.prefix = prefix;
	}

	/** The canonical key prefix, e.g. {@code field.}. */
	public String prefix() {
		return this.prefix;
	}

}
