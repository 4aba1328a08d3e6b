package dev.peergate.handler;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An {@link IpcInterface} with its methods and declared errors.
 *
 * @param name reverse-domain name
 * @param description description for the IDL
 * @param listeners listener names serving it, empty for all
 * @param methods methods by wire name, ordered by Java method name (the JVM gives no declaration order)
 * @param errors declared errors by short name, each with its parameter record or {@code null}
 *
 * <pre>{@code
 * for (InterfaceDescriptor served : methodRegistry.interfaces("helper")) {
 *     System.out.println(served.name() + " " + served.methods().keySet() + " errors " + served.errors().keySet());
 * }
 * }</pre>
 */
public record InterfaceDescriptor(String name, String description, List<String> listeners,
		Map<String, MethodDescriptor> methods, Map<String, @Nullable Class<?>> errors) {

	/** Whether the interface is served on the named listener. */
	public boolean servedOn(String listener) {
		return this.listeners.isEmpty() || this.listeners.contains(listener);
	}

}
