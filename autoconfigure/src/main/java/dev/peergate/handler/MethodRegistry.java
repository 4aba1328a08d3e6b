package dev.peergate.handler;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.peergate.core.Peer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link IpcInterface} beans of an application, indexed by interface and method name. Built once at startup;
 * every declaration error (bad names, duplicate methods, unsupported parameter lists) fails the build with a
 * message naming the Java method.
 *
 * <pre>{@code
 * MethodRegistry registry = MethodRegistry.of(List.of(new HelperHandlers()));
 * MethodDescriptor status = registry.lookup("com.example.helper.Status");
 * }</pre>
 */
public final class MethodRegistry {

	/**
	 * varlink's interface-name grammar as its reference parser applies it (lower case), also enforced for XPC so
	 * that one handler serves both.
	 */
	private static final Pattern INTERFACE_NAME = Pattern
		.compile("[a-z](?:-*[a-z0-9])*(?:\\.[a-z0-9](?:-*[a-z0-9])*)+");

	private static final Pattern MEMBER_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");

	private final Map<String, InterfaceDescriptor> interfaces;

	private MethodRegistry(Map<String, InterfaceDescriptor> interfaces) {
		this.interfaces = interfaces;
	}

	/**
	 * Indexes the given beans; each must carry {@link IpcInterface} on its class or a superclass (proxies).
	 * @throws IllegalStateException on a declaration error
	 */
	public static MethodRegistry of(Collection<?> beans) {
		Map<String, InterfaceDescriptor> interfaces = new LinkedHashMap<>();
		for (Object bean : beans) {
			InterfaceDescriptor descriptor = describe(bean);
			InterfaceDescriptor previous = interfaces.putIfAbsent(descriptor.name(), descriptor);
			if (previous != null) {
				throw new IllegalStateException("Interface '" + descriptor.name() + "' is declared by both "
						+ previous.methods().values().stream().findFirst().map(m -> m.bean().getClass().getName()).orElse("?")
						+ " and " + bean.getClass().getName());
			}
		}
		return new MethodRegistry(Map.copyOf(interfaces));
	}

	/** An empty registry. */
	public static MethodRegistry empty() {
		return new MethodRegistry(Map.of());
	}

	/** Adds built-in interfaces (such as {@code org.varlink.service}) to a copy of this registry. */
	public MethodRegistry with(Collection<?> beans) {
		Map<String, InterfaceDescriptor> merged = new LinkedHashMap<>(this.interfaces);
		merged.putAll(of(beans).interfaces);
		return new MethodRegistry(Map.copyOf(merged));
	}

	/** The interfaces served on the named listener, sorted by name. */
	public List<InterfaceDescriptor> interfaces(String listener) {
		return this.interfaces.values()
			.stream()
			.filter(descriptor -> descriptor.servedOn(listener))
			.sorted(Comparator.comparing(InterfaceDescriptor::name))
			.toList();
	}

	/** All interfaces, sorted by name. */
	public List<InterfaceDescriptor> interfaces() {
		return this.interfaces.values().stream().sorted(Comparator.comparing(InterfaceDescriptor::name)).toList();
	}

	/**
	 * The methods served on the named listener whose parameters or replies carry a file descriptor
	 * ({@link IpcFileDescriptor}): a transport passes descriptors only for these.
	 */
	public List<String> descriptorMethods(String listener) {
		List<String> methods = new ArrayList<>();
		for (InterfaceDescriptor descriptor : interfaces(listener)) {
			for (MethodDescriptor method : descriptor.methods().values()) {
				if (Values.carriesDescriptors(method.parameterType()) || Values.carriesDescriptors(method.replyType())) {
					methods.add(method.qualifiedName());
				}
			}
		}
		return methods;
	}

	/** One interface by name. */
	public Optional<InterfaceDescriptor> findInterface(String name) {
		return Optional.ofNullable(this.interfaces.get(name));
	}

	/**
	 * Finds a method by its fully qualified name as seen on the given listener.
	 * @throws IpcError {@value StandardErrors#INTERFACE_NOT_FOUND} or {@value StandardErrors#METHOD_NOT_FOUND}
	 */
	public MethodDescriptor lookup(String listener, String qualifiedMethod) {
		int dot = qualifiedMethod.lastIndexOf('.');
		String interfaceName = (dot > 0) ? qualifiedMethod.substring(0, dot) : "";
		InterfaceDescriptor descriptor = this.interfaces.get(interfaceName);
		if (descriptor == null || !descriptor.servedOn(listener)) {
			throw StandardErrors.interfaceNotFound(interfaceName);
		}
		MethodDescriptor method = descriptor.methods().get(qualifiedMethod.substring(dot + 1));
		if (method == null) {
			throw StandardErrors.methodNotFound(qualifiedMethod);
		}
		return method;
	}

