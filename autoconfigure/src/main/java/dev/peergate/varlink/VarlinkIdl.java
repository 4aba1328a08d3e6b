package dev.peergate.varlink;

import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.AnnotatedWildcardType;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.peergate.handler.InterfaceDescriptor;
import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.MethodDescriptor;
import dev.peergate.handler.Values;
import org.jspecify.annotations.Nullable;

/**
 * Generates the varlink interface description (IDL) of an {@link InterfaceDescriptor} from the Java types of its
 * methods, the text served by {@code org.varlink.service.GetInterfaceDescription}.
 * <p>
 * The components of a method's parameter record are the method's input fields, the components of its reply
 * record its output fields. Types map as follows: {@code boolean} → {@code bool}; {@code byte}, {@code short},
 * {@code int}, {@code long}, {@link BigInteger} → {@code int}; {@code float}, {@code double}, {@link BigDecimal}
 * → {@code float}; {@link String}, {@code char}, {@link UUID}, {@link URI}, {@code byte[]} (base64) →
 * {@code string}; {@link Object} and {@code Map<String, Object>} → {@code object}; collections and arrays →
 * {@code []T}; {@code Map<String, T>} → {@code [string]T}; a type-use {@code @Nullable} or {@link Optional} →
 * {@code ?T}; a record without components → {@code ()}; other records and enums become named {@code type}
 * declarations. Declared errors become {@code error} lines and descriptions become {@code #} comments.
 * <p>
 * Anything varlink cannot express (a map with non-string keys, a type variable, a Java name that is not a valid
 * varlink name) is an {@link IllegalStateException} naming the Java element, so a broken description is found at
 * startup rather than by a client.
 *
 * <pre>{@code
 * String idl = VarlinkIdl.describe(registry.findInterface("com.example.helper").orElseThrow());
 * }</pre>
 */
public final class VarlinkIdl {

	/** Interface names as the varlink reference parser accepts them. */
	private static final Pattern INTERFACE_NAME = Pattern.compile("[a-z]+(\\.[a-z0-9]+(-[a-z0-9]+)*)+");

	/** Field and enum member names as the varlink reference parser accepts them. */
	private static final Pattern FIELD_NAME = Pattern.compile("[a-z][A-Za-z0-9_]*");

	private final InterfaceDescriptor descriptor;

	/** Named types by Java class, in the order they were first referenced. */
	private final Map<Class<?>, String> typeNames = new LinkedHashMap<>();

	private final Map<Class<?>, String> typeBodies = new LinkedHashMap<>();

	private final Set<String> usedNames = new HashSet<>();

	private VarlinkIdl(InterfaceDescriptor descriptor) {
		this.descriptor = descriptor;
	}

	/**
	 * The IDL of the interface.
	 * @throws IllegalStateException if a Java type or name has no varlink equivalent
	 */
	public static String describe(InterfaceDescriptor descriptor) {
		return new VarlinkIdl(descriptor).generate();
	}

	private String generate() {
		String name = this.descriptor.name();
		if (!INTERFACE_NAME.matcher(name).matches()) {
			throw new IllegalStateException("Interface name '" + name + "' is not a varlink interface name: "
					+ "lower-case reverse-domain labels such as 'com.example.helper'");
		}
		// Methods and errors share one namespace with types: reserve theirs so a type is renamed, not them.
		this.usedNames.addAll(this.descriptor.methods().keySet());
		this.usedNames.addAll(this.descriptor.errors().keySet());
		List<String> methods = new ArrayList<>();
		for (MethodDescriptor method : this.descriptor.methods().values()) {
			String where = method.method().getDeclaringClass().getName() + "." + method.method().getName();
			String in = struct(method.parameterType(), where);
			String out = reply(method, where);
			methods.add(comment(method.description()) + "method " + method.name() + in + " -> " + out + "\n");
		}
		List<String> errors = new ArrayList<>();
		this.descriptor.errors().forEach((errorName, parameters) -> errors
			.add("error " + errorName + " " + struct(parameters, "@IpcErrorType(name = \"" + errorName + "\")") + "\n"));
		StringBuilder idl = new StringBuilder();
		idl.append(comment(this.descriptor.description())).append("interface ").append(name).append('\n');
		this.typeNames.forEach((type, typeName) -> idl.append('\n')
			.append("type ")
			.append(typeName)
			.append(' ')
			.append(this.typeBodies.get(type))
			.append('\n'));
		methods.forEach(method -> idl.append('\n').append(method));
		errors.forEach(error -> idl.append('\n').append(error));
		return idl.toString();
	}

