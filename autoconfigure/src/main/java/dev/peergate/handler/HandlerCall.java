package dev.peergate.handler;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.LogLimiter;
import dev.peergate.core.LogText;
import org.jspecify.annotations.Nullable;

/**
 * One dispatched call: binds its parameters, runs its handler through the interceptors (on a handler thread, or
 * inline for a non-blocking handler), keeps its deadlines, and ends it exactly once with its final reply or error.
 * Created by the {@link Dispatcher} for every call.
 */
final class HandlerCall implements IpcStream<Object> {

	/** Failures are logged under the dispatcher's name: that is where users look for them. */
	private static final System.Logger logger = System.getLogger(Dispatcher.class.getName());

	private static final ScheduledExecutorService TIMER = timer();

	private final Dispatcher dispatcher;


	private final CallContext context;

	private final IpcRequest request;

	private final ReplySink sink;

	private final CallObserver.Scope scope;

	private final AtomicBoolean done = new AtomicBoolean();

	/**
	 * Holds on the call's file descriptors: one for the call until it ends, one for its handler while it runs. They
	 * are closed when both are gone, so a handler that outlives its timeout never writes to a closed (or reused)
	 * descriptor.
	 */
	private final AtomicInteger descriptorHolds = new AtomicInteger(1);

	private final RunningThread worker = new RunningThread();

	/**
	 * What frees the caller's share of the handler threads, run once on the handler thread when its handler
	 * returns or throws, before the reply is sent ({@code null} for a call that holds none).
	 */
	private @Nullable Runnable handlerDone;

	/** Runs on the calling thread: no timeout (see {@link Dispatcher#runInline}). */
	boolean inline;

	private volatile @Nullable ScheduledFuture<?> timeout;

	/** When the call must end however often it replies ({@link System#nanoTime()}); 0 for none. */
	private long deadline;

	/** Which limit the deadline is: {@code timeout} (oneway) or {@code max-stream-duration}. */
	private String deadlineLimit = "timeout";

	HandlerCall(Dispatcher dispatcher, CallContext context, IpcRequest request, ReplySink sink,
			CallObserver.Scope scope) {
		this.dispatcher = dispatcher;
		this.context = context;
		this.request = request;
		this.sink = sink;
		this.scope = scope;
	}

	/**
	 * Runs the handler on a handler thread, where the timeout may interrupt it; {@code handlerDone} runs when the
	 * handler has returned or thrown, before the reply is sent, so that a peer calling again as soon as it is
	 * answered finds its share free (it runs only if the handler ran: the caller releases it otherwise).
	 */
	void runOnWorker(MethodDescriptor method, Runnable handlerDone) {
		if (this.done.get()) {
			return;
		}
		this.handlerDone = handlerDone;
		this.worker.enter();
		try {
			run(method);
		}
		finally {
			this.worker.leave(); // a late timeout interrupt must not leak into the next task
		}
	}

	/**
	 * The handler through the interceptors from {@code index} on. What the handler or an interceptor throws
	 * comes out as a {@link HandlerException}; reflection's own failures as they are.
	 */
	private @Nullable Object invoke(MethodDescriptor method, @Nullable Object[] arguments, int index)
			throws ReflectiveOperationException, HandlerException {
		if (index == this.dispatcher.interceptors().size()) {
			try {
				return method.method().invoke(method.bean(), arguments);
			}
			catch (InvocationTargetException ex) {
				throw new HandlerException(ex.getCause());
			}
		}
		try {
			return this.dispatcher.interceptors().get(index)
				.intercept(this.context, method, () -> proceed(method, arguments, index + 1));
		}
		catch (HandlerException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new HandlerException(ex);
		}
	}

	private @Nullable Object proceed(MethodDescriptor method, @Nullable Object[] arguments, int index)
			throws Exception {
		try {
			return invoke(method, arguments, index);
		}
		catch (HandlerException ex) {
			// the interceptor sees the handler's own exception, as if it had called the handler itself
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			throw ex;
		}
	}

	void run(MethodDescriptor method) {
		boolean held = holdDescriptors();
		try {
			runHeld(method);
		}
		finally {
			if (held) {
				releaseDescriptors();
			}
		}
	}

