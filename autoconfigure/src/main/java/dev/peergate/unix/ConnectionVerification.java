package dev.peergate.unix;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.PeerCredentials;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import dev.peergate.unix.peer.PeerInspector;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.unix.DomainSocketChannel;
import org.jspecify.annotations.Nullable;

/**
 * Who a new connection's peer is and whether the gate lets it in, and the order of what follows: the verdict is
 * reported (metrics, events, endpoint) before the peer gets any reply.
 * <p>
 * At accept the peer's uid is read first, so that a connection over a limit is refused before a pidfd is opened.
 * When the rest needs nothing that may block (the requirement evaluates in memory, names and digests are cached)
 * the gate decides right there on the I/O thread; otherwise on a verification thread, so a slow or paused
 * verification never holds up other clients. Verdicts are always reported on a verification thread.
 */
final class ConnectionVerification {

	/** Verdict reporting of a connection: not yet, not yet with replies waiting, done. */
	private static final int NOT_REPORTED = 0, FLUSH_WAITING = 1, REPORTED = 2;

	private final ConnectionServices services;

	private final VarlinkConnection connection;

	private final ChannelHandlerContext ctx;

	private Admission.@Nullable Ticket ticket;

	/** {@link #NOT_REPORTED}, {@link #FLUSH_WAITING} or {@link #REPORTED}; set across threads. */
	private final AtomicInteger reporting = new AtomicInteger(NOT_REPORTED);

	/** Event-loop copy of {@code reporting == REPORTED}. */
	private boolean reported;

	ConnectionVerification(ConnectionServices services, VarlinkConnection connection, ChannelHandlerContext ctx) {
		this.services = services;
		this.connection = connection;
		this.ctx = ctx;
	}

	/** Runs on the event loop when the connection is accepted; the connection hears of the verdict later. */
	void begin() {
		DomainSocketChannel channel = (DomainSocketChannel) this.ctx.channel();
		PeerInspector.PeerCapture capture;
		try {
			// who it is first: a connection over a limit is refused before a pidfd is opened or more is read
			PeerInspector.Connector connector = this.services.inspector.connector(channel);
			Admission.Ticket admitted = this.services.admission.admit(connector.uid());
			if (admitted.refusedBy() != null) {
				refuseAtAccept(connector, admitted);
				return;
			}
			this.ticket = admitted;
			capture = this.services.inspector.capture(channel, connector);
		}
		catch (IOException | RuntimeException ex) {
			this.ctx.close();
			reportLater(this.services.gate.refusal(Reason.VERIFICATION_FAILED,
					"could not read the peer's socket credentials: " + ex.getMessage(),
					PeerCredentials.builder("unix").build()));
			return;
		}
		this.services.connections.add(this.connection);
		if (this.services.verifiesOnLoop && verifyOnLoop(capture)) {
			return;
		}
		try {
			this.services.verifier.execute(() -> verify(capture));
		}
		catch (RejectedExecutionException ex) {
			capture.close();
			this.ctx.close();
		}
	}

	/**
	 * Decides here, on the I/O thread, when nothing on the way blocks (see
	 * {@link PeerInspector.PeerCapture#verifyWithoutBlocking()}): that saves the connection two thread hand-offs.
	 */
	private boolean verifyOnLoop(PeerInspector.PeerCapture capture) {
		Decision decision = decide(capture, false);
		if (decision == null) {
			return false;
		}
		decided(decision);
		reportLater(decision.verdict());
		return true;
	}

	/** Runs on a verification thread: act first, then report, without waiting for verdict listeners. */
	private void verify(PeerInspector.PeerCapture capture) {
		Decision decision = decide(capture, true);
		if (decision == null) {
			throw new IllegalStateException("a verification that may block returned no decision");
		}
		if (!ConnectionServices.runOnLoop(this.ctx.executor(), () -> decided(decision))) {
			decision.peer().close(); // the event loop is gone: listener stopped
		}
		report(decision.verdict());
	}

	/** The verified peer and the gate's unreported verdict; {@code null} if verifying would block and may not. */
	private @Nullable Decision decide(PeerInspector.PeerCapture capture, boolean mayBlock) {
		try {
			PeerCredentials peer = mayBlock ? capture.verify() : capture.verifyWithoutBlocking();
			return (peer != null) ? new Decision(peer, this.services.gate.decide(peer)) : null;
		}
		catch (RuntimeException ex) {
			capture.close();
			PeerCredentials peer = PeerCredentials.builder("unix").uid(capture.uid()).pidHint(capture.pidHint()).build();
			return new Decision(peer, this.services.gate.refusal(Reason.VERIFICATION_FAILED,
					"verification failed: " + ex.getClass().getSimpleName() + ": " + ex.getMessage(), peer));
		}
	}

	/** Runs on the event loop. */
	private void decided(Decision decision) {
		Admission.Ticket admitted = this.ticket;
		if (admitted != null) {
			admitted.decided(decision.verdict().accepted());
		}
		this.connection.decided(decision.peer(), decision.verdict());
	}

	/** A limit refused the connection before verification: closed at once, reported as a verdict. */
	private void refuseAtAccept(PeerInspector.Connector connector, Admission.Ticket refused) {
		String limit = String.valueOf(refused.refusedBy());
		this.services.events.limitExceeded(this.services.listener, limit);
		this.ctx.close();
		reportLater(this.services.gate.refusal(Reason.LIMIT_EXCEEDED, refused.explanation(),
				PeerCredentials.builder("unix").uid(connector.uid()).pidHint(connector.pidHint()).build()));
	}

	/** Reports the verdict on a verification thread (the I/O thread does not run verdict listeners). */
	private void reportLater(Verdict verdict) {
		try {
			this.services.verifier.execute(() -> report(verdict));
		}
		catch (RejectedExecutionException ex) {
			report(verdict); // stopping: a verdict is never lost
		}
	}

	/** Reports the verdict, then lets the connection's replies go out. */
	private void report(Verdict verdict) {
		try {
			this.services.gate.report(verdict);
		}
		finally {
			if (this.reporting.getAndSet(REPORTED) == FLUSH_WAITING) {
				ConnectionServices.runOnLoop(this.ctx.executor(), this.connection::flush);
			}
		}
	}

	/** Runs on the event loop: whether replies may be written (the verdict is reported). */
	boolean verdictReported() {
		if (this.reported) {
			return true;
		}
		int state = this.reporting.get();
		boolean nowReported = (state == REPORTED)
				|| (state == NOT_REPORTED && !this.reporting.compareAndSet(NOT_REPORTED, FLUSH_WAITING));
		// a failed compare-and-set means the report finished meanwhile: the only other transition is to REPORTED
		this.reported = nowReported;
		return nowReported;
	}

	/** The connection closed: its admission slots are free. */
	void release() {
		Admission.Ticket admitted = this.ticket;
		if (admitted != null) {
			admitted.release();
		}
	}

	private record Decision(PeerCredentials peer, Verdict verdict) {
	}

}