	private static InterfaceDescriptor describe(Object bean) {
		Class<?> type = annotatedClass(bean.getClass());
		IpcInterface annotation = type.getAnnotation(IpcInterface.class);
		String name = annotation.value();
		if (!INTERFACE_NAME.matcher(name).matches()) {
			throw new IllegalStateException("@IpcInterface(\"" + name + "\") on " + type.getName()
					+ " is not a lower-case reverse-domain interface name such as 'com.example.helper'");
		}
		Map<String, MethodDescriptor> methods = new LinkedHashMap<>();
		List<Method> candidates = new ArrayList<>(List.of(type.getDeclaredMethods()));
		candidates.sort(Comparator.comparing(Method::getName));
		for (Method method : candidates) {
			IpcMethod ipcMethod = method.getAnnotation(IpcMethod.class);
			if (ipcMethod == null) {
				continue;
			}
			MethodDescriptor descriptor = describe(name, bean, method, ipcMethod);
			if (methods.putIfAbsent(descriptor.name(), descriptor) != null) {
				throw new IllegalStateException("Method '" + descriptor.qualifiedName() + "' is declared twice in "
						+ type.getName());
			}
		}
		if (methods.isEmpty()) {
			throw new IllegalStateException(type.getName() + " is an @IpcInterface without any @IpcMethod");
		}
		Map<String, @Nullable Class<?>> errors = new LinkedHashMap<>();
		for (IpcErrorType error : type.getAnnotationsByType(IpcErrorType.class)) {
			if (!MEMBER_NAME.matcher(error.name()).matches()) {
				throw new IllegalStateException("@IpcErrorType(name = \"" + error.name() + "\") on " + type.getName()
						+ " must start with an upper-case letter and contain only letters and digits");
			}
			errors.put(error.name(), (error.parameters() == Void.class) ? null : error.parameters());
		}
		return new InterfaceDescriptor(name, annotation.description(), List.of(annotation.listeners()),
				java.util.Collections.unmodifiableMap(methods), java.util.Collections.unmodifiableMap(errors));
	}

	/**
	 * The class carrying {@code @IpcInterface}: the bean's class or a superclass, else an interface it implements
	 * (one Java interface shared by the server bean and the clients' typed proxies, see {@link IpcClients}).
	 */
	private static Class<?> annotatedClass(Class<?> type) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if (candidate.isAnnotationPresent(IpcInterface.class)) {
				return candidate;
			}
		}
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			Class<?> annotated = annotatedInterface(candidate);
			if (annotated != null) {
				return annotated;
			}
		}
		throw new IllegalStateException(type.getName() + " is not annotated with @IpcInterface");
	}

	private static @Nullable Class<?> annotatedInterface(Class<?> type) {
		for (Class<?> implemented : type.getInterfaces()) {
			if (implemented.isAnnotationPresent(IpcInterface.class)) {
				return implemented;
			}
			Class<?> inherited = annotatedInterface(implemented);
			if (inherited != null) {
				return inherited;
			}
		}
		return null;
	}

	private static MethodDescriptor describe(String interfaceName, Object bean, Method method, IpcMethod annotation) {
		String where = method.getDeclaringClass().getName() + "." + method.getName();
		if (Modifier.isStatic(method.getModifiers())) {
			throw new IllegalStateException("@IpcMethod " + where + " must not be static");
		}
		String name = annotation.value().isEmpty() ? capitalize(method.getName()) : annotation.value();
		if (!MEMBER_NAME.matcher(name).matches()) {
			throw new IllegalStateException("@IpcMethod " + where + " has wire name '" + name
					+ "': it must start with an upper-case letter and contain only letters and digits");
		}
		Class<?>[] types = method.getParameterTypes();
		Type[] generic = method.getGenericParameterTypes();
		MethodDescriptor.Argument[] arguments = new MethodDescriptor.Argument[types.length];
		Class<?> parameterType = null;
		Type streamType = null;
		for (int i = 0; i < types.length; i++) {
			if (types[i] == Peer.class) {
				arguments[i] = MethodDescriptor.Argument.PEER;
			}
			else if (types[i] == IpcStream.class) {
				if (!(generic[i] instanceof ParameterizedType parameterized)) {
					throw new IllegalStateException("@IpcMethod " + where + ": IpcStream needs a reply type argument");
				}
				streamType = parameterized.getActualTypeArguments()[0];
				arguments[i] = MethodDescriptor.Argument.STREAM;
			}
			else if (types[i].isRecord() && parameterType == null) {
				parameterType = types[i];
				arguments[i] = MethodDescriptor.Argument.PARAMETERS;
			}
			else {
				throw new IllegalStateException("@IpcMethod " + where + ": parameter " + (i + 1) + " of type "
						+ types[i].getName() + " is not supported; use one record for the call parameters, "
						+ "plus optionally Peer and IpcStream<R>");
			}
		}
		Type replyType = method.getGenericReturnType();
		if (streamType != null && replyType != void.class && !sameType(streamType, replyType)) {
			throw new IllegalStateException("@IpcMethod " + where + " streams " + streamType.getTypeName()
					+ " but returns " + replyType.getTypeName() + "; the final reply must have the streamed type");
		}
		if (streamType != null) {
			replyType = streamType;
		}
		method.setAccessible(true);
		return new MethodDescriptor(interfaceName, name, annotation.description(), bean, method, parameterType,
				replyType, streamType != null, annotation.blocking(), arguments);
	}

	private static boolean sameType(Type a, Type b) {
		return a.getTypeName().equals(b.getTypeName());
	}

	private static String capitalize(String name) {
		return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
	}

}
