package dev.peergate.handler;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One call as decoded by a transport.
 *
 * @param method fully qualified method, e.g. {@code com.example.helper.Status}
 * @param parameters call parameters (JSON-like values: maps, lists, strings, numbers, booleans, nulls)
 * @param oneway whether the caller wants no reply
 * @param more whether the caller accepts several replies
 * @param upgrade whether the caller asks to upgrade the connection (refused by Peergate)
 *
 * <pre>{@code
 * IpcRequest request = IpcRequest.call("com.example.helper.DiskUsage", Map.of("path", "/"));
 * request.interfaceName(); // "com.example.helper"
 * request.memberName();    // "DiskUsage"
 * }</pre>
 */
public record IpcRequest(String method, Map<String, @Nullable Object> parameters, boolean oneway, boolean more,
		boolean upgrade) {

	public IpcRequest {
		Objects.requireNonNull(method, "'method' must not be null");
		Objects.requireNonNull(parameters, "'parameters' must not be null");
	}

	/** A plain call expecting one reply. */
	public static IpcRequest call(String method, Map<String, @Nullable Object> parameters) {
		return new IpcRequest(method, parameters, false, false, false);
	}

	/** Interface part of the method name ({@code com.example.helper}), empty when unqualified. */
	public String interfaceName() {
		int dot = this.method.lastIndexOf('.');
		return (dot > 0) ? this.method.substring(0, dot) : "";
	}

	/** Member part of the method name ({@code Status}). */
	public String memberName() {
		return this.method.substring(this.method.lastIndexOf('.') + 1);
	}

}
