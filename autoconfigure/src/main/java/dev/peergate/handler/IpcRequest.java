package dev.peergate.handler;

import java.util.List;
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
 * @param descriptors the file descriptors that came with the call, in order (a parameter of type
 * {@link IpcFileDescriptor} names one by its index); owned by the transport, which closes those the handler did not
 * take when the call ends
 *
 * <pre>{@code
 * IpcRequest request = IpcRequest.call("com.example.helper.DiskUsage", Map.of("path", "/"));
 * request.interfaceName(); // "com.example.helper"
 * request.memberName();    // "DiskUsage"
 * }</pre>
 */
public record IpcRequest(String method, Map<String, @Nullable Object> parameters, boolean oneway, boolean more,
		boolean upgrade, List<IpcFileDescriptor> descriptors) {

	public IpcRequest {
		Objects.requireNonNull(method, "'method' must not be null");
		Objects.requireNonNull(parameters, "'parameters' must not be null");
		descriptors = List.copyOf(descriptors);
	}

	/** A call without file descriptors. */
	public IpcRequest(String method, Map<String, @Nullable Object> parameters, boolean oneway, boolean more,
			boolean upgrade) {
		this(method, parameters, oneway, more, upgrade, List.of());
	}

	/** A plain call expecting one reply. */
	public static IpcRequest call(String method, Map<String, @Nullable Object> parameters) {
		return new IpcRequest(method, parameters, false, false, false);
	}

	/** This call with the file descriptors that came with it. */
	public IpcRequest withDescriptors(List<IpcFileDescriptor> received) {
		return new IpcRequest(this.method, this.parameters, this.oneway, this.more, this.upgrade, received);
	}

	/** Closes the descriptors of this call that nobody took over. */
	public void closeDescriptors() {
		for (IpcFileDescriptor descriptor : this.descriptors) {
			descriptor.close();
		}
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
