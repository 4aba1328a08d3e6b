package dev.peergate.core;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * What a transport captured about a connecting peer, before any decision: numeric ids, a PID <em>hint</em>, a
 * stable process handle when the platform has one, and named {@link PeerFacts}.
 * <p>
 * The PID is only ever a hint for logs: it can be recycled between capture and use. Decisions rely on the
 * process handle (pidfd, audit token) and the facts verified against it.
 *
 * <pre>{@code
 * try (PeerCredentials peer = PeerCredentials.builder("in-process").uid(1000).gid(1000).build()) {
 *     Verdict verdict = gate.admit(peer);
 * }
 * }</pre>
 */
public final class PeerCredentials implements AutoCloseable {

	private final String transport;

	private final long uid;

	private final long gid;

	private final List<Long> groups;

	private final long pidHint;

	private final byte @Nullable [] auditToken;

	private final @Nullable ProcessHandleRef processHandle;

	private final PeerFacts facts;

	private final long capturedNanos;

	private PeerCredentials(Builder builder) {
		this.transport = builder.transport;
		this.uid = builder.uid;
		this.gid = builder.gid;
		this.groups = List.copyOf(builder.groups);
		this.pidHint = builder.pidHint;
		this.auditToken = (builder.auditToken != null) ? builder.auditToken.clone() : null;
		this.processHandle = builder.processHandle;
		this.facts = builder.facts;
		this.capturedNanos = builder.capturedNanos;
	}

	/** A builder for credentials captured by the named transport ({@code unix}, {@code xpc}, {@code in-process}). */
	public static Builder builder(String transport) {
		return new Builder(transport);
	}

	/** Transport that captured the credentials. */
	public String transport() {
		return this.transport;
	}

	/** Effective user id, or -1 when unknown. */
	public long uid() {
		return this.uid;
	}

	/** Effective group id, or -1 when unknown. */
	public long gid() {
		return this.gid;
	}

	/** Supplementary group ids (may be empty). */
	public List<Long> groups() {
		return this.groups;
	}

	/** PID observed at capture time; a hint for humans, never an identity. */
	public OptionalLong pidHint() {
		return (this.pidHint > 0) ? OptionalLong.of(this.pidHint) : OptionalLong.empty();
	}

	/** The 32-byte macOS audit token attached by the OS, or {@code null}. */
	public byte @Nullable [] auditToken() {
		return (this.auditToken != null) ? this.auditToken.clone() : null;
	}

	/** Stable process handle (pidfd), or {@code null} when the platform gave none. */
	public @Nullable ProcessHandleRef processHandle() {
		return this.processHandle;
	}

	/**
	 * When the transport began to identify the peer ({@link System#nanoTime()}: its accept, its first message), or
	 * {@code 0} when it did not say: the start of the verification a verdict reports.
	 */
	public long capturedNanos() {
		return this.capturedNanos;
	}

	/** Named facts, verified or not. */
	public PeerFacts facts() {
		return this.facts;
	}

	/** Releases the process handle, if any. */
	@Override
	public void close() {
		if (this.processHandle != null) {
			this.processHandle.close();
		}
	}

	@Override
	public String toString() {
		return "PeerCredentials{" + this.transport + " uid=" + this.uid + " gid=" + this.gid
				+ ((this.pidHint > 0) ? " pid~" + this.pidHint : "") + " " + this.facts + "}";
	}

	/** Builds {@link PeerCredentials}. */
	public static final class Builder {

		private final String transport;

		private long uid = -1;

		private long gid = -1;

		private List<Long> groups = List.of();

		private long pidHint = -1;

		private byte @Nullable [] auditToken;

		private @Nullable ProcessHandleRef processHandle;

		private PeerFacts facts = PeerFacts.empty();

		private long capturedNanos;

		private Builder(String transport) {
			this.transport = Objects.requireNonNull(transport, "'transport' must not be null");
		}

		/** Effective uid. */
		public Builder uid(long uid) {
			this.uid = uid;
			return this;
		}

		/** Effective gid. */
		public Builder gid(long gid) {
			this.gid = gid;
			return this;
		}

		/** Supplementary groups. */
		public Builder groups(List<Long> groups) {
			this.groups = groups;
			return this;
		}

		/** PID seen at capture time (hint only). */
		public Builder pidHint(long pid) {
			this.pidHint = pid;
			return this;
		}

		/** The audit token bytes (macOS). */
		public Builder auditToken(byte @Nullable [] token) {
			this.auditToken = token;
			return this;
		}

		/** A stable handle on the peer process; ownership passes to the credentials. */
		public Builder processHandle(@Nullable ProcessHandleRef handle) {
			this.processHandle = handle;
			return this;
		}

		/** Facts captured for the peer. */
		/** When the transport began to identify the peer, in {@link System#nanoTime()}. */
		public Builder capturedAt(long nanoTime) {
			this.capturedNanos = nanoTime;
			return this;
		}

		public Builder facts(PeerFacts facts) {
			this.facts = Objects.requireNonNull(facts, "'facts' must not be null");
			return this;
		}

		/** Immutable credentials. */
		public PeerCredentials build() {
			return new PeerCredentials(this);
		}

	}

}
