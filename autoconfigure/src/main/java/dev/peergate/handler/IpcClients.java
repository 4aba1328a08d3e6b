package dev.peergate.handler;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Map;

import dev.peergate.core.Peer;
import org.jspecify.annotations.Nullable;

/**
 * Typed clients: a Java interface annotated {@link IpcInterface}, implemented by the server's handler bean, called
 * through a proxy on the client side. Each {@link IpcMethod} becomes a call of {@code <interface>.<Method>} with the
 * record argument as parameters; the reply parameters are bound to the return type with the same strict binding
 * handlers get; an error reply is thrown as {@link IpcError}. A {@code Peer} parameter (the server's view of the
 * caller) is left out on the client side. A streaming method keeps its {@code IpcStream<R>} parameter on the client
 * too: the client passes a stream that receives each intermediate reply, and the method returns the final one.
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

		/**
		 * Calls {@code method} with {@code more}: every reply's parameters in order, the last one final. An error
		 * reply is thrown as {@link IpcError} when reached.
		 */
		default Iterable<Map<String, @Nullable Object>> more(String method, Map<String, @Nullable Object> parameters) {
			throw new UnsupportedOperationException("this caller cannot stream; " + method + " streams its replies");
		}

		/** Sends {@code method} oneway: no reply is awaited, none comes. */
		default void oneway(String method, Map<String, @Nullable Object> parameters) {
			throw new UnsupportedOperationException("this caller cannot send oneway calls; " + method + " is @IpcOneway");
		}

	}

	/**
	 * Whether a method of {@code api} takes or returns a file descriptor ({@link IpcFileDescriptor}): a transport
	 * then has to pass descriptors.
	 */
	public static boolean passesDescriptors(Class<?> api) {
		for (Method method : api.getMethods()) {
			if (!method.isAnnotationPresent(IpcMethod.class)) {
				continue;
			}
			if (Values.carriesDescriptors(method.getGenericReturnType())) {
				return true;
			}
			for (Type parameter : method.getGenericParameterTypes()) {
				if (parameter instanceof ParameterizedType stream && stream.getRawType() == IpcStream.class) {
					parameter = stream.getActualTypeArguments()[0];
				}
				if (Values.carriesDescriptors(parameter)) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * A proxy of {@code api} whose methods call through {@code caller}.
	 * @throws IllegalArgumentException when {@code api} is not an interface annotated {@link IpcInterface}
	 */
	public static <T> T create(Class<T> api, Caller caller) {
		if (!api.isInterface() || !api.isAnnotationPresent(IpcInterface.class)) {
			throw new IllegalArgumentException(api.getName() + " is not an interface annotated with @IpcInterface");
		}
		for (Method method : api.getMethods()) {
			if (method.isAnnotationPresent(IpcOneway.class) && method.getReturnType() != void.class) {
				throw new IllegalArgumentException(method.getName() + " of " + api.getName()
						+ " is @IpcOneway but returns a value: a oneway call gets no reply");
			}
		}
		String interfaceName = api.getAnnotation(IpcInterface.class).value();
		InvocationHandler handler = new ClientHandler(api, interfaceName, caller);
		return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] { api }, handler));
	}

	/**
	 * Whether {@code object} is a proxy of {@link #create}: a client of a server, not a handler, although its class
	 * implements an {@link IpcInterface} interface.
	 */
	public static boolean isClient(Object object) {
		return Proxy.isProxyClass(object.getClass()) && Proxy.getInvocationHandler(object) instanceof ClientHandler;
	}

	/** Calls through the caller. */
	private record ClientHandler(Class<?> api, String interfaceName, Caller caller) implements InvocationHandler {

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] arguments) {
			return IpcClients.invoke(this.api, this.interfaceName, this.caller, proxy, method,
					(arguments != null) ? arguments : new Object[0]);
		}

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
		IpcStream<Object> stream = null;
		Type streamType = null;
		for (int i = 0; i < types.length; i++) {
			if (types[i] == IpcStream.class) {
				stream = stream(arguments[i], method);
				streamType = ((ParameterizedType) method.getGenericParameterTypes()[i]).getActualTypeArguments()[0];
			}
			else if (types[i].isRecord() && types[i] != Peer.class) {
				// a Peer argument is the server's view of the caller: nothing to send
				parameters = Values.toMap(arguments[i]);
			}
		}
		String name = annotation.value().isEmpty()
				? method.getName().substring(0, 1).toUpperCase(Locale.ROOT) + method.getName().substring(1)
				: annotation.value();
		String qualified = interfaceName + "." + name;
		Type returnType = method.getGenericReturnType();
		if (method.isAnnotationPresent(IpcOneway.class)) {
			caller.oneway(qualified, parameters);
			return null;
		}
		if (stream == null) {
			Map<String, @Nullable Object> reply = caller.call(qualified, parameters);
			return (returnType == void.class) ? null : bind(reply, returnType, qualified);
		}
		Map<String, @Nullable Object> previous = null;
		for (Map<String, @Nullable Object> reply : caller.more(qualified, parameters)) {
			if (previous != null) {
				stream.send(bind(previous, streamType, qualified));
			}
			previous = reply;
		}
		if (previous == null) {
			throw new IllegalStateException(qualified + " ended without a final reply");
		}
		return bind(previous, (returnType == void.class) ? streamType : returnType, qualified);
	}

	@SuppressWarnings("unchecked")
	private static IpcStream<Object> stream(@Nullable Object argument, Method method) {
		if (argument == null) {
			throw new IllegalArgumentException(method.getName() + " streams: pass an IpcStream to receive the replies");
		}
		return (IpcStream<Object>) argument;
	}

	private static Object bind(Map<String, @Nullable Object> reply, Type type, String method) {
		try {
			return Values.bind(reply, type);
		}
		catch (IpcError ex) {
			throw new IllegalStateException("The reply of " + method + " does not fit " + type.getTypeName() + ": "
					+ ex.getMessage(), ex);
		}
	}

}
