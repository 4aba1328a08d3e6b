package dev.peergate.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * One per listener: evaluates the listener's {@link PeerRequirement} with its {@link Mechanism}, turns the result
 * into a {@link Verdict} and reports it to the listener's {@link VerdictSink}. It fails closed: an exception
 * during evaluation is an {@link Outcome#ERROR} verdict, never an acceptance.
 *
 * <pre>{@code
 * Gate gate = new Gate("helper", Mechanism.PIDFD, requirement, sink);
 * Verdict verdict = gate.admit(credentials);
 * if (!verdict.accepted()) { sendPermissionDenied(); close(); }
 *
 * Verdict decided = gate.decide(credentials);   // act first ...
 * startReading(decided);
 * reportingThread.execute(() -> gate.report(decided));   // ... report off the critical path
 * }</pre>
 */
public final class Gate {

	private final String listener;

	private final Mechanism mechanism;

	private final PeerRequirement requirement;

	private final VerdictSink sink;

	private final Clock clock;

	private final boolean audit;

	/** A gate reporting to the given sink with the system clock. */
	public Gate(String listener, Mechanism mechanism, PeerRequirement requirement, VerdictSink sink) {
		this(listener, mechanism, requirement, sink, Clock.systemUTC());
	}

	/** A gate with an explicit clock (tests). */
	public Gate(String listener, Mechanism mechanism, PeerRequirement requirement, VerdictSink sink, Clock clock) {
		this(listener, mechanism, requirement, sink, clock, false);
	}

	/**
	 * A gate that, with {@code audit}, lets in the peers its requirement refuses, recording each as
	 * {@link Outcome#WOULD_REJECT}: to see what a tighter requirement would break before enforcing it. Refusals
	 * decided outside the requirement ({@link #refusal}, e.g. limits) still refuse.
	 *
	 * <pre>{@code
	 * Gate trial = new Gate("helper", Mechanism.PIDFD, tighter, sink, Clock.systemUTC(), true);
	 * }</pre>
	 */
	public Gate(String listener, Mechanism mechanism, PeerRequirement requirement, VerdictSink sink, Clock clock,
			boolean audit) {
		this.audit = audit;
		this.listener = Objects.requireNonNull(listener, "'listener' must not be null");
		this.mechanism = Objects.requireNonNull(mechanism, "'mechanism' must not be null");
		this.requirement = Objects.requireNonNull(requirement, "'requirement' must not be null");
		this.sink = Objects.requireNonNull(sink, "'sink' must not be null");
		this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
	}

	/** Decides about the peer and reports the verdict. */
	public Verdict admit(PeerCredentials credentials) {
		Verdict verdict = decide(credentials);
		report(verdict);
		return verdict;
	}

	/**
	 * Decides about the peer without reporting the verdict, for a transport that acts on the decision first and
	 * reports it afterwards, off the connection's critical path; it must then {@link #report} the verdict.
	 */
	public Verdict decide(PeerCredentials credentials) {
		Evaluation evaluation;
		try {
			evaluation = this.requirement.evaluate(credentials);
		}
		catch (RuntimeException ex) {
			evaluation = new Evaluation(false, Reason.VERIFICATION_FAILED,
					"verification failed: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		return decide(credentials, evaluation);
	}

	/**
	 * Turns a decision made elsewhere (the OS enforced the requirement, libxpc matched the message) into a verdict,
	 * without reporting it: the transports of OS-enforced mechanisms hand their evaluation over here, so that
	 * every verdict is built and reported in one place.
	 *
	 * <pre>{@code
	 * Verdict verdict = gate.decide(credentials, Evaluation.satisfied("libxpc enforced the requirement"));
	 * gate.report(verdict);
	 * }</pre>
	 */
	public Verdict decide(PeerCredentials credentials, Evaluation evaluation) {
		return verdict(Outcome.of(evaluation, this.audit), evaluation.reason(), evaluation.explanation(), credentials);
	}

	/** {@link #decide(PeerCredentials, Evaluation)} and {@link #report}. */
	public Verdict admit(PeerCredentials credentials, Evaluation evaluation) {
		Verdict verdict = decide(credentials, evaluation);
		report(verdict);
		return verdict;
	}

	/**
	 * Reports a refusal decided outside the requirement (the OS refused the peer, a limit was hit) so that it
	 * appears in metrics, events and the endpoint like any other verdict.
	 */
	public Verdict refuse(Reason reason, String explanation, PeerCredentials credentials) {
		Verdict verdict = refusal(reason, explanation, credentials);
		report(verdict);
		return verdict;
	}

	/** The verdict {@link #refuse} reports, without reporting it (see {@link #decide}). */
	public Verdict refusal(Reason reason, String explanation, PeerCredentials credentials) {
		Outcome outcome = (reason == Reason.VERIFICATION_FAILED) ? Outcome.ERROR : Outcome.REJECTED;
		return verdict(outcome, reason, explanation, credentials);
	}

	/** Reports a verdict of {@link #decide} or {@link #refusal} to the listener's sink (once per verdict). */
	public void report(Verdict verdict) {
		this.sink.accept(verdict);
	}

	private Verdict verdict(Outcome outcome, Reason reason, String explanation, PeerCredentials credentials) {
		long captured = credentials.capturedNanos();
		Duration verification = (captured != 0) ? Duration.ofNanos(Math.max(0, System.nanoTime() - captured))
				: Duration.ZERO;
		return new Verdict(outcome, this.mechanism, reason, explanation, Peer.of(this.listener, credentials),
				this.listener, this.clock.instant(), verification);
	}

	/** Listener name. */
	public String listener() {
		return this.listener;
	}

	/** Mechanism used. */
	public Mechanism mechanism() {
		return this.mechanism;
	}

	/** Whether the requirement's refusals are only recorded ({@code enforcement: audit}), not enforced. */
	public boolean audit() {
		return this.audit;
	}

	/** The requirement evaluated. */
	public PeerRequirement requirement() {
		return this.requirement;
	}

}
