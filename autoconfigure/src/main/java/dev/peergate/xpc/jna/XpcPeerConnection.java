package dev.peergate.xpc.jna;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.sun.jna.Pointer;
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

	/** {@code xpc_connection_set_peer_requirement} (26.0). */
	public int setPeerRequirement(XpcSecurity.PeerRequirementObject requirement) {
		return setter("xpc_connection_set_peer_requirement").xpc_connection_set_peer_requirement(this.connection,
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
			try {
				messages.accept(message);
			}
			catch (RuntimeException ex) {
				message.close();
				throw ex;
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

	/** Sends a message to the peer outside any reply (stream items). Returns false when the connection is gone. */
	public boolean send(Map<String, ? extends @Nullable Object> body) {
		if (!isOpen()) {
			return false;
		}
		Pointer message = this.nativeXpc.values().toXpc(body);
		try {
			return whileOpen((connection) -> this.nativeXpc.xpc().xpc_connection_send_message(connection, message));
		}
		finally {
			this.nativeXpc.xpc().xpc_release(message);
		}
	}

	/** Cancels the connection; the handler then receives the final {@link XpcEvent#CONNECTION_INVALID}. */
	public void cancel() {
		if (this.started.get() && this.cancelled.compareAndSet(false, true)) {
			whileOpen(this.nativeXpc.xpc()::xpc_connection_cancel);
		}
	}

}
