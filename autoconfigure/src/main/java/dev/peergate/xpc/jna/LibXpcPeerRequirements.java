package dev.peergate.xpc.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import org.jspecify.annotations.Nullable;

/**
 * The version-specific libxpc functions: peer requirement setters (12.0, 14.4), peer requirement objects (26.0)
 * and rich errors (14.0+). JNA resolves a method on its first call, so this interface loads on any macOS; before
 * calling, check {@link XpcNative#availability()} which probes each symbol once.
 *
 * <pre>{@code
 * if (nativeXpc.availability().has("xpc_connection_set_peer_code_signing_requirement")) {
 *     int rc = nativeXpc.requirements().xpc_connection_set_peer_code_signing_requirement(peer, requirement);
 * }
 * }</pre>
 */
@SuppressWarnings("checkstyle:MethodName")
public interface LibXpcPeerRequirements extends Library {

	/** macOS 12.0. */
	int xpc_connection_set_peer_code_signing_requirement(Pointer connection, String requirement);

	/** macOS 14.4. */
	int xpc_connection_set_peer_lightweight_code_requirement(Pointer connection, Pointer lwcr);

	/** macOS 14.4. */
	int xpc_connection_set_peer_team_identity_requirement(Pointer connection, String signingIdentifier);

	/** macOS 14.4. */
	int xpc_connection_set_peer_platform_identity_requirement(Pointer connection, String signingIdentifier);

	/** macOS 14.4. */
	int xpc_connection_set_peer_entitlement_exists_requirement(Pointer connection, String entitlement);

	/** macOS 14.4. */
	int xpc_connection_set_peer_entitlement_matches_value_requirement(Pointer connection, String entitlement,
			Pointer value);

	/** macOS 26.0. */
	Pointer xpc_peer_requirement_create_lwcr(Pointer lwcr, PointerByReference errorOut);

	/** macOS 26.0. */
	Pointer xpc_peer_requirement_create_team_identity(String signingIdentifier, PointerByReference errorOut);

	/** macOS 26.0. */
	Pointer xpc_peer_requirement_create_platform_identity(String signingIdentifier, PointerByReference errorOut);

	/** macOS 26.0. */
	Pointer xpc_peer_requirement_create_entitlement_exists(String entitlement, PointerByReference errorOut);

	/** macOS 26.0; the value is bool, string or int64. */
	Pointer xpc_peer_requirement_create_entitlement_matches_value(String entitlement, Pointer value,
			PointerByReference errorOut);

	/** macOS 26.0. */
	byte xpc_peer_requirement_match_received_message(Pointer peerRequirement, Pointer message,
			PointerByReference errorOut);

	/** macOS 26.0; {@code void}: unlike the 12.0 and 14.4 setters it reports nothing. */
	void xpc_connection_set_peer_requirement(Pointer connection, Pointer peerRequirement);

	/** macOS 14.0; returns malloc'd memory the caller frees, or {@code NULL} when no description can be generated. */
	@Nullable Pointer xpc_rich_error_copy_description(Pointer error);

}
