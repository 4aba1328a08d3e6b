package dev.peergate.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Named facts a transport established about a peer, each either <em>verified</em> (with its value) or
 * <em>unverified</em> (with the reason it could not be trusted). Requirements fail closed on unverified facts.
 * <p>
 * Fact names are those of the requirement languages: {@code uid}, {@code executable-path},
 * {@code systemd-unit} on Linux; {@code signing-identifier}, {@code team-identifier} on macOS.
 *
 * <pre>{@code
 * PeerFacts facts = PeerFacts.builder()
 *     .verified("uid", 1000L)
 *     .unverified("executable-path", "kernel has no SO_PEERPIDFD")
 *     .build();
 * }</pre>
 */
public final class PeerFacts {

	private static final PeerFacts EMPTY = new PeerFacts(Map.of(), Map.of());

	private final Map<String, Object> verified;

	private final Map<String, String> unverified;

	private PeerFacts(Map<String, Object> verified, Map<String, String> unverified) {
		this.verified = verified;
		this.unverified = unverified;
	}

	/** No facts at all. */
	public static PeerFacts empty() {
		return EMPTY;
	}

	/** A builder; insertion order is kept for display. */
	public static Builder builder() {
		return new Builder();
	}

	/** The verified value of a fact, if it was captured and verified. */
	public Optional<Object> get(String name) {
		return Optional.ofNullable(this.verified.get(name));
	}

	/** Why a fact is unverified, or {@code null} when it is verified or was never captured. */
	public @Nullable String unverifiedReason(String name) {
		return this.unverified.get(name);
	}

	/** Whether the fact was captured but could not be verified. */
	public boolean isUnverified(String name) {
		return this.unverified.containsKey(name);
	}

	/** All verified facts, read-only, in capture order. */
	public Map<String, Object> verified() {
		return this.verified;
	}

	/** All unverified facts with their reasons, read-only. */
	public Map<String, String> unverified() {
		return this.unverified;
	}

	/** A copy of this builder's content to add more facts to. */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.verified.putAll(this.verified);
		builder.unverified.putAll(this.unverified);
		return builder;
	}

	@Override
	public String toString() {
		return "PeerFacts" + this.verified + (this.unverified.isEmpty() ? "" : " unverified=" + this.unverified.keySet());
	}

	/** Builds {@link PeerFacts}; a later call for the same name replaces the earlier one. */
	public static final class Builder {

		private final Map<String, Object> verified = new LinkedHashMap<>();

		private final Map<String, String> unverified = new LinkedHashMap<>();

		private Builder() {
		}

		/** Records a verified fact. */
		public Builder verified(String name, Object value) {
			this.unverified.remove(name);
			this.verified.put(name, value);
			return this;
		}

		/** Records a fact that was not (or could not be) verified, with the reason. */
		public Builder unverified(String name, String reason) {
			this.verified.remove(name);
			this.unverified.put(name, reason);
			return this;
		}

		/** Immutable facts. */
		public PeerFacts build() {
			if (this.verified.isEmpty() && this.unverified.isEmpty()) {
				return EMPTY;
			}
			return new PeerFacts(Collections.unmodifiableMap(new LinkedHashMap<>(this.verified)),
					Collections.unmodifiableMap(new LinkedHashMap<>(this.unverified)));
		}

	}

}
