package dev.peergate.handler;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Conversion between wire values (maps, lists, strings, numbers, booleans) and Java records, with Jackson 3. Strict:
 * no coercion ({@code "1"} is not an integer, {@code 1.5} is not an integer, {@code 5} is not a string, {@code 1} is
 * not an enum), numbers outside their component's range refused ({@code 200} is not a {@code byte}, {@code 1e999}
 * not a {@code double}), nulls for primitives refused, and every component of a parameter record that is not
 * {@code @Nullable} must be present.
 *
 * <pre>{@code
 * Map<String, Object> wire = Values.toMap(new DiskQuery("/"));     // {path=/}
 * DiskQuery query = (DiskQuery) Values.bind(wire, DiskQuery.class); // strict: {path=1} is refused
 * }</pre>
 */
public final class Values {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		// a fraction is not an integer: {"id": 1.5} must not delete note 1
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
		// a string is a string: 5, true and 1.5 are not "5", "true" and "1.5"
		.withCoercionConfig(LogicalType.Textual,
				config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
		.withCoercionConfig(LogicalType.Enum, config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
		.addModule(new SimpleModule("peergate-strict-numbers").addDeserializer(byte.class, StrictNumbers.BYTE)
			.addDeserializer(Byte.class, StrictNumbers.BYTE)
			.addDeserializer(double.class, StrictNumbers.DOUBLE)
			.addDeserializer(Double.class, StrictNumbers.DOUBLE)
			.addDeserializer(float.class, StrictNumbers.FLOAT)
			.addDeserializer(Float.class, StrictNumbers.FLOAT))
		.addModule(OutgoingDescriptors.module())
		.build();

	private static final TypeReference<LinkedHashMap<String, @Nullable Object>> MAP = new TypeReference<>() {
	};

	/** Parameter types are the few declared by handler methods; the map stays as small as the API. */
	private static final Map<Type, Binding> BINDINGS = new ConcurrentHashMap<>();

	private Values() {
	}

	/** The mapper shared by the handler model and the varlink codec. */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/** A record, bean or map as a map of wire values. {@code null} becomes an empty map. */
	public static Map<String, @Nullable Object> toMap(@Nullable Object value) {
		if (value == null) {
			return new LinkedHashMap<>();
		}
		return MAPPER.convertValue(value, MAP);
	}

	/**
	 * Binds wire parameters to a Java type.
	 * @throws IpcError {@value StandardErrors#INVALID_PARAMETER} naming the first offending parameter
	 */
	public static Object bind(Map<String, @Nullable Object> parameters, Type type) {
		if (parameters instanceof ReceivedParameters received && !received.descriptors().isEmpty()) {
			return bindReceived(received, type);
		}
		Binding binding = BINDINGS.computeIfAbsent(type, Binding::of);
		for (String name : binding.required()) {
			if (parameters.get(name) == null) {
				throw StandardErrors.invalidParameter(name);
			}
		}
		try {
			return MAPPER.convertValue(parameters, binding.javaType());
		}
		catch (JacksonException ex) {
			throw StandardErrors.invalidParameter(path(ex));
		}
		catch (IllegalArgumentException ex) {
			// Jackson wraps some conversion failures; the cause carries the path.
			Throwable cause = ex.getCause();
			throw StandardErrors.invalidParameter((cause instanceof JacksonException je) ? path(je) : "parameters");
		}
	}

	/**
	 * Binds wire parameters to a Java type, a component of type {@link IpcFileDescriptor} taking the descriptor of
	 * {@code descriptors} whose index the wire value gives (as sd-varlink sends them).
	 * @throws IpcError {@value StandardErrors#INVALID_PARAMETER} naming the first offending parameter, e.g. an index
	 * beyond the descriptors that came with the call
	 */
	public static Object bind(Map<String, @Nullable Object> parameters, Type type, List<IpcFileDescriptor> descriptors) {
		Binding binding = BINDINGS.computeIfAbsent(type, Binding::of);
		if (binding.descriptors().isEmpty()) {
			return bind(parameters, type);
		}
		Map<String, @Nullable Object> resolved = new LinkedHashMap<>(parameters);
		for (String name : binding.descriptors()) {
			Object value = parameters.get(name);
			if (value instanceof Number index) {
				long at = index.longValue();
				if (!(value instanceof Integer || value instanceof Long) || at < 0 || at >= descriptors.size()) {
					throw StandardErrors.invalidParameter(name);
				}
				resolved.put(name, descriptors.get((int) at));
			}
		}
		return bind(resolved, type);
	}

	/**
	 * Replaces each open {@link IpcFileDescriptor} in a wire value (maps and lists, at any depth) by a new object
	 * owning the same descriptor: the old one no longer closes it.
	 */
	@SuppressWarnings("unchecked")
	public static void takeOverDescriptors(@Nullable Object value) {
		if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, @Nullable Object> entry : ((Map<?, @Nullable Object>) map).entrySet()) {
				if (entry.getValue() instanceof IpcFileDescriptor descriptor && descriptor.isOpen()) {
					entry.setValue(IpcFileDescriptor.adopt(descriptor.release()));
				}
				else {
					takeOverDescriptors(entry.getValue());
				}
			}
		}
		else if (value instanceof List<?> list) {
			ListIterator<@Nullable Object> items = ((List<@Nullable Object>) list).listIterator();
			while (items.hasNext()) {
				Object item = items.next();
				if (item instanceof IpcFileDescriptor descriptor && descriptor.isOpen()) {
					items.set(IpcFileDescriptor.adopt(descriptor.release()));
				}
				else {
					takeOverDescriptors(item);
				}
			}
		}
	}

