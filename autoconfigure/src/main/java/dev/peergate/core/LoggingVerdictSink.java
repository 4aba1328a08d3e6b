package dev.peergate.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Logs refusals: one line per listener, uid and reason in each interval, with the escaped peer summary and
 * explanation; the lines it holds back are counted in the next one. Keyed by uid, not PID, because a peer chooses
 * its PIDs (a loop of short-lived processes would otherwise log one line each); accepted peers are not logged.
 * <p>
 * A rejection is logged at INFO (the requirement did its job), a verification error at WARNING (Peergate could not
 * decide, which an operator should look into). The logger is named after this class.
 *
 * <pre>{@code
 * VerdictSink sink = VerdictSink.fanOut(List.of(metrics, new LoggingVerdictSink(Duration.ofMinutes(1))));
 * // Peergate listener 'helper' refused uid=1001 gid=1001 user=bob pid~4242 [requirement-not-satisfied, pidfd]:
 * //     uid: expected one of [0, 1000], peer has 1001 (12 similar suppressed in the last 60 s)
 * }</pre>
 */
public final class LoggingVerdictSink implements VerdictSink, CallVerdictSink {

	private static final System.Logger logger = System.getLogger(LoggingVerdictSink.class.getName());

	private final LogLimiter limiter;

	/** A sink logging at most one line per listener, uid and reason in each {@code interval} (zero: every one). */
	public LoggingVerdictSink(Duration interval) {
		this(new LogLimiter(interval));
	}

	/** A sink with its own limiter (tests inject one with a clock). */
	public LoggingVerdictSink(LogLimiter limiter) {
		this.limiter = Objects.requireNonNull(limiter, "'limiter' must not be null");
	}

	@Override
	public void accept(Verdict verdict) {
		if (verdict.outcome() == Outcome.ACCEPTED) {
			return;
		}
		System.Logger.Level level = (verdict.outcome() == Outcome.ERROR) ? System.Logger.Level.WARNING
				: System.Logger.Level.INFO;
		if (!logger.isLoggable(level)) {
			return; // not even counted: nobody would read the count
		}
		LogLimiter.Permit permit = this.limiter
			.acquire(new Key(verdict.listener(), verdict.peer().uid(), verdict.reason()));
		if (permit == null) {
			return;
		}
		logger.log(level, "Peergate listener '" + LogText.escape(verdict.listener()) + "' "
				+ refusal(verdict.outcome()) + verdict.peer().summary()
				+ " [" + verdict.reason().tag() + ", " + verdict.mechanism().tag() + "]: "
				+ LogText.escape(verdict.explanation()) + permit.note());
	}

	/** Logs a refused call like a refused peer, naming the method; allowed calls are not logged. */
	@Override
	public void accept(CallVerdict verdict) {
		if (verdict.outcome() == Outcome.ACCEPTED) {
			return;
		}
		System.Logger.Level level = (verdict.outcome() == Outcome.ERROR) ? System.Logger.Level.WARNING
				: System.Logger.Level.INFO;
		if (!logger.isLoggable(level)) {
			return;
		}
		LogLimiter.Permit permit = this.limiter
			.acquire(new CallKey(verdict.listener(), verdict.method(), verdict.peer().uid(), verdict.reason()));
		if (permit == null) {
			return;
		}
		logger.log(level, "Peergate listener '" + LogText.escape(verdict.listener()) + "' "
				+ ((verdict.outcome() == Outcome.ERROR) ? "could not decide whether " : refusal(verdict.outcome()))
				+ verdict.peer().summary() + ((verdict.outcome() == Outcome.ERROR) ? " may call " : " the call of ")
				+ verdict.method() + " [" + verdict.reason().tag() + ", " + verdict.authority() + "]: "
				+ LogText.escape(verdict.explanation()) + permit.note());
	}

	private static String refusal(Outcome outcome) {
		return switch (outcome) {
			case ERROR -> "could not verify ";
			case WOULD_REJECT -> "would refuse (audit, served) ";
			default -> "refused ";
		};
	}

	private record Key(String listener, long uid, Reason reason) {
	}

	private record CallKey(String listener, String method, long uid, Reason reason) {
	}

}
