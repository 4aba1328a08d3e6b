package dev.peergate.xpc;

import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;

import dev.peergate.xpc.jna.XpcPeerConnection;
import dev.peergate.xpc.jna.XpcSecurity;
import org.jspecify.annotations.Nullable;

/**
 * What a peer must be, in the forms macOS can check. A code-signing requirement string works from macOS 11; the
 * lightweight forms (an LWCR dictionary, team / platform identity, an entitlement) need 14.4 ({@code os}
 * enforcement) or 26 ({@code observed}).
 *
 * <pre>{@code
 * XpcRequirement.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");
 * XpcRequirement.lightweight(Map.of("team-identifier", "ABCDE12345",
 *     "signing-identifier", Map.of("$in", List.of("com.example.app", "com.example.cli"))));
 * XpcRequirement.entitlementMatches("com.example.helper.client", true);
 * }</pre>
 */
public sealed interface XpcRequirement {

	/** Canonical text for logs, verdicts and the endpoint. */
	String describe();

	/**
	 * Sets this requirement on a peer connection before it is resumed ({@code enforcement: os}, macOS 12+): the
	 * libxpc setter's result, 0 when set.
	 */
	int applyTo(XpcPeerConnection peer);

	/** The libxpc function {@link #applyTo} calls, for messages about what this macOS lacks. */
	String setterFunction();

	/**
	 * This requirement as an {@code xpc_peer_requirement_t} (macOS 26), for per-message matching or the one
	 * {@code xpc_connection_set_peer_requirement}.
	 * @throws IllegalArgumentException for a code-signing string, which libxpc takes only through its setter
	 */
	XpcSecurity.PeerRequirementObject createObject(XpcSecurity security);

	/** The libxpc function {@link #createObject} calls, for messages about what this macOS lacks. */
	String creatorFunction();

	/** Whether this is a lightweight form (14.4 / 26 APIs) rather than a code-signing string. */
	default boolean lightweight() {
		return !(this instanceof CodeSigning);
	}

	/** A code-signing requirement string. */
	static XpcRequirement codeSigning(String text) {
		return new CodeSigning(text);
	}

	/**
	 * Signed by this process's own team: the listener reads its team identifier from its own signature at start
	 * and checks peers against {@code anchor apple generic and certificate leaf[subject.OU] = <team>}, a
	 * code-signing requirement (macOS 11 observed, 12 os). An unsigned or ad-hoc signed process cannot start such a
	 * listener.
	 */
	static XpcRequirement sameTeam() {
		return new SameTeam();
	}

	/** An LWCR fact dictionary (the neutral tree: maps, lists, strings, numbers, booleans). */
	static XpcRequirement lightweight(Map<String, ?> facts) {
		return new Lightweight(facts);
	}

	/** The peer has the entitlement, whatever its value. */
	static XpcRequirement entitlementExists(String entitlement) {
		return new EntitlementExists(entitlement);
	}

	/**
	 * The peer's entitlement has this value.
	 * @param value a {@link Boolean}, {@link String} or integer within int64 (the XPC types libxpc accepts)
	 * @throws IllegalArgumentException for any other value
	 */
	static XpcRequirement entitlementMatches(String entitlement, Object value) {
		return new EntitlementMatches(entitlement, value);
	}

	/**
	 * A code-signing requirement string.
	 *
	 * @param text requirement source
	 */
	record CodeSigning(String text) implements XpcRequirement {

		public CodeSigning {
			Objects.requireNonNull(text, "'text' must not be null");
		}

		@Override
		public String describe() {
			return this.text;
		}


		@Override
		public int applyTo(XpcPeerConnection peer) {
			return peer.setCodeSigningRequirement(this.text);
		}

		@Override
		public String setterFunction() {
			return "xpc_connection_set_peer_code_signing_requirement";
		}

		@Override
		public XpcSecurity.PeerRequirementObject createObject(XpcSecurity security) {
			throw new IllegalArgumentException("Not a lightweight requirement: " + describe());
		}