	/** Binds received parameters; the descriptors the result does not take are closed (the receiver owns them). */
	private static Object bindReceived(ReceivedParameters received, Type type) {
		Map<String, @Nullable Object> plain = new LinkedHashMap<>(received);
		Object bound;
		try {
			bound = bind(plain, type, received.descriptors());
		}
		catch (RuntimeException ex) {
			received.closeDescriptors();
			throw ex;
		}
		Binding binding = BINDINGS.computeIfAbsent(type, Binding::of);
		Set<Object> taken = Collections.newSetFromMap(new IdentityHashMap<>());
		for (String name : binding.descriptors()) {
			Object value = plain.get(name);
			if (value instanceof Number index && index.longValue() >= 0 && index.longValue() < received.descriptors().size()) {
				taken.add(received.descriptors().get(index.intValue()));
			}
		}
		for (IpcFileDescriptor descriptor : received.descriptors()) {
			if (!taken.contains(descriptor)) {
				descriptor.close();
			}
		}
		return bound;
	}

	/** Whether a parameter or reply type has a component of type {@link IpcFileDescriptor}. */
	public static boolean carriesDescriptors(@Nullable Type type) {
		return type != null && type != void.class && !BINDINGS.computeIfAbsent(type, Binding::of).descriptors().isEmpty();
	}

	/**
	 * What binding to a type needs, worked out once per type: reflecting on record components and their
	 * annotations for every call cost more than the binding itself.
	 */
	private record Binding(JavaType javaType, List<String> required, List<String> descriptors) {

		static Binding of(Type type) {
			JavaType javaType = MAPPER.constructType(type);
			Class<?> raw = javaType.getRawClass();
			List<String> required = new ArrayList<>();
			List<String> descriptors = new ArrayList<>();
			if (raw.isRecord()) {
				for (RecordComponent component : raw.getRecordComponents()) {
					if (!isOptional(component)) {
						required.add(wireName(component));
					}
					if (component.getType() == IpcFileDescriptor.class) {
						descriptors.add(wireName(component));
					}
				}
			}
			return new Binding(javaType, List.copyOf(required), List.copyOf(descriptors));
		}

	}

	/**
	 * The wire name of a record component: the value of a {@code @JsonProperty} on it (Jackson's own rule; it is
	 * how a component named like a Java keyword, such as {@code interface}, gets its wire name), else its name.
	 *
	 * <pre>{@code
	 * record Lookup(@JsonProperty("interface") String interfaceName) { }   // wire name: interface
	 * }</pre>
	 */
	public static String wireName(RecordComponent component) {
		JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
		if (property == null) {
			try {
				property = component.getDeclaringRecord()
					.getDeclaredField(component.getName())
					.getAnnotation(JsonProperty.class);
			}
			catch (NoSuchFieldException ex) {
				property = null;
			}
		}
		return (property != null && !property.value().isEmpty()) ? property.value() : component.getName();
	}

	/** Whether a record component may be absent: annotated {@code @Nullable}. */
	public static boolean isOptional(RecordComponent component) {
		return component.getAnnotatedType().isAnnotationPresent(Nullable.class)
				|| component.isAnnotationPresent(Nullable.class);
	}

	private static String path(JacksonException ex) {
		List<JacksonException.Reference> path = ex.getPath();
		if (path == null || path.isEmpty()) {
			return "parameters";
		}
		StringBuilder builder = new StringBuilder();
		for (JacksonException.Reference reference : path) {
			if (reference.getPropertyName() != null) {
				if (!builder.isEmpty()) {
					builder.append('.');
				}
				builder.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				builder.append('[').append(reference.getIndex()).append(']');
			}
		}
		return builder.isEmpty() ? "parameters" : builder.toString();
	}

}
