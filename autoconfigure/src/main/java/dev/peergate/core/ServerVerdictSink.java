package dev.peergate.core;

import java.util.List;

/**
 * Where the verdicts of configured clients about their servers go: metrics count them, events publish the
 * refusals. Called on the calling thread, before the call is sent (or instead of it).
 *
 * <pre>{@code
 * @Bean
 * ServerVerdictSink refusedServers() {
 *     return verdict -> {
 *         if (!verdict.accepted()) {
 *             alarms.raise("not the helper at " + verdict.address() + ": " + verdict.explanation());
 *         }
 *     };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ServerVerdictSink {

	/** Receives one verdict. */
	void accept(ServerVerdict verdict);

	/** Hands each verdict to every delegate in order; one that throws is logged and does not stop the others. */
	static ServerVerdictSink fanOut(List<? extends ServerVerdictSink> delegates) {
		return FanOut.of(delegates, ServerVerdictSink::accept, "Server verdict sink",
				System.getLogger(ServerVerdictSink.class.getName()))::accept;
	}

}
