package dev.peergate.core;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The one fan-out of the verdict sinks: each value goes to every delegate in order; a delegate that throws is
 * logged (at most once a minute per delegate, its message {@link LogText escaped}: it may quote the peer, and peers
 * decide how often verdicts happen) and does not stop the others.
 */
final class FanOut {

	private FanOut() {
	}

	/**
	 * @param delegates the sinks, in order
	 * @param accept how a sink takes a value
	 * @param kind the sinks' name in the log, e.g. {@code "Verdict sink"}
	 * @param logger the logger of the sink type
	 */
	static <S, V> Consumer<V> of(List<? extends S> delegates, BiConsumer<S, V> accept, String kind,
			System.Logger logger) {
		List<S> sinks = List.copyOf(delegates);
		LogLimiter limiter = new LogLimiter(Duration.ofMinutes(1));
		return (value) -> {
			for (int i = 0; i < sinks.size(); i++) {
				S sink = sinks.get(i);
				try {
					accept.accept(sink, value);
				}
				catch (RuntimeException ex) {
					LogLimiter.Permit permit = limiter.acquire(i);
					if (permit != null) {
						logger.log(System.Logger.Level.WARNING, kind + " " + sink + " failed" + permit.note(),
								LogText.escape(ex));
					}
				}
			}
		};
	}

}
