package dev.peergate.xpc.jna;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * What a code-signing requirement can ask of a certificate, read from its DER encoding with the JDK's X.509
 * parser: the subject attributes under the names the requirement language uses ({@code certificate
 * leaf[subject.OU]}), the SHA-1 of the DER ({@code certificate leaf = H"..."}) and the extension OIDs present
 * ({@code certificate 1[field.1.2.840.113635.100.6.2.6] exists}). Only explains; Security.framework decides.
 *
 * <pre>{@code
 * Map<String, Object> certificate = CertificateSubjects.describe(der);
 * ((Map<?, ?>) certificate.get("subject")).get("OU"); // "ABCDE12345"
 * }</pre>
 */
final class CertificateSubjects {

	/**
	 * Subject attribute OIDs by the names of Security.framework's requirement interpreter (its certificate field
	 * table: C, CN, D, L, O, OU, ST, STREET, UID).
	 */
	private static final Map<String, String> NAMES = Map.of("2.5.4.6", "C", "2.5.4.3", "CN", "2.5.4.13", "D",
			"2.5.4.7", "L", "2.5.4.10", "O", "2.5.4.11", "OU", "2.5.4.8", "ST", "2.5.4.9", "STREET",
			"0.9.2342.19200300.100.1.1", "UID");

	/** The JDK's RFC 2253 keywords for the same attributes; others it prints as dotted OIDs. */
	private static final Map<String, String> KEYWORDS = Map.of("C", "C", "CN", "CN", "D", "D", "L", "L", "O", "O",
			"OU", "OU", "ST", "ST", "STREET", "STREET", "UID", "UID");

	/** The JDK has no RFC 2253 keyword for description; without one it would print the value as hex. */
	private static final Map<String, String> DESCRIPTION = Map.of("2.5.4.13", "D");

	private CertificateSubjects() {
	}

	/**
	 * The certificate's facts: {@code subject} (name → value, the first value of each attribute), {@code sha1}
	 * (lower-case hex), {@code extensions} (sorted dotted OIDs); empty when the DER is not an X.509 certificate.
	 */
	static Map<String, Object> describe(byte[] der) {
		X509Certificate certificate;
		try {
			certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der));
		}
		catch (CertificateException | ClassCastException ex) {
			return Map.of();
		}
		Map<String, Object> facts = new LinkedHashMap<>();
		facts.put("subject", subject(certificate.getSubjectX500Principal()));
		facts.put("sha1", sha1(der));
		Set<String> extensions = new TreeSet<>();
		if (certificate.getCriticalExtensionOIDs() != null) {
			extensions.addAll(certificate.getCriticalExtensionOIDs());
		}
		if (certificate.getNonCriticalExtensionOIDs() != null) {
			extensions.addAll(certificate.getNonCriticalExtensionOIDs());
		}
		facts.put("extensions", List.copyOf(extensions));
		return facts;
	}

	private static Map<String, String> subject(X500Principal principal) {
		Map<String, String> subject = new LinkedHashMap<>();
		try {
			// DER order: LdapName lists the RDNs from the last one of the RFC 2253 string
			for (Rdn rdn : new LdapName(principal.getName(X500Principal.RFC2253, DESCRIPTION)).getRdns()) {
				String type = rdn.getType();
				String name = KEYWORDS.containsKey(type.toUpperCase(java.util.Locale.ROOT))
						? KEYWORDS.get(type.toUpperCase(java.util.Locale.ROOT)) : NAMES.get(type);
				if (name != null && rdn.getValue() instanceof String value) {
					subject.putIfAbsent(name, value);
				}
			}
		}
		catch (InvalidNameException ex) {
			return Map.of();
		}
		return subject;
	}

	private static String sha1(byte[] der) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(der));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is a required JDK algorithm", ex);
		}
	}

}
