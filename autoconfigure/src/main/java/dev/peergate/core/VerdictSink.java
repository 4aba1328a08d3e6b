package dev.peergate.core;

import java.util.List;

/**
 * Where every verdict goes. A listener has exactly one sink, usually a {@link #fanOut fan-out} to metrics,
 * events, audit and the actuator ring buffer, so those views never disagree.
 * <p>
 * Sinks are called on the thread that decided (an I/O or native callback thread): they must be quick and must
 * not block.
 *
 * Peergate's own {@link LoggingVerdictSink} logs refusals; another sink bean joins the fan-out next to it.
 *
 * <pre>{@code
 * @Bean
 * VerdictSink rejectionCounter() { // joins the fan-out next to metrics, events, the endpoint and the log
 *     return verdict -> {
 *         if (!verdict.accepted()) {
 *             rejectionsByUid.merge(verdict.peer().uid(), 1L, Long::sum);
 *         }
 *     };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface VerdictSink {

	/** Receives one verdict. */
	void accept(Verdict verdict);

	/** A sink that drops everything. */
	static VerdictSink none() {
		return verdict -> {
		};
	}

	/**
	 * A sink that hands each verdict to every delegate in order; a delegate that throws is logged (at most once a
	 * minute per delegate, its message {@link LogText escaped}: it may quote the peer, and peers decide how often
	 * verdicts happen) and does not stop the others.
	 */
	static VerdictSink fanOut(List<? extends VerdictSink> delegates) {
		return FanOut.of(delegates, VerdictSink::accept, "Verdict sink", System.getLogger(VerdictSink.class.getName()))::accept;
	}

}