	private String reply(MethodDescriptor method, String where) {
		Type reply = method.replyType();
		if (reply == void.class || reply == Void.class) {
			return "()";
		}
		Class<?> raw = raw(reply);
		if (raw.isRecord()) {
			return struct(raw, where);
		}
		if (Map.class.isAssignableFrom(raw)) {
			// The fields of a map reply are only known at run time; varlink clients ignore undeclared fields.
			return "()";
		}
		throw new IllegalStateException(where + " returns " + reply.getTypeName()
				+ ", which varlink cannot describe: return a record, a Map or void");
	}

	private String struct(@Nullable Class<?> record, String where) {
		if (record == null) {
			return "()";
		}
		if (!record.isRecord()) {
			throw new IllegalStateException(where + ": " + record.getName() + " is not a record");
		}
		List<String> fields = new ArrayList<>();
		for (RecordComponent component : record.getRecordComponents()) {
			String fieldName = Values.wireName(component);
			String element = record.getName() + "." + component.getName();
			requireFieldName(fieldName, element);
			String type = type(component.getAnnotatedType(), element);
			if (Values.isOptional(component) && !type.startsWith("?")) {
				type = "?" + type;
			}
			fields.add(fieldName + ": " + type);
		}
		return "(" + String.join(", ", fields) + ")";
	}

	private String type(AnnotatedType annotated, String where) {
		String type = bareType(annotated, where);
		if (annotated.isAnnotationPresent(Nullable.class) && !type.startsWith("?")) {
			return "?" + type;
		}
		return type;
	}

