package dev.peergate.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

import dev.peergate.core.LogLimiter;
import dev.peergate.core.LogText;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.UidCounts;

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

	/** A non-blocking handler that runs longer than this is logged (once per method). */
	static final Duration SLOW_NON_BLOCKING = Duration.ofMillis(10);

	private final MethodRegistry registry;

	private final HandlerExecutor executor;

	private final Duration handlerTimeout;

	private final HandlerLimits limits;

	private final UidCounts shares;

	private final CallObserver observer;

	private final TransportEvents events;

	private final CallAuthorizer authorizer;

	private final List<CallInterceptor> interceptors;

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
		this(registry, executor, limits, observer, logLimiter, TransportEvents.none());
	}

	/**
	 * A dispatcher that also reports the limits and protocol errors it finds to {@code events}, for every
	 * transport alike: {@code handler-timeout}, {@code handler-executor}, {@code max-concurrent-per-uid} (limits),
	 * {@code unknown-method}, {@code invalid-parameter} (protocol errors), tagged with the call's listener.
	 *
	 * <pre>{@code
	 * new Dispatcher(registry, executor, limits, CallObserver.none(), new LogLimiter(Duration.ofMinutes(1)),
	 *         meterTransportEvents);
	 * }</pre>
	 */
	public Dispatcher(MethodRegistry registry, HandlerExecutor executor, HandlerLimits limits, CallObserver observer,
			LogLimiter logLimiter, TransportEvents events) {
		this(registry, executor, limits, observer, logLimiter, events, CallAuthorizer.allowAll());
	}

	/**
	 * A dispatcher that asks {@code authorizer} whether each call of an existing method may run, before its
	 * parameters are bound; a refused call is answered {@value StandardErrors#PERMISSION_DENIED}.
	 *
	 * <pre>{@code
	 * new Dispatcher(registry, executor, limits, observer, logLimiter, events, methodRequirements);
	 * }</pre>
	 */
	public Dispatcher(MethodRegistry registry, HandlerExecutor executor, HandlerLimits limits, CallObserver observer,
			LogLimiter logLimiter, TransportEvents events, CallAuthorizer authorizer) {
		this(registry, executor, limits, observer, logLimiter, events, authorizer, List.of());
	}

	/**
	 * A dispatcher that also runs every handler invocation through {@code interceptors}, the first outermost.
	 *
	 * <pre>{@code
	 * new Dispatcher(registry, executor, limits, observer, logLimiter, events, authorizer,
	 *         List.of(securityContextInterceptor));
	 * }</pre>
	 */
	public Dispatcher(MethodRegistry registry, HandlerExecutor executor, HandlerLimits limits, CallObserver observer,
			LogLimiter logLimiter, TransportEvents events, CallAuthorizer authorizer, List<CallInterceptor> interceptors) {
		this.events = events;
		this.authorizer = authorizer;
		this.interceptors = List.copyOf(interceptors);
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

	HandlerLimits limits() {
		return this.limits;
	}

	TransportEvents events() {
		return this.events;
	}

	List<CallInterceptor> interceptors() {
		return this.interceptors;
	}

	LogLimiter logLimiter() {
		return this.logLimiter;
	}

	/** The executor handlers run on. */
	public HandlerExecutor executor() {
		return this.executor;
	}

	/**
	 * Dispatches one call. Returns at once; replies reach the sink from a handler thread (or from the calling
	 * thread for errors found before the handler runs). A oneway call gets no reply at all.
	 */
	public void dispatch(CallContext given, IpcRequest request, ReplySink sink) {
		CallContext context = interactionAsked(given, request);
		CallObserver.Scope scope = this.observer.start(context, request.method());
		HandlerCall call = new HandlerCall(this, context, request, sink, scope);
		if (request.upgrade()) {
			call.fail(new IpcError(StandardErrors.METHOD_NOT_IMPLEMENTED, Map.of("method", request.method())), null);
			return;
		}
		MethodDescriptor method;
		try {
			method = this.registry.lookup(context.listener(), request.method());
		}
		catch (IpcError error) {
			if (error.name().equals(StandardErrors.INTERFACE_NOT_FOUND)
					|| error.name().equals(StandardErrors.METHOD_NOT_FOUND)) {
				this.events.protocolError(context.listener(), "unknown-method");
			}
			call.fail(error, null);
			return;
		}
		if (!this.authorizer.authorize(context, method)) {
			call.fail(StandardErrors.permissionDenied(), null); // the connection stays open for other methods
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
			this.events.limitExceeded(context.listener(), "max-concurrent-per-uid");
			call.fail(new IpcError(StandardErrors.OVERLOADED,
					Map.of("limit", "max-concurrent-per-uid", "value", this.limits.maxConcurrentPerUid())), null);
			return;
		}
		try {
			this.executor.execute(() -> {
				// given back when the handler returns, before its reply is sent (a peer that calls again as soon as it
				// is answered must find it free), or after a handler that outlived its timeout: while a handler runs,
				// its thread counts, whether or not the call was answered
				ShareRelease share = new ShareRelease(this.shares, uid);
				try {
					call.runOnWorker(method, share);
				}
				finally {
					share.run();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.shares.release(uid);
			this.events.limitExceeded(context.listener(), "handler-executor");
			call.fail(new IpcError(StandardErrors.OVERLOADED), null);
			return;
		}
		call.armTimeout();
	}

	/**
	 * systemd's varlink convention: a call lets an authority (polkit) ask its user to authenticate with the
	 * parameter {@value CallAuthorization#INTERACTIVE_KEY}{@code : true}; anything else asks nobody. A handler may
	 * still declare the parameter and read it.
	 */
	private static CallContext interactionAsked(CallContext context, IpcRequest request) {
		if (!context.authorization().interactionAllowed()
				&& Boolean.TRUE.equals(request.parameters().get(CallAuthorization.INTERACTIVE_KEY))) {
			return context.withAuthorization(context.authorization().allowingInteraction());
		}
		return context;
	}

	/**
	 * A non-blocking handler runs on the calling thread, without the handler timeout: the thread is the transport's
	 * (an event loop, a queue), so nothing could be interrupted, and a reply queued behind the handler on that very
	 * thread would arrive no sooner than the handler's own. A handler that turns out to be slow is named once in
	 * the log, so that whoever declared it non-blocking learns which threads it holds up.
	 */
	private void runInline(HandlerCall call, MethodDescriptor method) {
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

	/** One share of a user's handler threads, given back once (on the handler thread that held it). */
	private static final class ShareRelease implements Runnable {

		private final UidCounts shares;

		private final long uid;

		private boolean released;

		ShareRelease(UidCounts shares, long uid) {
			this.shares = shares;
			this.uid = uid;
		}

		@Override
		public void run() {
			if (!this.released) {
				this.released = true;
				this.shares.release(this.uid);
			}
		}

	}

}
