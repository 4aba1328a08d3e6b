package dev.peergate.xpc.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * libxpc functions that are exported but declared in no public header. Bound only when a listener runs the private
 * audit-token route ({@code allow-private-api: true} on macOS older than 11), and resolved lazily
 * ({@link XpcNative#privateXpc()}) so that nothing else depends on them.
 * <p>
 * The prototype is the one Apple's own Security sources use ({@code SecTask.c}); it is not in any SDK header, so a
 * future libxpc may change it without notice, which is why the route needs an explicit opt-in.
 *
 * <pre>{@code
 * Memory token = new Memory(32);
 * nativeXpc.privateXpc().xpc_dictionary_get_audit_token(message, token);
 * }</pre>
 */
@SuppressWarnings("checkstyle:MethodName")
public interface LibXpcPrivate extends Library {

	/** Size of {@code audit_token_t} (eight {@code unsigned int}). */
	int AUDIT_TOKEN_SIZE = 32;

	/**
	 * Copies the audit token the kernel attached to this received message (the sender's, when it was sent) into
	 * {@code token} (32 bytes).
	 */
	void xpc_dictionary_get_audit_token(Pointer xdict, Pointer token);

}
