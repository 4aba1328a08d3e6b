package dev.peergate.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an {@link IpcInterface} bean as callable. Allowed parameters, in any order: at most one record
 * (bound from the request's {@code parameters}), a {@link dev.peergate.core.Peer}, and an {@link IpcStream} for
 * methods that stream replies. The return value is a record, a {@code Map} or {@code void}.
 *
 * <pre>{@code
 * @IpcMethod(description = "Free space of a volume")
 * FreeSpace freeSpace(Volume volume, Peer peer) { ... }
 *
 * @IpcMethod
 * Progress install(Package pkg, IpcStream<Progress> progress) {
 *     progress.send(new Progress(50));
 *     return new Progress(100);   // final reply
 * }
 *
 * @IpcMethod(blocking = false)   // answers from memory: no hand-off to a handler thread
 * Version version() { return VERSION; }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface IpcMethod {

	/** Method name on the wire; defaults to the Java name with its first letter upper-cased. */
	String value() default "";

	/** Description, emitted as a comment in the generated varlink IDL. */
	String description() default "";

	/**
	 * Whether the handler may block (I/O, locks, sleeping, waiting for another call). Blocking handlers, the
	 * default, run on the bounded {@link HandlerExecutor} and can be interrupted by the handler timeout.
	 * <p>
	 * {@code false} declares a handler that returns within microseconds without blocking — an answer computed from
	 * memory. It then runs on the thread that delivered the call (a Unix listener's I/O thread, an XPC
	 * connection's queue), which saves the two thread hand-offs of a call: for a cheap method, most of its cost.
	 * A non-blocking handler that does block stalls every connection served by that thread; the handler timeout
	 * still answers the caller but cannot interrupt it.
	 */
	boolean blocking() default true;

}
