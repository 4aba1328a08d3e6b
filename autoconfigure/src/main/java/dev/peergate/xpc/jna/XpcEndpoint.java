package dev.peergate.xpc.jna;

import java.util.function.Function;

import com.sun.jna.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * The endpoint of an anonymous XPC listener ({@code xpc_endpoint_create}): how a client reaches a listener that
 * launchd knows nothing of. It is valid while its listener runs; the listener releases it when it stops, and a
 * client created from it afterwards fails with {@link IllegalStateException}.
 * <p>
 * In-process clients pass it to {@code XpcClient.Options.of(endpoint)}; to reach another process it travels inside
 * an XPC message of a connection both already have, as with {@code NSXPCListenerEndpoint}.
 *
 * <pre>{@code
 * XpcListener listener = new XpcListener(XpcListenerOptions.anonymous("helper", requirement), dispatcher, sink,
 *         TransportEvents.none());
 * listener.start();
 * try (XpcClient client = XpcClient.connect(XpcClient.Options.of(listener.endpoint()))) {
 *     client.call("com.example.helper.Status", Map.of());
 * }
 * }</pre>
 */
public final class XpcEndpoint {

	private final XpcNative nativeXpc;

	private final Object lock = new Object();

	private @Nullable Pointer endpoint;

	XpcEndpoint(XpcNative nativeXpc, Pointer endpoint) {
		this.nativeXpc = nativeXpc;
		this.endpoint = endpoint;
	}

	/** The native side the endpoint was made with (a client of it must use the same libraries). */
	XpcNative nativeXpc() {
		return this.nativeXpc;
	}

	/**
	 * Runs {@code operation} with the native endpoint, which stays valid until it returns.
	 * @throws IllegalStateException when the listener has stopped and released it
	 */
	<T> T use(Function<Pointer, T> operation) {
		synchronized (this.lock) {
			Pointer current = this.endpoint;
			if (current == null) {
				throw new IllegalStateException("the anonymous listener of this endpoint has stopped");
			}
			return operation.apply(current);
		}
	}

	/** Releases the endpoint once; connections already made from it are not affected. */
	void release() {
		synchronized (this.lock) {
			if (this.endpoint != null) {
				this.nativeXpc.xpc().xpc_release(this.endpoint);
				this.endpoint = null;
			}
		}
	}

}
