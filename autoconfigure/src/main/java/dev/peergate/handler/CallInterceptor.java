package dev.peergate.handler;

import org.jspecify.annotations.Nullable;

/**
 * Runs around the invocation of a handler method, on the thread that runs it (a handler thread, or the transport's
 * thread for a non-blocking handler): to set up what the handler expects to find there, such as a security
 * context, and to take it down afterwards. An interceptor may refuse the call by throwing an {@link IpcError}
 * (e.g. {@value StandardErrors#PERMISSION_DENIED}); anything else it throws is a handler failure.
 *
 * <pre>{@code
 * CallInterceptor timing = (context, method, invocation) -> {
 *     long start = System.nanoTime();
 *     try {
 *         return invocation.proceed();
 *     }
 *     finally {
 *         log.debug("{} took {} µs", method.qualifiedName(), (System.nanoTime() - start) / 1000);
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface CallInterceptor {

	/** Runs {@code invocation}, or refuses it; returns what the handler returned. */
	@Nullable Object intercept(CallContext context, MethodDescriptor method, Invocation invocation) throws Exception;

	/** The handler's invocation, or the next interceptor's. */
	@FunctionalInterface
	interface Invocation {

		/** Invokes the handler; a handler's exception is thrown as it is, not wrapped. */
		@Nullable Object proceed() throws Exception;

	}

}
