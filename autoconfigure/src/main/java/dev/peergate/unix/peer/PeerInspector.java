package dev.peergate.unix.peer;

import java.io.IOException;

import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import io.netty.channel.unix.DomainSocketChannel;
import org.jspecify.annotations.Nullable;

/**
 * Identifies the peer of an accepted Unix-domain connection in two steps: {@link #capture} reads the socket-level
 * credentials on the I/O thread while the connection's descriptor certainly names this connection; the returned
 * {@link PeerCapture#verify()} does the slower work (reading {@code /proc}, hashing the executable) on another
 * thread.
 *
 * <pre>{@code
 * PeerInspector.PeerCapture capture = inspector.capture(channel);   // I/O thread, at accept
 * executor.execute(() -> gate.admit(capture.verify()));            // elsewhere
 * }</pre>
 */
public interface PeerInspector {

	/** How peers are identified, for the {@link dev.peergate.core.Gate}. */
	Mechanism mechanism();

	/**
	 * An inspector that gathers only what {@code requirement} reads (and what identifies the peer to a human);
	 * this inspector when it cannot narrow its work.
	 */
	default PeerInspector forRequirement(PeerRequirement requirement) {
		return this;
	}

	/** Reads the socket-level credentials of a just-accepted connection, before any message is read. */
	PeerCapture capture(DomainSocketChannel channel) throws IOException;

	/**
	 * Like {@link #capture(DomainSocketChannel)}, for a connection whose {@link #connector} was already read:
	 * an inspector may take the credentials from it instead of asking the kernel again (they are fixed at
	 * {@code connect()}). The default reads them again.
	 */
	default PeerCapture capture(DomainSocketChannel channel, Connector connector) throws IOException {
		return capture(channel);
	}

	/**
	 * Who connected, as cheaply as the platform allows (one {@code getsockopt} on Linux): enough to admit or refuse
	 * the connection before anything else is read or opened for it. The default takes a whole capture.
	 */
	default Connector connector(DomainSocketChannel channel) throws IOException {
		try (PeerCapture capture = capture(channel)) {
			return new Connector(capture.uid(), Connector.UNKNOWN_GID, capture.pidHint());
		}
	}

	/**
	 * The user of a just-accepted connection, and its PID at connect time as a hint for humans.
	 *
	 * @param uid effective uid at connect time
	 * @param gid effective gid at connect time ({@link #UNKNOWN_GID} if not read)
	 * @param pidHint PID at connect time (-1 if none); never used for a decision
	 */
	record Connector(long uid, long gid, long pidHint) {

		/** The gid of a connector that did not read it. */
		public static final long UNKNOWN_GID = -1;

	}

	/** The socket-level credentials of one connection, not yet turned into {@link PeerCredentials}. */
	interface PeerCapture extends AutoCloseable {

		/** PID seen by the kernel at connect time, a hint only (-1 if none). */
		long pidHint();

		/** Effective uid at connect time. */
		long uid();

		/**
		 * Reads and verifies the process facts. Ownership of any process handle passes to the returned
		 * credentials; the capture must not be used or closed afterwards.
		 */
		PeerCredentials verify();

		/**
		 * Verifies like {@link #verify()} if that needs nothing that may block — no name lookup, no hashing, only
		 * reads of {@code /proc} and of caches — so that it can run on the I/O thread; {@code null} when it would
		 * block, and the capture is then unchanged for {@link #verify()} on another thread. The default never
		 * verifies here.
		 */
		default @Nullable PeerCredentials verifyWithoutBlocking() {
			return null;
		}

		/** Releases the process handle when {@link #verify()} will not be called. */
		@Override
		void close();

	}

}
