package dev.peergate.xpc;

import java.util.Map;
import java.util.Objects;

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
 * }</pre>
 */
public sealed interface XpcRequirement {

	/** Canonical text for logs, verdicts and the endpoint. */
	String describe();

	/** Whether this is a lightweight form (14.4 / 26 APIs) rather than a code-signing string. */
	default boolean lightweight() {
		return !(this instanceof CodeSigning);
	}

	/** A code-signing requirement string. */
	static XpcRequirement codeSigning(String text) {
		return new CodeSigning(text);
	}

	/** An LWCR fact dictionary (the neutral tree: maps, lists, strings, numbers, booleans). */
	static XpcRequirement lightweight(Map<String, ?> facts) {
		return new Lightweight(facts);
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

	}

	/**
	 * Signed by this process's team, optionally with this identifier.
	 *
	 * @param signingIdentifier identifier or {@code null} for any
	 */
	record TeamIdentity(@Nullable String signingIdentifier) implements XpcRequirement {

		@Override
		public String describe() {
			return "same team" + ((this.signingIdentifier != null) ? ", identifier " + this.signingIdentifier : "");
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

	}

	/**
	 * The peer has the entitlement.
	 *
	 * @param entitlement entitlement name
	 */
	record EntitlementExists(String entitlement) implements XpcRequirement {

		public EntitlementExists {
			Objects.requireNonNull(entitlement, "'entitlement' must not be null");
		}

		@Override
		public String describe() {
			return "entitlement " + this.entitlement;
		}

	}

}
