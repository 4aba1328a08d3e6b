package dev.peergate.handler;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * One callable method: where it lives and what it takes and returns; the IDL generator reads the types.
 *
 * @param interfaceName owning interface
 * @param name wire name, e.g. {@code Status}
 * @param description description for the IDL
 * @param bean the target bean
 * @param method the Java method
 * @param parameterType record bound from the call parameters, or {@code null} when the method takes none
 * @param replyType type of each reply ({@code void.class} when there is none)
 * @param streaming whether the method takes an {@link IpcStream}
 * @param blocking whether the handler may block and so runs on the {@link HandlerExecutor}; {@code false} when
 * declared {@link IpcMethod#blocking() non-blocking}: it then runs on the thread that delivered the call
 * @param arguments how each Java parameter is filled
 *
 * <pre>{@code
 * MethodDescriptor status = methodRegistry.lookup("helper", "com.example.helper.Status");
 * System.out.println(status.qualifiedName() + " -> " + status.replyType().getTypeName()
 *         + (status.streaming() ? " (streams)" : ""));
 * }</pre>
 */
public record MethodDescriptor(String interfaceName, String name, String description, Object bean, Method method,
		@Nullable Class<?> parameterType, Type replyType, boolean streaming, boolean blocking,
		Argument[] arguments) {

	/** Fully qualified wire name. */
	public String qualifiedName() {
		return this.interfaceName + "." + this.name;
	}

	/** How one Java parameter is filled. */
	public enum Argument {

		/** The bound parameters record. */
		PARAMETERS,

		/** The verified {@link dev.peergate.core.Peer}. */
		PEER,

		/** The {@link IpcStream} for intermediate replies. */
		STREAM

	}

}
