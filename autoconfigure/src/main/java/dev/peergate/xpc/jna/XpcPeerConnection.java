package dev.peergate.xpc.jna;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.sun.jna.Pointer;
import dev.peergate.handler.IpcFileDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * One peer connection handed to a listener. libxpc's rules are enforced here rather than trusted to callers,
 * because breaking them terminates the process:
 * <ul>
 * <li>at most one peer-requirement setter, and only before {@link #start};</li>
 * <li>the connection is retained on arrival and released only after its final {@code XPC_ERROR_CONNECTION_INVALID}
 * — never while inactive;</li>
 * <li>a connection refused before start is cancelled and then activated so that libxpc can finalize it.</li>
 * </ul>
 * <p>
 * Stream messages ({@link #send}) are counted until a send barrier ({@code xpc_connection_send_barrier}) confirms
 * they left libxpc's send queue: libxpc never refuses a message, it queues what the peer's Mach port cannot take
 * (the port holds a handful), so {@link #unsent()} is what this process holds for a peer that does not receive,
 * and {@link #awaitRoom} lets a sender wait for it to drop.
 *
 * <pre>{@code
 * peer.setCodeSigningRequirement("identifier \"com.example.cli\"");
 * peer.start(message -> ..., event -> ...);
 * }</pre>
 */
public final class XpcPeerConnection {

	private final XpcNative nativeXpc;

	private final Pointer connection;

	private final long uid;

	private final long gid;

	private final long pid;

	private final AtomicBoolean requirementSet = new AtomicBoolean();

	private final AtomicBoolean started = new AtomicBoolean();

	private final AtomicBoolean cancelled = new AtomicBoolean();

	private volatile boolean invalid;

	private final Object lock = new Object();

	/**
	 * Set while a libxpc queue thread runs this class's message handler: such a thread must never wait for room,
	 * since the barriers that would end the wait run on it.
	 */
	private static final ThreadLocal<Boolean> DELIVERING = new ThreadLocal<>();

	/**
	 * One barrier per this many stream messages, plus one before any wait: a barrier costs a native call and
	 * three callbacks (copy, invoke, dispose), and the count only needs to be exact when a sender waits.
	 */
	static final int BARRIER_EVERY = 4;

	/** Stream messages sent. */
	private final AtomicLong sent = new AtomicLong();

	/** Messages sent up to the last barrier issued; guarded by {@link #lock}. */
	private long barrierAt;

	/** Messages known to have left the send queue (the highest count a barrier that ran covered). */
	private volatile long confirmed;

	/** Senders waiting in {@link #awaitRoom} for barriers to run. */
	private final Object room = new Object();

	XpcPeerConnection(XpcNative nativeXpc, Pointer borrowed) {
		this.nativeXpc = nativeXpc;
		LibXpc xpc = nativeXpc.xpc();
		this.connection = xpc.xpc_retain(borrowed);
		this.uid = Integer.toUnsignedLong(xpc.xpc_connection_get_euid(this.connection));
		this.gid = Integer.toUnsignedLong(xpc.xpc_connection_get_egid(this.connection));
		this.pid = xpc.xpc_connection_get_pid(this.connection);
	}

	/**
	 * Runs a native operation on the connection unless it was finalized; serialized with the release after the
	 * final event, so the pointer is never used after libxpc may have freed it.
	 */
	boolean whileOpen(Consumer<Pointer> operation) {
		synchronized (this.lock) {
			if (this.invalid) {
				return false;
			}
			operation.accept(this.connection);
			return true;
		}
	}

	private void finalized() {
		synchronized (this.lock) {
			this.invalid = true;
		}
		wakeSenders();
	}

	private void release() {
		synchronized (this.lock) {
			this.nativeXpc.xpc().xpc_release(this.connection);
		}
	}

	/** Effective uid from the connection's audit token. */
	public long uid() {
		return this.uid;
	}

	/** Effective gid from the connection's audit token. */
	public long gid() {
		return this.gid;
	}

	/** PID at connection time: a hint for logs only. */
	public long pidHint() {
		return this.pid;
	}

	/** Whether the connection has not been finalized. */
	public boolean isOpen() {
		return !this.invalid && !this.cancelled.get();
	}

	private LibXpcPeerRequirements setter(String function) {
		if (this.started.get()) {
			throw new IllegalStateException(function + " after the connection was started");
		}
		if (!this.requirementSet.compareAndSet(false, true)) {
			throw new IllegalStateException(
					"A peer requirement is already set on this connection; libxpc terminates the process on a second one");
		}
		if (!this.nativeXpc.availability().has(function)) {
			throw new UnsupportedOperationException(function + " is not available in this libxpc");
		}
		return this.nativeXpc.requirements();
	}

	/** {@code xpc_connection_set_peer_code_signing_requirement} (12.0); returns libxpc's result (0 = success). */
	public int setCodeSigningRequirement(String requirement) {
		return setter("xpc_connection_set_peer_code_signing_requirement")
			.xpc_connection_set_peer_code_signing_requirement(this.connection, requirement);
	}

	/** {@code xpc_connection_set_peer_lightweight_code_requirement} (14.4). */
	public int setLightweightRequirement(Map<String, ?> lwcr) {
		LibXpcPeerRequirements requirements = setter("xpc_connection_set_peer_lightweight_code_requirement");
		Pointer dictionary = this.nativeXpc.values().toXpc(lwcr);
		try {
			return requirements.xpc_connection_set_peer_lightweight_code_requirement(this.connection, dictionary);
		}
		finally {
			this.nativeXpc.xpc().xpc_release(dictionary);
		}
	}

	/** {@code xpc_connection_set_peer_team_identity_requirement} (14.4); {@code null} = any code of this team. */
	public int setTeamIdentityRequirement(@Nullable String signingIdentifier) {
		return setter("xpc_connection_set_peer_team_identity_requirement")
			.xpc_connection_set_peer_team_identity_requirement(this.connection, signingIdentifier);
	}

	/** {@code xpc_connection_set_peer_platform_identity_requirement} (14.4). */
	public int setPlatformIdentityRequirement(@Nullable String signingIdentifier) {
		return setter("xpc_connection_set_peer_platform_identity_requirement")
			.xpc_connection_set_peer_platform_identity_requirement(this.connection, signingIdentifier);
	}

	/** {@code xpc_connection_set_peer_entitlement_exists_requirement} (14.4). */
	public int setEntitlementExistsRequirement(String entitlement) {
		return setter("xpc_connection_set_peer_entitlement_exists_requirement")
			.xpc_connection_set_peer_entitlement_exists_requirement(this.connection, entitlement);
	}

	/**
	 * {@code xpc_connection_set_peer_entitlement_matches_value_requirement} (14.4). The value becomes an XPC object
	 * for the call and is released after it (libxpc retains what it keeps); libxpc accepts bool, string and int64.
	 */
	public int setEntitlementMatchesValueRequirement(String entitlement, Object value) {
		LibXpcPeerRequirements requirements = setter("xpc_connection_set_peer_entitlement_matches_value_requirement");
		Pointer object = this.nativeXpc.values().toXpc(value);
		try {
			return requirements.xpc_connection_set_peer_entitlement_matches_value_requirement(this.connection,
					entitlement, object);
		}
		finally {
			this.nativeXpc.xpc().xpc_release(object);
		}
	}

	/**
	 * {@code xpc_connection_set_peer_requirement} (26.0). The function returns {@code void}: a requirement object
	 * exists only once libxpc created it, so there is no failure left to report.
	 */
	public void setPeerRequirement(XpcSecurity.PeerRequirementObject requirement) {
		setter("xpc_connection_set_peer_requirement").xpc_connection_set_peer_requirement(this.connection,
				requirement.pointer());
	}

	/**
	 * Installs the event handler and activates the connection. Events arrive serially on a native thread:
	 * messages as {@link XpcMessage} (retained; the consumer owns it and must close it), errors as
	 * {@link XpcEvent}; {@link XpcEvent#CONNECTION_INVALID} is the last event, after which the connection is
	 * released.
	 */
	public void start(Consumer<XpcMessage> messages, Consumer<XpcEvent> events) {
		if (!this.started.compareAndSet(false, true)) {
			throw new IllegalStateException("Connection already started");
		}
		ConnectionEvents.install(this.nativeXpc, this.connection, XpcType.DICTIONARY, (event) -> {
			XpcMessage message = new XpcMessage(this.nativeXpc, this, event);
			DELIVERING.set(Boolean.TRUE);
			try {
				messages.accept(message);
			}
			catch (RuntimeException ex) {
				message.close();
				throw ex;
			}
			finally {
				DELIVERING.remove();
			}
		}, events, this::finalized, this::release);
		this.nativeXpc.xpc().xpc_connection_resume(this.connection);
	}

	/**
	 * Refuses a connection that was never started: installs a handler that only waits for the final event,
	 * cancels, then activates (releasing an inactive connection is fatal in libxpc).
	 */
	public void refuseBeforeStart(Consumer<XpcEvent> events) {
		if (!this.started.compareAndSet(false, true)) {
			throw new IllegalStateException("Connection already started");
		}
		// messages that raced the refusal are dropped; only the final event is reported
		ConnectionEvents.install(this.nativeXpc, this.connection, XpcType.DICTIONARY, (event) -> {
		}, (kind) -> {
			if (kind == XpcEvent.CONNECTION_INVALID) {
				events.accept(kind);
			}
		}, this::finalized, this::release);
		LibXpc xpc = this.nativeXpc.xpc();
		this.cancelled.set(true);
		xpc.xpc_connection_cancel(this.connection);
		xpc.xpc_connection_resume(this.connection);
	}

	/**
	 * Sends a message to the peer outside any reply (stream items) and counts it as unsent until a barrier
	 * confirms it left the send queue. Returns false when the connection is gone. The file descriptors in
	 * {@code body} are closed either way (the message holds duplicates).
	 */
	public boolean send(Map<String, ? extends @Nullable Object> body) {
		if (!isOpen()) {
			IpcFileDescriptor.closeAllIn(body);
			return false;
		}
		Pointer message;
		try {
			message = this.nativeXpc.values().toXpc(body);
		}
		finally {
			IpcFileDescriptor.closeAllIn(body);
		}
		try {
			return whileOpen((connection) -> {
				this.nativeXpc.xpc().xpc_connection_send_message(connection, message);
				long count = this.sent.incrementAndGet();
				if (count - this.barrierAt >= BARRIER_EVERY) {
					barrier(connection, count);
				}
			});
		}
		finally {
			this.nativeXpc.xpc().xpc_release(message);
		}
	}

	/** Stream messages sent that libxpc may still hold in this process (upper bound: barriers confirm in steps). */
	public long unsent() {
		return this.sent.get() - this.confirmed;
	}

	/**
	 * Waits while at least {@code bound} stream messages are {@linkplain #unsent() unsent}: until the peer receives
	 * enough of them, the connection ends, or the thread is interrupted (the flag is restored). Returns at once on a
	 * thread libxpc delivers this connection's messages on (a non-blocking handler): the barriers that end the
	 * wait run there.
	 */
	public void awaitRoom(int bound) {
		if (DELIVERING.get() != null) {
			return;
		}
		while (isOpen()) {
			synchronized (this.room) {
				if (unsent() < bound) {
					return;
				}
			}
			// the wait can only end if a barrier covers every message counted
			whileOpen((connection) -> {
				long count = this.sent.get();
				if (this.barrierAt < count) {
					barrier(connection, count);
				}
			});
			synchronized (this.room) {
				if (isOpen() && unsent() >= bound) {
					try {
						this.room.wait(100); // woken by barriers and the end of the connection
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		}
	}

	/** Issues a barrier that confirms {@code count} messages once it runs; called under {@link #lock}. */
	private void barrier(Pointer connection, long count) {
		this.barrierAt = count;
		Blocks.Block block = this.nativeXpc.blocks().barrier(() -> confirm(count));
		try {
			this.nativeXpc.xpc().xpc_connection_send_barrier(connection, block.literal());
		}
		finally {
			block.handedOver();
		}
	}

	private void confirm(long count) {
		synchronized (this.room) {
			if (count > this.confirmed) {
				this.confirmed = count;
			}
			this.room.notifyAll();
		}
	}

	private void wakeSenders() {
		synchronized (this.room) {
			this.room.notifyAll();
		}
	}

	/**
	 * Cancels the connection; the handler then receives the final {@link XpcEvent#CONNECTION_INVALID}. Returns
	 * whether this call cancelled it.
	 */
	public boolean cancel() {
		if (this.started.get() && this.cancelled.compareAndSet(false, true)) {
			whileOpen(this.nativeXpc.xpc()::xpc_connection_cancel);
			wakeSenders();
			return true;
		}
		return false;
	}

}
