package dev.peergate.core;

import java.time.Duration;
import java.util.List;

/**
 * Where every {@link CallVerdict} goes: metrics, events, the endpoint and the log, through one fan-out, so those
 * views never disagree. Called on the thread that dispatches the call (an I/O or native callback thread): quick,
 * never blocking.
 *
 * <pre>{@code
 * @Bean
 * CallVerdictSink deniedCalls() {
 *     return verdict -> { if (!verdict.allowed()) denied.increment(); };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface CallVerdictSink {

	/** Receives one call verdict. */
	void accept(CallVerdict verdict);

	/** A sink that drops everything. */
	static CallVerdictSink none() {
		return (verdict) -> {
		};
	}

	/** Hands each verdict to every delegate in order; one that throws is logged and does not stop the others. */
	static CallVerdictSink fanOut(List<? extends CallVerdictSink> delegates) {
		List<CallVerdictSink> sinks = List.copyOf(delegates);
		LogLimiter limiter = new LogLimiter(Duration.ofMinutes(1));
		return (verdict) -> {
			for (int i = 0; i < sinks.size(); i++) {
				try {
					sinks.get(i).accept(verdict);
				}
				catch (RuntimeException ex) {
					LogLimiter.Permit permit = limiter.acquire(i);
					if (permit != null) {
						System.getLogger(CallVerdictSink.class.getName())
							.log(System.Logger.Level.WARNING, "Call verdict sink " + sinks.get(i) + " failed"
									+ permit.note(), LogText.escape(ex));
					}
				}
			}
		};
	}

}
