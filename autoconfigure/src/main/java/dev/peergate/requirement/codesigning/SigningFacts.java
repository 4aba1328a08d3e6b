package dev.peergate.requirement.codesigning;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What Security.framework reports about a peer's signature ({@code SecCodeCopySigningInformation}), as the
 * {@link RequirementExplainer} needs it. Anything unknown is {@code null}, empty or missing from {@link #flags()};
 * clauses that depend on it are explained as undecided rather than failed.
 *
 * <pre>{@code
 * SigningFacts facts = new SigningFacts("com.example.helper", "XYZ9876543", null,
 *         List.of(CertificateFacts.withSubject(Map.of("OU", "XYZ9876543"))), Map.of(), Map.of(), null,
 *         Map.of(SigningFacts.Flag.APPLE_GENERIC_ANCHORED, true));
 * }</pre>
 *
 * @param identifier the signing identifier
 * @param teamIdentifier the team identifier
 * @param cdhash the code directory hash as lower-case hex
 * @param chain the certificate chain, leaf first
 * @param entitlements the entitlements (values as from a property list: String, Boolean, Number, List, Map)
 * @param infoPlist the Info.plist entries
 * @param platform the platform identifier, {@code null} when not a platform binary or unknown
 * @param flags what is known about Apple anchoring, notarization and trust; a missing flag is unknown
 */
public record SigningFacts(@Nullable String identifier, @Nullable String teamIdentifier, @Nullable String cdhash,
		List<CertificateFacts> chain, Map<String, Object> entitlements, Map<String, Object> infoPlist,
		@Nullable Integer platform, Map<Flag, Boolean> flags) {

	public SigningFacts {
		chain = List.copyOf(chain);
		entitlements = Map.copyOf(entitlements);
		infoPlist = Map.copyOf(infoPlist);
		flags = flags.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(flags));
	}

	/** Yes/no facts about a signature. */
	public enum Flag {

		/** Signed by Apple as Apple's own code ({@code anchor apple}). */
		APPLE_ANCHORED,
		/** Chain anchored at an Apple root ({@code anchor apple generic}). */
		APPLE_GENERIC_ANCHORED,
		/** Notarized ({@code notarized}). */
		NOTARIZED,
		/** Legacy Developer ID signature ({@code legacy}). */
		LEGACY_DEVELOPER_ID,
		/** Every certificate of the chain is trusted ({@code anchor trusted}). */
		CHAIN_TRUSTED

	}

	/**
	 * One certificate of the chain.
	 *
	 * @param subject subject DN attributes by short name ({@code CN}, {@code OU}, {@code O}, ...)
	 * @param extensionOids dotted OIDs of the extensions present
	 * @param policyOids dotted OIDs of the certificate policies
	 * @param dateExtensions date-valued extensions by dotted OID
	 * @param sha1 SHA-1 of the DER certificate as lower-case hex, or {@code null}
	 * @param trusted whether the certificate is trusted, {@code null} when unknown
	 */
	public record CertificateFacts(Map<String, String> subject, Set<String> extensionOids, Set<String> policyOids,
			Map<String, Instant> dateExtensions, @Nullable String sha1, @Nullable Boolean trusted) {

		public CertificateFacts {
			subject = Map.copyOf(subject);
			extensionOids = Set.copyOf(extensionOids);
			policyOids = Set.copyOf(policyOids);
			dateExtensions = Map.copyOf(dateExtensions);
		}

		/** A certificate of which only subject attributes are known. @param subject the attributes */
		public static CertificateFacts withSubject(Map<String, String> subject) {
			return new CertificateFacts(subject, Set.of(), Set.of(), Map.of(), null, null);
		}

	}

}
