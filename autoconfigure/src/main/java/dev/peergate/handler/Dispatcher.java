package dev.peergate.handler;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.peergate.core.LogLimiter;
import dev.peergate.core.LogText;
import dev.peergate.core.UidCounts;
import org.jspecify.annotations.Nullable;

/**
 * Runs calls: finds the method, binds parameters, invokes the handler on the {@link HandlerExecutor} (or, for a
 * method declared {@link IpcMethod#blocking() non-blocking}, on the calling thread) and turns the outcome into
 * replies. Each failure class has its own error (see {@link StandardErrors}); nothing a handler
 * does can throw into the transport.
 * <p>
 * The handler timeout bounds the wait for each reply of a blocking handler: a streaming method restarts the clock
 * with every intermediate reply, up to the {@linkplain HandlerLimits#maxStreamDuration() total a stream may run}; a
 * oneway call, whose replies nobody reads, gets the timeout once for its whole run. On timeout the caller gets
 * {@value StandardErrors#HANDLER_TIMEOUT}, the handler thread is interrupted and anything it sends later is
 * dropped. One user's blocking calls hold at most {@linkplain HandlerLimits#maxConcurrentPerUid() their share} of the
 * executor; beyond it they are answered {@value StandardErrors#OVERLOADED}.
 * <p>
 * A handler failure is logged as one WARNING line with the exception's class and {@link LogText escaped} message, the
 * method and the peer; through a {@link LogLimiter}, at most one line per method and exception class and one stack
 * trace per method in each interval, the others counted in the next line. A peer decides how often a handler fails
 * and may choose the text of its message.
 *
 * <pre>{@code
 * Dispatcher dispatcher = new Dispatcher(registry, HandlerExecutor.create(64, 256), Duration.ofSeconds(30), CallObserver.none());
 * dispatcher.dispatch(new CallContext("helper", "unix", peer), request, reply -> channel.write(reply));
 * }</pre>
 */
