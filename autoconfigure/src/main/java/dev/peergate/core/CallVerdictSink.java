package dev.peergate.core;

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
		return FanOut.of(delegates, CallVerdictSink::accept, "Call verdict sink", System.getLogger(CallVerdictSink.class.getName()))::accept;
	}

}
