package dev.peergate.core;

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

}
