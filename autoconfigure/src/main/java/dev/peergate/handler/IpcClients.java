package dev.peergate.handler;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Typed clients: a Java interface annotated {@link IpcInterface}, implemented by the server's handler bean, called
 * through a proxy on the client side. Each {@link IpcMethod} becomes a call of {@code <interface>.<Method>} with the
 * record argument as parameters; the reply parameters are bound to the return type with the same strict binding
 * handlers get; an error reply is thrown as {@link IpcError}. A {@code Peer} parameter (the server's view of the
 * caller) is left out on the client side. Streaming methods are not proxied yet.
 *
 * <pre>{@code
 * @IpcInterface("com.example.helper")
 * public interface Helper {
 *     @IpcMethod
 *     Status status();
 *     @IpcMethod
 *     DiskUsage diskUsage(DiskQuery query);
 * }
 *
 * try (VarlinkClient connection = VarlinkClient.builder(socket).connect()) {
 *     Helper helper = IpcClients.create(Helper.class, connection::call);
 *     DiskUsage usage = helper.diskUsage(new DiskQuery("/"));
 * }
 * }</pre>
 */
public final class IpcClients {

	private IpcClients() {
	}

	/** Sends one call and returns its reply parameters, or throws the error reply as {@link IpcError}. */
	@FunctionalInterface
	public interface Caller {

		/** Calls {@code method} (fully qualified) with {@code parameters}. */
		Map<String, @Nullable Object> call(String method, Map<String, @Nullable Object> parameters);

	}

	/**
	 * A proxy of {@code api} whose methods call through {@code caller}.
	 * @throws IllegalArgumentException when {@code api} is not an interface annotated {@link IpcInterface}
	 */
	public static <T> T create(Class<T> api, Caller caller) {
		if (!api.isInterface() || !api.isAnnotationPresent(IpcInterface.class)) {
			throw new IllegalArgumentException(api.getName() + " is not an interface annotated with @IpcInterface");
		}
		String interfaceName = api.getAnnotation(IpcInterface.class).value();
		InvocationHandler handler = (proxy, method, arguments) -> invoke(api, interfaceName, caller, proxy, method,
				(arguments != null) ? arguments : new Object[0]);
		return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] { api }, handler));
	}

	private static @Nullable Object invoke(Class<?> api, String interfaceName, Caller caller, Object proxy,
			Method method, @Nullable Object[] arguments) {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> proxy == arguments[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> "IpcClient[" + interfaceName + "]";
			};
		}
		IpcMethod annotation = method.getAnnotation(IpcMethod.class);
		if (annotation == null) {
			throw new UnsupportedOperationException(method.getName() + " of " + api.getName() + " is no @IpcMethod");
		}
		Map<String, @Nullable Object> parameters = Map.of();
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (types[i] == IpcStream.class) {
				throw new UnsupportedOperationException(
						"streaming method " + method.getName() + " cannot be called through a typed client yet");
			}
			if (types[i].isRecord()) {
				parameters = Values.toMap(arguments[i]);
			}
			// a Peer argument is the server's view of the caller: nothing to send
		}
		String name = annotation.value().isEmpty()
				? method.getName().substring(0, 1).toUpperCase(Locale.ROOT) + method.getName().substring(1)
				: annotation.value();
		Map<String, @Nullable Object> reply = caller.call(interfaceName + "." + name, parameters);
		Type returnType = method.getGenericReturnType();
		if (returnType == void.class) {
			return null;
		}
		try {
			return Values.bind(reply, returnType);
		}
		catch (IpcError ex) {
			throw new IllegalStateException("The reply of " + interfaceName + "." + name + " does not fit "
					+ returnType.getTypeName() + ": " + ex.getMessage(), ex);
		}
	}

}