		@Override
		public String creatorFunction() {
			throw new IllegalArgumentException("Not a lightweight requirement: " + describe());
		}

	}

	/**
	 * A lightweight code requirement.
	 *
	 * @param facts the LWCR dictionary
	 */
	record Lightweight(Map<String, ?> facts) implements XpcRequirement {

		public Lightweight {
			facts = Map.copyOf(facts);
		}

		@Override
		public String describe() {
			return "lwcr " + this.facts;
		}


		@Override
		public int applyTo(XpcPeerConnection peer) {
			return peer.setLightweightRequirement(this.facts);
		}

		@Override
		public String setterFunction() {
			return "xpc_connection_set_peer_lightweight_code_requirement";
		}

		@Override
		public XpcSecurity.PeerRequirementObject createObject(XpcSecurity security) {
			return security.lightweight(this.facts);
		}

		@Override
		public String creatorFunction() {
			return "xpc_peer_requirement_create_lwcr";
		}

	}

	/**
	 * Signed by the team of this process's own signature, as a code-signing requirement built at listener start
	 * ({@code anchor apple generic and certificate leaf[subject.OU] = <team>}): unlike {@link TeamIdentity}, it
	 * works from macOS 11 ({@code observed}) and 12 ({@code os}), its rejections are explained clause by clause, and
	 * the team it resolved to shows in logs and the endpoint. {@code requirement.same-team: true} configures it.
	 */
	record SameTeam() implements XpcRequirement {

		@Override
		public String describe() {
			return "same team as this process";
		}

		@Override
		public boolean lightweight() {
			// resolved to a code-signing string before the mechanism is selected
			return false;
		}


		@Override
		public int applyTo(XpcPeerConnection peer) {
			throw new IllegalStateException("same-team is resolved to a code-signing requirement before use");
		}

		@Override
		public String setterFunction() {
			return "xpc_connection_set_peer_code_signing_requirement";
		}

		@Override
		public XpcSecurity.PeerRequirementObject createObject(XpcSecurity security) {
			throw new IllegalArgumentException("Not a lightweight requirement: " + describe());
		}

		@Override
		public String creatorFunction() {
			throw new IllegalArgumentException("Not a lightweight requirement: " + describe());
		}

	}

	/**
	 * libxpc's team-identity requirement: signed by this process's team, optionally with this identifier (macOS
	 * 14.4 {@code os}, 26 {@code observed}). {@link SameTeam} is the form that works on older systems.
	 *
	 * @param signingIdentifier identifier or {@code null} for any
	 */
	record TeamIdentity(@Nullable String signingIdentifier) implements XpcRequirement {

		@Override
		public String describe() {
			return "same team" + ((this.signingIdentifier != null) ? ", identifier " + this.signingIdentifier : "");
		}


		@Override
		public int applyTo(XpcPeerConnection peer) {
			return peer.setTeamIdentityRequirement(this.signingIdentifier);
		}

		@Override
		public String setterFunction() {
			return "xpc_connection_set_peer_team_identity_requirement";
		}

		@Override
		public XpcSecurity.PeerRequirementObject createObject(XpcSecurity security) {
			return security.teamIdentity(this.signingIdentifier);
		}

		@Override
		public String creatorFunction() {
			return "xpc_peer_requirement_create_team_identity";
		}

	}

	/**
	 * An Apple platform binary, optionally with this identifier.
	 *
	 * @param signingIdentifier identifier or {@code null} for any
	 */
	record PlatformIdentity(@Nullable String signingIdentifier) implements XpcRequirement {

		@Override
		public String describe() {
			return "platform binary"
					+ ((this.signingIdentifier != null) ? ", identifier " + this.signingIdentifier : "");
		}


		@Override
		public int applyTo(XpcPeerConnection peer) {
			return peer.setPlatformIdentityRequirement(this.signingIdentifier);
		}

		@Override
		public String setterFunction() {
			return "xpc_connection_set_peer_platform_identity_requirement";
		}

