package dev.peergate.xpc.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The libdispatch functions Peergate calls: one serial queue per listener as the XPC target queue.
 *
 * <pre>{@code
 * Pointer queue = dispatch.dispatch_queue_create("dev.peergate.helper", null); // DISPATCH_QUEUE_SERIAL is NULL
 * dispatch.dispatch_release(queue);
 * }</pre>
 */
@SuppressWarnings("checkstyle:MethodName")
public interface LibDispatch extends Library {

	Pointer dispatch_queue_create(String label, Pointer attr);

	void dispatch_retain(Pointer object);

	void dispatch_release(Pointer object);

}
