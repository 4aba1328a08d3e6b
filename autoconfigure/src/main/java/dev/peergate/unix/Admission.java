package dev.peergate.unix;

import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.UidCounts;
import org.jspecify.annotations.Nullable;

/**
 * Which connections a Unix listener takes, so that peers who are refused, or who never finish a message, cannot
 * crowd out the peers who are allowed:
 * <ul>
 * <li>{@code max-connections} counts connections that are being verified or were accepted. A refused connection
 * gives its slot back as soon as its verdict is known: it lives on only to carry its refusal.</li>
 * <li>{@code max-connections-per-uid} counts every open connection of one user, refused ones included, so one user
 * can hold at most that many of the listener's connections and file descriptors, whatever their verdicts.</li>
 * <li>{@code max-verifying} bounds the connections awaiting a verdict, the work a flood can queue for the
 * verification threads.</li>
 * </ul>
 * Thread-safe: each event loop admits and releases its own connections.
 *
 * <pre>{@code
 * Admission admission = new Admission(256, 64, 128);
 * Admission.Ticket ticket = admission.admit(uid);
 * if (ticket.refusal() != null) { close(); }
 * ticket.decided(accepted);   // a refused connection releases its max-connections slot here
 * ticket.release();           // at close
 * }</pre>
 */
final class Admission {

	/** Limit tags, as reported to {@link dev.peergate.core.TransportEvents#limitExceeded}. */
	static final String MAX_CONNECTIONS = "max-connections", MAX_PER_UID = "max-connections-per-uid",
			MAX_VERIFYING = "max-verifying";

	private final int maxConnections;

	private final int maxVerifying;

	private final AtomicInteger slots = new AtomicInteger();

	private final AtomicInteger verifying = new AtomicInteger();

	/** Open connections per uid, refused ones included. */
	private final UidCounts perUid;

	Admission(int maxConnections, int maxPerUid, int maxVerifying) {
		this.maxConnections = maxConnections;
		this.perUid = new UidCounts(maxPerUid);
		this.maxVerifying = maxVerifying;
	}

	/** Admits a new connection of {@code uid}, or returns a ticket that says which limit refused it. */
	Ticket admit(long uid) {
		if (!this.perUid.tryAcquire(uid)) {
			return new Ticket(uid, MAX_PER_UID,
					"uid " + uid + " has " + this.perUid.max() + " connections open (max-connections-per-uid)");
		}
		if (this.slots.incrementAndGet() > this.maxConnections) {
			this.slots.decrementAndGet();
			this.perUid.release(uid);
			return new Ticket(uid, MAX_CONNECTIONS,
					"listener has " + this.maxConnections + " connections open (max-connections)");
		}
		if (this.verifying.incrementAndGet() > this.maxVerifying) {
			this.verifying.decrementAndGet();
			this.slots.decrementAndGet();
			this.perUid.release(uid);
			return new Ticket(uid, MAX_VERIFYING,
					this.maxVerifying + " connections are awaiting their verdict (max-verifying)");
		}
		return new Ticket(uid, null, null);
	}

	/** One connection's admission; each count it holds is given back exactly once. */
	final class Ticket {

		private final long uid;

		private final @Nullable String refusedBy;

		private final @Nullable String explanation;

		private boolean verifying;

		private boolean holdsSlot;

		private boolean open;

		private Ticket(long uid, @Nullable String refusedBy, @Nullable String explanation) {
			this.uid = uid;
			this.refusedBy = refusedBy;
			this.explanation = explanation;
			boolean admitted = refusedBy == null;
			this.verifying = admitted;
			this.holdsSlot = admitted;
			this.open = admitted;
		}

		/** The tag of the limit that refused the connection; {@code null} when it was admitted. */
		@Nullable String refusedBy() {
			return this.refusedBy;
		}

		/** Why the connection was refused, for its verdict. */
		String explanation() {
			return (this.explanation != null) ? this.explanation : "admitted";
		}

		/** The verdict is known: no longer verifying, and a refused connection gives its slot back. */
		synchronized void decided(boolean accepted) {
			if (this.verifying) {
				this.verifying = false;
				Admission.this.verifying.decrementAndGet();
			}
			if (!accepted) {
				releaseSlot();
			}
		}

		/** The connection closed: gives back whatever it still holds. */
		synchronized void release() {
			decided(false);
			if (this.open) {
				this.open = false;
				Admission.this.perUid.release(this.uid);
			}
		}

		private void releaseSlot() {
			if (this.holdsSlot) {
				this.holdsSlot = false;
				Admission.this.slots.decrementAndGet();
			}
		}

	}

}