		@Override
		public XpcSecurity.PeerRequirementObject createObject(XpcSecurity security) {
			return security.platformIdentity(this.signingIdentifier);
		}

		@Override
		public String creatorFunction() {
			return "xpc_peer_requirement_create_platform_identity";
		}

	}

	/**
	 * The peer has the entitlement.
	 *
	 * @param entitlement entitlement name
	 */
	record EntitlementExists(String entitlement) implements XpcRequirement {

		public EntitlementExists {
			checkName(entitlement);
		}

		@Override
		public String describe() {
			return "entitlement " + this.entitlement;
		}


		@Override
		public int applyTo(XpcPeerConnection peer) {
			return peer.setEntitlementExistsRequirement(this.entitlement);
		}

		@Override
		public String setterFunction() {
			return "xpc_connection_set_peer_entitlement_exists_requirement";
		}

		@Override
		public XpcSecurity.PeerRequirementObject createObject(XpcSecurity security) {
			return security.entitlementExists(this.entitlement);
		}

		@Override
		public String creatorFunction() {
			return "xpc_peer_requirement_create_entitlement_exists";
		}

	}

	/**
	 * The peer's entitlement equals the value, type included: {@code true} does not match the string
	 * {@code "true"}, nor {@code 1} the string {@code "1"}. libxpc accepts only bool, string and int64 values
	 * (macOS 26 {@code xpc/peer_requirement.h}), so the value is a {@link Boolean}, a {@link String} or a
	 * {@link Long}; other integer types within int64 are normalised to {@link Long}, anything else is refused here
	 * rather than by libxpc at the first connection.
	 *
	 * @param entitlement entitlement name
	 * @param value the value the entitlement must have
	 */
	record EntitlementMatches(String entitlement, Object value) implements XpcRequirement {

		private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

		private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

		public EntitlementMatches {
			checkName(entitlement);
			Objects.requireNonNull(value, "'value' must not be null");
			value = normalize(value);
		}

		private static Object normalize(Object value) {
			if (value instanceof String text && text.indexOf('\0') >= 0) {
				// libxpc would see the string up to the NUL only
				throw new IllegalArgumentException("Entitlement value must not contain a NUL character");
			}
			if (value instanceof Boolean || value instanceof String || value instanceof Long) {
				return value;
			}
			if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
				return ((Number) value).longValue();
			}
			if (value instanceof BigInteger big) {
				if (big.compareTo(INT64_MIN) < 0 || big.compareTo(INT64_MAX) > 0) {
					throw new IllegalArgumentException("Entitlement value " + big + " is outside int64 ["
							+ Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]");
				}
				return big.longValueExact();
			}
			throw new IllegalArgumentException("Entitlement value " + value + " (" + value.getClass().getSimpleName()
					+ ") is not a bool, string or int64, the only types libxpc matches entitlements against");
		}

		@Override
		public String describe() {
			String shown = (this.value instanceof String text) ? "\"" + text + "\"" : String.valueOf(this.value);
			return "entitlement " + this.entitlement + " = " + shown;
		}


		@Override
		public int applyTo(XpcPeerConnection peer) {
			return peer.setEntitlementMatchesValueRequirement(this.entitlement, this.value);
		}

		@Override
		public String setterFunction() {
			return "xpc_connection_set_peer_entitlement_matches_value_requirement";
		}

		@Override
		public XpcSecurity.PeerRequirementObject createObject(XpcSecurity security) {
			return security.entitlementMatches(this.entitlement, this.value);
		}

		@Override
		public String creatorFunction() {
			return "xpc_peer_requirement_create_entitlement_matches_value";
		}

	}

	/** Names go to libxpc as C strings: a NUL would silently cut the name short. */
	private static void checkName(String entitlement) {
		Objects.requireNonNull(entitlement, "'entitlement' must not be null");
		if (entitlement.isBlank() || entitlement.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("Entitlement name must be non-blank and free of NUL characters");
		}
	}

}