	private void runHeld(MethodDescriptor method) {
		@Nullable Object[] arguments;
		try {
			arguments = arguments(method);
		}
		catch (IpcError error) {
			handlerDone();
			if (error.name().equals(StandardErrors.INVALID_PARAMETER)) {
				this.dispatcher.events().protocolError(this.context.listener(), "invalid-parameter");
			}
			fail(error, null);
			return;
		}
		try {
			Object result = invoke(method, arguments, 0);
			handlerDone();
			finish(result, method);
		}
		catch (HandlerException ex) {
			handlerDone();
			Throwable cause = ex.getCause();
			if (cause instanceof IpcError error) {
				fail(error, null);
			}
			else {
				logFailure("Handler " + method.qualifiedName() + " failed for peer " + this.context.peer().summary(),
						method, cause);
				fail(new IpcError(StandardErrors.HANDLER_FAILED, Map.of("method", method.qualifiedName())), cause);
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			handlerDone();
			logFailure("Could not invoke " + method.qualifiedName() + " for peer " + this.context.peer().summary(),
					method, ex);
			fail(new IpcError(StandardErrors.HANDLER_FAILED, Map.of("method", method.qualifiedName())), ex);
		}
	}

	/** The handler returned or threw: its thread is about to be free (on the handler thread; once). */
	private void handlerDone() {
		Runnable done = this.handlerDone;
		if (done != null) {
			this.handlerDone = null;
			done.run();
		}
	}

	/**
	 * One line per method and exception class in each interval, the stack trace once per method: the first
	 * failure shows where the bug is, the rest only how often it recurs.
	 */
	private void logFailure(String what, MethodDescriptor method, Throwable failure) {
		if (!logger.isLoggable(System.Logger.Level.WARNING)) {
			return;
		}
		LogLimiter.Permit permit = this.dispatcher.logLimiter()
			.acquire(new FailureKey(method.qualifiedName(), failure.getClass().getName()));
		if (permit == null) {
			return;
		}
		String message = failure.getMessage();
		String line = what + ": " + failure.getClass().getName()
				+ ((message != null) ? ": " + LogText.escape(message) : "") + permit.note();
		if (this.dispatcher.logLimiter().acquire(new StackTraceKey(method.qualifiedName())) != null) {
			logger.log(System.Logger.Level.WARNING, line, LogText.escape(failure));
		}
		else {
			logger.log(System.Logger.Level.WARNING, line + " (stack trace logged earlier)");
		}
	}

	private @Nullable Object[] arguments(MethodDescriptor method) {
		@Nullable Object[] arguments = new Object[method.arguments().length];
		for (int i = 0; i < arguments.length; i++) {
			arguments[i] = switch (method.arguments()[i]) {
				case PARAMETERS -> Values.bind(this.request.parameters(), method.parameterType(),
						this.request.descriptors());
				case PEER -> this.context.peer();
				case STREAM -> this;
			};
		}
		return arguments;
	}

	/**
	 * Sets the deadline nothing extends: the handler timeout for a oneway call (its replies are dropped, so
	 * they must not keep it alive), the total stream duration for a streaming call.
	 */
	void startClock(MethodDescriptor method) {
		Duration whole = Duration.ZERO;
		if (this.request.oneway()) {
			whole = this.dispatcher.limits().timeout();
		}
		else if (method.streaming()) {
			whole = this.dispatcher.limits().maxStreamDuration();
			this.deadlineLimit = "max-stream-duration";
		}
		if (!whole.isZero()) {
			this.deadline = System.nanoTime() + whole.toNanos();
			if (this.deadline == 0) {
				this.deadline = 1;
			}
		}
	}

	void armTimeout() {
		if (this.inline || this.done.get()) {
			return;
		}
		long delay = this.dispatcher.limits().timeout().isZero() ? Long.MAX_VALUE
				: this.dispatcher.limits().timeout().toNanos();
		if (this.deadline != 0) {
			delay = Math.min(delay, Math.max(0, this.deadline - System.nanoTime()));
		}
		if (delay == Long.MAX_VALUE) {
			return;
		}
		ScheduledFuture<?> previous = this.timeout;
		if (previous != null) {
			previous.cancel(false);
		}
		this.timeout = TIMER.schedule(this::timedOut, delay, TimeUnit.NANOSECONDS);
	}

	private void timedOut() {
		boolean whole = this.deadline != 0 && this.deadline - System.nanoTime() <= 0;
		Duration limit = (whole && this.deadlineLimit.equals("max-stream-duration"))
				? this.dispatcher.limits().maxStreamDuration() : this.dispatcher.limits().timeout();
		if (fail(new IpcError(StandardErrors.HANDLER_TIMEOUT, Map.of("method", this.request.method(), "limit",
				whole ? this.deadlineLimit : "timeout", "timeoutMillis", limit.toMillis())), null,
				"handler-timeout")) {
			this.worker.interrupt();
		}
	}

	@Override
	public void send(Object reply) {
		if (this.done.get()) {
			dropped(reply);
			return;
		}
		if (!this.request.oneway()) {
			this.sink.reply(new IpcReply(null, ownDescriptors(Values.toMap(reply)), true));
		}
		else {
			dropped(reply);
		}
		armTimeout();
	}

	/**
	 * A reply owns the descriptors it carries, apart from the call's: one the handler received and sends back is
	 * taken out of the call's hands, so that closing the call's descriptors does not close it before it is sent.
	 */
	private Map<String, @Nullable Object> ownDescriptors(Map<String, @Nullable Object> parameters) {
		if (!this.request.descriptors().isEmpty()) {
			Values.takeOverDescriptors(parameters);
		}
		return parameters;
	}

	private boolean holdDescriptors() {
		if (this.request.descriptors().isEmpty()) {
			return false;
		}
		int holds;
		do {
			holds = this.descriptorHolds.get();
			if (holds == 0) {
				return false;
			}
		}
		while (!this.descriptorHolds.compareAndSet(holds, holds + 1));
		return true;
	}

	private void releaseDescriptors() {
		if (!this.request.descriptors().isEmpty() && this.descriptorHolds.decrementAndGet() == 0) {
			this.request.closeDescriptors();
		}
	}

	/** A reply nobody will send: the descriptors it carries were handed over to be sent, so they are closed. */
	private static void dropped(@Nullable Object reply) {
		if (reply != null && Values.carriesDescriptors(reply.getClass())) {
			IpcFileDescriptor.closeAllIn(Values.toMap(reply));
		}
	}

	@Override
	public boolean isOpen() {
		return !this.done.get() && this.sink.isOpen();
	}

	private void finish(@Nullable Object result, MethodDescriptor method) {
		// converted before the call counts as answered: a reply that cannot be written is a handler failure
		@Nullable IpcReply reply = this.request.oneway() ? null : IpcReply.of(ownDescriptors(Values.toMap(result)));
		if (reply == null) {
			dropped(result);
		}
		if (!this.done.compareAndSet(false, true)) {
			if (reply != null) {
				IpcFileDescriptor.closeAllIn(reply.parameters()); // too late: the call timed out
			}
			return;
		}
		cancelTimeout();
		// the observation ends before the reply is sent, so that the peer that reads its reply finds its call in
		// the metrics (as a verdict and a limit are reported before the peer learns of them)
		this.scope.end(this.request.oneway() ? "oneway" : "success", null);
		if (reply != null) {
			this.sink.reply(reply);
		}
		this.sink.completed();
		releaseDescriptors();
	}

	boolean fail(IpcError error, @Nullable Throwable failure) {
		return fail(error, failure, null);
	}

	/**
	 * Ends the call with an error; a limit it exceeded is reported first, so that the meter has moved before the
	 * peer reads the error (as a verdict is reported before the peer's first reply).
	 */
	boolean fail(IpcError error, @Nullable Throwable failure, @Nullable String exceededLimit) {
		if (!this.done.compareAndSet(false, true)) {
			return false;
		}
		if (exceededLimit != null) {
			this.dispatcher.events().limitExceeded(this.context.listener(), exceededLimit);
		}
		cancelTimeout();
		this.scope.end(error.name(), failure);
		if (!this.request.oneway()) {
			this.sink.reply(IpcReply.error(error));
		}
		this.sink.completed();
		releaseDescriptors();
		return true;
	}

	private void cancelTimeout() {
		ScheduledFuture<?> pending = this.timeout;
		if (pending != null) {
			pending.cancel(false);
		}
	}

	/**
	 * Every call arms a timeout and cancels it when it ends. Cancelled timeouts are removed at once: otherwise each
	 * finished call leaves its task in the timer's queue until the deadline (tens of thousands of dead tasks at a
	 * few thousand calls per second, each making scheduling slower and waking the timer thread when it expires).
	 */
	private static ScheduledExecutorService timer() {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
			Thread thread = new Thread(runnable, "peergate-handler-timeout");
			thread.setDaemon(true);
			return thread;
		});
		timer.setRemoveOnCancelPolicy(true);
		return timer;
	}

	private record FailureKey(String method, String type) {
	}

	private record StackTraceKey(String method) {
	}

/** What a handler or an interceptor threw, on its way out of the interceptor chain. */
private static final class HandlerException extends Exception {

	private static final long serialVersionUID = 1L;

	HandlerException(Throwable cause) {
		super(cause.getMessage(), cause, false, false);
	}

}

}
