package dev.peergate.handler;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A typed protocol error. Thrown from a handler, it becomes the error reply {@code {error: name, parameters: ...}}
 * (varlink error, XPC error dictionary); received by a client, it is thrown by the call.
 *
 * <pre>{@code
 * throw new IpcError("com.example.helper.NotFound", Map.of("path", path));
 * }</pre>
 */
public class IpcError extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String name;

	private final transient Map<String, @Nullable Object> parameters;

	/** An error without parameters. */
	public IpcError(String name) {
		this(name, Map.of());
	}

	/** An error with parameters (a {@code Map}; use {@link #of(String, Object)} for a record). */
	public IpcError(String name, Map<String, ? extends @Nullable Object> parameters) {
		super(describe(name, parameters));
		this.name = Objects.requireNonNull(name, "'name' must not be null");
		this.parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
	}

	/** An error whose parameters are the properties of a record or bean. */
	public static IpcError of(String name, Object parameters) {
		return new IpcError(name, Values.toMap(parameters));
	}

	/** Fully qualified error name, e.g. {@code org.varlink.service.MethodNotFound}. */
	public String name() {
		return this.name;
	}

	/** Error parameters, read-only. */
	public Map<String, @Nullable Object> parameters() {
		return this.parameters;
	}

	/**
	 * The parameters bound to the record the error type declares (see {@link IpcErrorType}), e.g.
	 * {@code error.parametersAs(NoSuchPath.class).path()}.
	 * @throws IpcError {@value StandardErrors#INVALID_PARAMETER} when they do not fit the record
	 */
	public <T> T parametersAs(Class<T> type) {
		return type.cast(Values.bind(this.parameters, type));
	}

	private static String describe(String name, Map<String, ? extends @Nullable Object> parameters) {
		return parameters.isEmpty() ? name : name + " " + parameters;
	}

}