	private String bareType(AnnotatedType annotated, String where) {
		Type type = annotated.getType();
		if (type instanceof TypeVariable<?>) {
			throw new IllegalStateException(where + " has the type variable " + type.getTypeName()
					+ ", which varlink cannot describe; use a concrete type");
		}
		if (annotated instanceof AnnotatedWildcardType wildcard) {
			AnnotatedType[] upper = wildcard.getAnnotatedUpperBounds();
			return (upper.length == 1) ? type(upper[0], where) : "object";
		}
		if (annotated instanceof AnnotatedArrayType array) {
			if (type == byte[].class) {
				return "string";
			}
			return "[]" + type(array.getAnnotatedGenericComponentType(), where);
		}
		Class<?> raw = raw(type);
		AnnotatedType[] arguments = (annotated instanceof AnnotatedParameterizedType parameterized)
				? parameterized.getAnnotatedActualTypeArguments() : new AnnotatedType[0];
		if (raw == boolean.class || raw == Boolean.class) {
			return "bool";
		}
		if (raw == int.class || raw == long.class || raw == short.class || raw == byte.class || raw == Integer.class
				|| raw == Long.class || raw == Short.class || raw == Byte.class || raw == BigInteger.class) {
			return "int";
		}
		if (raw == IpcFileDescriptor.class) {
			return "int"; // the index of the descriptor among those sent with the message, as systemd's IDLs say
		}
		if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class
				|| raw == BigDecimal.class) {
			return "float";
		}
		if (raw == String.class || raw == char.class || raw == Character.class || raw == UUID.class
				|| raw == URI.class) {
			return "string";
		}
		if (raw == Object.class) {
			return "object";
		}
		if (raw == Optional.class) {
			String element = (arguments.length == 1) ? type(arguments[0], where) : "object";
			return element.startsWith("?") ? element : "?" + element;
		}
		if (Collection.class.isAssignableFrom(raw)) {
			return "[]" + ((arguments.length == 1) ? type(arguments[0], where) : "object");
		}
		if (Map.class.isAssignableFrom(raw)) {
			if (arguments.length != 2) {
				return "object";
			}
			if (raw(arguments[0].getType()) != String.class) {
				throw new IllegalStateException(where + " is a map keyed by " + arguments[0].getType().getTypeName()
						+ "; varlink maps are keyed by string");
			}
			if (raw(arguments[1].getType()) == Object.class && !arguments[1].isAnnotationPresent(Nullable.class)) {
				return "object";
			}
			return "[string]" + type(arguments[1], where);
		}
		if (raw.isRecord() && raw.getRecordComponents().length == 0) {
			return "()";
		}
		if (raw.isRecord() || raw.isEnum()) {
			return named(raw);
		}
		throw new IllegalStateException(where + " has type " + type.getTypeName()
				+ ", which has no varlink equivalent; use a record, an enum, a collection, a Map<String, T>, "
				+ "a string, a number or a boolean");
	}

	private String named(Class<?> type) {
		String existing = this.typeNames.get(type);
		if (existing != null) {
			return existing;
		}
		String name = uniqueName(type);
		// Registered before the body is built, so that recursive records refer to themselves by name.
		this.typeNames.put(type, name);
		this.typeBodies.put(type, type.isEnum() ? enumBody(type) : struct(type, type.getName()));
		return name;
	}

	private String uniqueName(Class<?> type) {
		String base = sanitize(type.getSimpleName());
		if (this.usedNames.add(base)) {
			return base;
		}
		// Same simple name in two places (or equal to a method): qualify with enclosing classes, nearest first.
		String candidate = base;
		for (Class<?> enclosing = type.getEnclosingClass(); enclosing != null; enclosing = enclosing
			.getEnclosingClass()) {
			candidate = sanitize(enclosing.getSimpleName()) + candidate;
			if (this.usedNames.add(candidate)) {
				return candidate;
			}
		}
		for (int i = 2;; i++) {
			if (this.usedNames.add(candidate + i)) {
				return candidate + i;
			}
		}
	}

	private static String sanitize(String simpleName) {
		String letters = simpleName.replaceAll("[^A-Za-z0-9]", "");
		if (letters.isEmpty() || !Character.isLetter(letters.charAt(0))) {
			letters = "T" + letters;
		}
		return letters.substring(0, 1).toUpperCase(Locale.ROOT) + letters.substring(1);
	}

	private static String enumBody(Class<?> type) {
		List<String> members = new ArrayList<>();
		for (Field field : type.getDeclaredFields()) {
			if (!field.isEnumConstant()) {
				continue;
			}
			JsonProperty property = field.getAnnotation(JsonProperty.class);
			String member = (property != null && !property.value().isEmpty()) ? property.value() : field.getName();
			requireFieldName(member, type.getName() + "." + field.getName());
			members.add(member);
		}
		if (members.isEmpty()) {
			throw new IllegalStateException(type.getName() + " is an enum without constants");
		}
		return "(" + String.join(", ", members) + ")";
	}

	private static void requireFieldName(String name, String where) {
		if (!FIELD_NAME.matcher(name).matches()) {
			throw new IllegalStateException(where + " has wire name '" + name + "', which is not a varlink field "
					+ "name: it must start with a lower-case letter followed by letters, digits or '_' (rename it or "
					+ "use @JsonProperty)");
		}
	}

	private static Class<?> raw(Type type) {
		if (type instanceof Class<?> type1) {
			return type1;
		}
		if (type instanceof ParameterizedType parameterized) {
			return (Class<?>) parameterized.getRawType();
		}
		if (type instanceof WildcardType wildcard && wildcard.getUpperBounds().length == 1) {
			return raw(wildcard.getUpperBounds()[0]);
		}
		if (type instanceof java.lang.reflect.GenericArrayType array) {
			return raw(array.getGenericComponentType()).arrayType();
		}
		throw new IllegalStateException("Type " + type.getTypeName() + " has no varlink equivalent");
	}

	private static String comment(String text) {
		if (text.isBlank()) {
			return "";
		}
		StringBuilder comment = new StringBuilder();
		for (String line : text.strip().split("\\R")) {
			comment.append(line.isBlank() ? "#" : "# " + line.stripTrailing()).append('\n');
		}
		return comment.toString();
	}

}
