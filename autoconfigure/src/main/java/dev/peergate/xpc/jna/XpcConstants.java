package dev.peergate.xpc.jna;

import java.util.HashMap;
import java.util.Map;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * libxpc's type and error "constants": in C they are macros taking the ADDRESS of an exported data symbol
 * ({@code XPC_TYPE_DICTIONARY} is {@code &_xpc_type_dictionary}), so here each is the symbol's address, compared by
 * identity with {@code xpc_get_type(object)} or with an error event. {@code XPC_ERROR_KEY_DESCRIPTION} is the
 * opposite case: a {@code const char *} stored at the symbol, read through it.
 * <p>
 * Symbols newer than macOS 11 ({@code _xpc_error_peer_code_signing_requirement}, 12.0) are looked up lazily and
 * are {@code null} when absent.
 *
 * <pre>{@code
 * if (constants.isType(xpc.xpc_get_type(event), XpcType.ERROR) && event.equals(constants.connectionInvalid())) { ... }
 * }</pre>
 */
public final class XpcConstants {

	private final Map<Pointer, XpcType> types = new HashMap<>();

	private final Pointer connectionInterrupted;

	private final Pointer connectionInvalid;

	private final Pointer terminationImminent;

	private final @Nullable Pointer peerCodeSigningRequirement;

	private final Pointer boolTrue;

	private final String errorKeyDescription;

	XpcConstants(NativeLibrary xpc) {
		for (XpcType type : XpcType.values()) {
			this.types.put(xpc.getGlobalVariableAddress(type.symbol()), type);
		}
		this.connectionInterrupted = xpc.getGlobalVariableAddress("_xpc_error_connection_interrupted");
		this.connectionInvalid = xpc.getGlobalVariableAddress("_xpc_error_connection_invalid");
		this.terminationImminent = xpc.getGlobalVariableAddress("_xpc_error_termination_imminent");
		this.peerCodeSigningRequirement = optional(xpc, "_xpc_error_peer_code_signing_requirement");
		this.boolTrue = xpc.getGlobalVariableAddress("_xpc_bool_true");
		this.errorKeyDescription = xpc.getGlobalVariableAddress("_xpc_error_key_description")
			.getPointer(0)
			.getString(0, "UTF-8");
	}

	static @Nullable Pointer optional(NativeLibrary library, String symbol) {
		try {
			return library.getGlobalVariableAddress(symbol);
		}
		catch (UnsatisfiedLinkError ex) {
			return null;
		}
	}

	/** The type of an object from {@code xpc_get_type}, {@code null} for a type Peergate does not convert. */
	public @Nullable XpcType type(Pointer xpcType) {
		return this.types.get(xpcType);
	}

	/** {@code XPC_ERROR_CONNECTION_INTERRUPTED}. */
	public Pointer connectionInterrupted() {
		return this.connectionInterrupted;
	}

	/** {@code XPC_ERROR_CONNECTION_INVALID}. */
	public Pointer connectionInvalid() {
		return this.connectionInvalid;
	}

	/** {@code XPC_ERROR_TERMINATION_IMMINENT}. */
	public Pointer terminationImminent() {
		return this.terminationImminent;
	}

	/** {@code XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT} (macOS 12+), {@code null} when libxpc lacks it. */
	public @Nullable Pointer peerCodeSigningRequirement() {
		return this.peerCodeSigningRequirement;
	}

	/** {@code XPC_BOOL_TRUE}. */
	public Pointer boolTrue() {
		return this.boolTrue;
	}

	/** The value of {@code XPC_ERROR_KEY_DESCRIPTION}, read from the symbol. */
	public String errorKeyDescription() {
		return this.errorKeyDescription;
	}

}
