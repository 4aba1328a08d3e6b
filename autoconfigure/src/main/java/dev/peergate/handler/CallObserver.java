package dev.peergate.handler;

import org.jspecify.annotations.Nullable;

/**
 * Observes calls as they are dispatched; the Spring layer adapts it to the {@code peergate.request} observation.
 * The engine knows nothing of Micrometer.
 *
 * <pre>{@code
 * CallObserver logging = (context, method) -> (outcome, failure) ->
 *         log.debug("{} on {} for uid {}: {}", method, context.listener(), context.peer().uid(), outcome);
 * }</pre>
 */
public interface CallObserver {

	/** Starts observing a call; the returned scope is closed exactly once with the call's outcome. */
	Scope start(CallContext context, String method);

	/** An observer that records nothing. */
	static CallObserver none() {
		return (context, method) -> (outcome, error) -> {
		};
	}

	/** The observation of one call. */
	@FunctionalInterface
	interface Scope {

		/**
		 * Ends the call.
		 * @param outcome {@code success}, an error name, or {@code oneway}
		 * @param failure the handler's exception, if it threw something other than {@link IpcError}
		 */
		void end(String outcome, @Nullable Throwable failure);

	}

}
