package dev.peergate.core;

/**
 * A stable, race-free handle on the peer process (a pidfd on Linux, an audit token on macOS), owned by the
 * {@link PeerCredentials} that carry it and released when they are closed.
 *
 * <pre>{@code
 * ProcessHandleRef handle = credentials.processHandle();
 * if (handle != null && !handle.isAlive()) {
 *     return Evaluation.unsatisfied(Reason.PEER_GONE, handle.kind() + ": the peer exited");
 * }
 * }</pre>
 */
public interface ProcessHandleRef extends AutoCloseable {

	/** Whether the handle still names the same, live process. */
	boolean isAlive();

	/** Kind of handle for display, e.g. {@code pidfd} or {@code audit-token}. */
	String kind();

	/** Releases the handle; idempotent, never throws. */
	@Override
	void close();

}