public final class Dispatcher implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(Dispatcher.class.getName());

	private static final ScheduledExecutorService TIMER = timer();

	/** A non-blocking handler that runs longer than this is logged (once per method). */
	static final Duration SLOW_NON_BLOCKING = Duration.ofMillis(10);

	private final MethodRegistry registry;

	private final HandlerExecutor executor;

	private final Duration handlerTimeout;

	private final HandlerLimits limits;

	private final UidCounts shares;

	private final CallObserver observer;

	private final Set<String> slowNonBlocking = ConcurrentHashMap.newKeySet();

	private final LogLimiter logLimiter;

	/**
	 * A dispatcher over the registry's methods with only a per-reply timeout (see {@link HandlerLimits#timeoutOnly}),
	 * logging handler failures at most once a minute per method.
	 */
	public Dispatcher(MethodRegistry registry, HandlerExecutor executor, Duration handlerTimeout,
			CallObserver observer) {
		this(registry, executor, HandlerLimits.timeoutOnly(handlerTimeout), observer,
				new LogLimiter(Duration.ofMinutes(1)));
	}

	/**
	 * A dispatcher over the registry's methods whose failure log lines pass through {@code logLimiter}.
	 *
	 * <pre>{@code
	 * new Dispatcher(registry, executor, new HandlerLimits(Duration.ofSeconds(30), Duration.ofMinutes(30), 16),
	 *         CallObserver.none(), new LogLimiter(Duration.ofMinutes(1)));
	 * }</pre>
	 */
	public Dispatcher(MethodRegistry registry, HandlerExecutor executor, HandlerLimits limits, CallObserver observer,
			LogLimiter logLimiter) {
		this.registry = registry;
		this.executor = executor;
		this.limits = limits;
		this.handlerTimeout = limits.timeout();
		this.shares = new UidCounts(limits.maxConcurrentPerUid());
		this.observer = observer;
		this.logLimiter = logLimiter;
	}

	/** The registry calls are resolved against. */
	public MethodRegistry registry() {
		return this.registry;
	}

	/** The executor handlers run on. */
	public HandlerExecutor executor() {
		return this.executor;
	}

	/**
	 * Dispatches one call. Returns at once; replies reach the sink from a handler thread (or from the calling
	 * thread for errors found before the handler runs). A oneway call gets no reply at all.
	 */
	public void dispatch(CallContext context, IpcRequest request, ReplySink sink) {
		CallObserver.Scope scope = this.observer.start(context, request.method());
		Call call = new Call(context, request, sink, scope);
		if (request.upgrade()) {
			call.fail(new IpcError(StandardErrors.METHOD_NOT_IMPLEMENTED, Map.of("method", request.method())), null);
			return;
		}
		MethodDescriptor method;
		try {
			method = this.registry.lookup(context.listener(), request.method());
		}
		catch (IpcError error) {
			call.fail(error, null);
			return;
		}
		if (method.streaming() && !request.more() && !request.oneway()) {
			call.fail(new IpcError(StandardErrors.EXPECTED_MORE), null);
			return;
		}
		if (!method.blocking()) {
			runInline(call, method);
			return;
		}
		call.startClock(method);
		long uid = context.peer().uid();
		if (!this.shares.tryAcquire(uid)) {
			call.fail(new IpcError(StandardErrors.OVERLOADED,
					Map.of("limit", "max-concurrent-per-uid", "value", this.limits.maxConcurrentPerUid())), null);
			return;
		}
		try {
			this.executor.execute(() -> {
				try {
					call.runOnWorker(method);
				}
				finally {
					this.shares.release(uid); // when the thread is free, not when the call was answered
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.shares.release(uid);
			call.fail(new IpcError(StandardErrors.OVERLOADED), null);
			return;
		}
		call.armTimeout();
	}

	/**
	 * A non-blocking handler runs on the calling thread, without the handler timeout: the thread is the transport's
	 * (an event loop, a queue), so nothing could be interrupted, and a reply queued behind the handler on that very
	 * thread would arrive no sooner than the handler's own. A handler that turns out to be slow is named once in
	 * the log, so that whoever declared it non-blocking learns which threads it holds up.
	 */
	private void runInline(Call call, MethodDescriptor method) {
		long start = System.nanoTime();
		call.inline = true;
		call.run(method);
		long elapsed = System.nanoTime() - start;
		if (elapsed > SLOW_NON_BLOCKING.toNanos() && this.slowNonBlocking.add(method.qualifiedName())) {
			logger.log(System.Logger.Level.WARNING, "Non-blocking handler " + method.qualifiedName() + " ran for "
					+ Duration.ofNanos(elapsed).toMillis() + " ms on thread '" + Thread.currentThread().getName()
					+ "', holding up every connection that thread serves; remove blocking = false from its @IpcMethod "
					+ "(logged once per method)");
		}
	}

	@Override
	public void close() {
		this.executor.close();
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

	private final class Call implements IpcStream<Object> {

		private final CallContext context;

		private final IpcRequest request;

		private final ReplySink sink;

		private final CallObserver.Scope scope;

		private final AtomicBoolean done = new AtomicBoolean();

		private volatile @Nullable Thread worker;

		/** Runs on the calling thread: no timeout (see {@link Dispatcher#runInline}). */
		private boolean inline;

		private volatile @Nullable ScheduledFuture<?> timeout;

		/** When the call must end however often it replies ({@link System#nanoTime()}); 0 for none. */
		private long deadline;

		/** Which limit the deadline is: {@code timeout} (oneway) or {@code max-stream-duration}. */
		private String deadlineLimit = "timeout";

		Call(CallContext context, IpcRequest request, ReplySink sink, CallObserver.Scope scope) {
			this.context = context;
			this.request = request;
			this.sink = sink;
			this.scope = scope;
		}

		/** Runs the handler on a handler thread, where the timeout may interrupt it. */
		void runOnWorker(MethodDescriptor method) {
			if (this.done.get()) {
				return;
			}
			this.worker = Thread.currentThread();
			try {
				run(method);
			}
			finally {
				this.worker = null;
				Thread.interrupted(); // a late timeout interrupt must not leak into the next task
			}
		}

		void run(MethodDescriptor method) {
			try {
				Object result = method.method().invoke(method.bean(), arguments(method));
				finish(result, method);
			}
			catch (InvocationTargetException ex) {
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
			catch (IpcError error) {
				fail(error, null);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logFailure("Could not invoke " + method.qualifiedName() + " for peer " + this.context.peer().summary(),
						method, ex);
				fail(new IpcError(StandardErrors.HANDLER_FAILED, Map.of("method", method.qualifiedName())), ex);
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
			LogLimiter.Permit permit = Dispatcher.this.logLimiter
				.acquire(new FailureKey(method.qualifiedName(), failure.getClass().getName()));
			if (permit == null) {
				return;
			}
			String message = failure.getMessage();
			String line = what + ": " + failure.getClass().getName()
					+ ((message != null) ? ": " + LogText.escape(message) : "") + permit.note();
			if (Dispatcher.this.logLimiter.acquire(new StackTraceKey(method.qualifiedName())) != null) {
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
					case PARAMETERS -> Values.bind(this.request.parameters(), method.parameterType());
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
				whole = Dispatcher.this.handlerTimeout;
			}
			else if (method.streaming()) {
				whole = Dispatcher.this.limits.maxStreamDuration();
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
			long delay = Dispatcher.this.handlerTimeout.isZero() ? Long.MAX_VALUE
					: Dispatcher.this.handlerTimeout.toNanos();
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
					? Dispatcher.this.limits.maxStreamDuration() : Dispatcher.this.handlerTimeout;
			if (fail(new IpcError(StandardErrors.HANDLER_TIMEOUT, Map.of("method", this.request.method(), "limit",
					whole ? this.deadlineLimit : "timeout", "timeoutMillis", limit.toMillis())), null)) {
				Thread thread = this.worker;
				if (thread != null) {
					thread.interrupt();
				}
			}
		}

		@Override
		public void send(Object reply) {
			if (this.done.get()) {
				return;
			}
			if (!this.request.oneway()) {
				this.sink.reply(new IpcReply(null, Values.toMap(reply), true));
			}
			armTimeout();
		}

		@Override
		public boolean isOpen() {
			return !this.done.get() && this.sink.isOpen();
		}

		private void finish(@Nullable Object result, MethodDescriptor method) {
			// converted before the call counts as answered: a reply that cannot be written is a handler failure
			@Nullable IpcReply reply = this.request.oneway() ? null : IpcReply.of(Values.toMap(result));
			if (!this.done.compareAndSet(false, true)) {
				return;
			}
			cancelTimeout();
			if (reply != null) {
				this.sink.reply(reply);
			}
			this.scope.end(this.request.oneway() ? "oneway" : "success", null);
			this.sink.completed();
		}

		boolean fail(IpcError error, @Nullable Throwable failure) {
			if (!this.done.compareAndSet(false, true)) {
				return false;
			}
			cancelTimeout();
			if (!this.request.oneway()) {
				this.sink.reply(IpcReply.error(error));
			}
			this.scope.end(error.name(), failure);
			this.sink.completed();
			return true;
		}

		private void cancelTimeout() {
			ScheduledFuture<?> pending = this.timeout;
			if (pending != null) {
				pending.cancel(false);
			}
		}

	}

}
