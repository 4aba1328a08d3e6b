package dev.peergate.handler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The parameters of a received message that came with file descriptors: the wire values (a descriptor appears as
 * its index) and the descriptors, owned by the receiver. {@link Values#bind(Map, java.lang.reflect.Type)} resolves
 * the indexes of {@link IpcFileDescriptor} components and closes the descriptors the type does not take.
 *
 * <pre>{@code
 * Map<String, Object> reply = client.call("com.example.helper.OpenLog", Map.of("name", "audit"));
 * OpenedLog log = (OpenedLog) Values.bind(reply, OpenedLog.class); // log.log() is the caller's descriptor
 * }</pre>
 */
public final class ReceivedParameters extends LinkedHashMap<String, @Nullable Object> {

	private static final long serialVersionUID = 1L;

	private final transient List<IpcFileDescriptor> descriptors;

	/** Parameters and the descriptors that came with them. */
	public ReceivedParameters(Map<String, @Nullable Object> parameters, List<IpcFileDescriptor> descriptors) {
		super(parameters);
		this.descriptors = List.copyOf(descriptors);
	}

	/** The descriptors, in index order. */
	public List<IpcFileDescriptor> descriptors() {
		return this.descriptors;
	}

	/** Closes every descriptor not taken over. */
	public void closeDescriptors() {
		this.descriptors.forEach(IpcFileDescriptor::close);
	}

}
