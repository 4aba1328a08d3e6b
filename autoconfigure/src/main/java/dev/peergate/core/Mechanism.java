package dev.peergate.core;

/**
 * How a peer's identity was established and checked. The tag appears in the startup log, in every verdict's
 * {@code mechanism} metric tag and in the actuator endpoint, so an operator always knows which API decided.
 *
 * <pre>{@code
 * Mechanism mechanism = peergateListeners.listener("helper").orElseThrow().gate().mechanism();
 * if (mechanism.enforcedByOs()) {
 *     log.info("{}: peers the OS refuses never reach this process", mechanism.tag());
 * }
 * }</pre>
 */
public enum Mechanism {

	/** No check: {@code allow-any-peer: true}. */
	NONE("none", false),

	/** In-process transport: the credentials were stated by the calling code (tests, embedding). */
	STATED("stated", false),

	/** Linux: {@code SO_PEERCRED} plus a pidfd from {@code SO_PEERPIDFD}; /proc facts re-checked against the pidfd. */
	PIDFD("pidfd", false),

	/** Linux without {@code SO_PEERPIDFD}: uid and gids only, every pid-derived fact is unverified. */
	PEERCRED("peercred", false),

	/** macOS 11+: {@code SecCodeCreateWithXPCMessage} + {@code SecCodeCheckValidityWithErrors} per message. */
	SEC_CODE_XPC_MESSAGE("sec-code-xpc-message", false),

	/** macOS 26+: {@code xpc_peer_requirement_match_received_message} per message. */
	XPC_PEER_REQUIREMENT_MATCH("xpc-peer-requirement-match", false),

	/** macOS 12+: {@code xpc_connection_set_peer_code_signing_requirement}; libxpc enforces. */
	XPC_CODE_SIGNING_REQUIREMENT("xpc-code-signing-requirement", true),

	/** macOS 14.4+: {@code xpc_connection_set_peer_lightweight_code_requirement} and siblings; libxpc enforces. */
	XPC_LIGHTWEIGHT_CODE_REQUIREMENT("xpc-lightweight-code-requirement", true),

	/** macOS 26+: {@code xpc_connection_set_peer_requirement}; libxpc enforces. */
	XPC_PEER_REQUIREMENT("xpc-peer-requirement", true),

	/** Old macOS: private {@code xpc_dictionary_get_audit_token}; only with {@code allow-private-api: true}. */
	PRIVATE_AUDIT_TOKEN("private-audit-token", false),

	/** PID-based check, racy by construction; only with {@code allow-insecure-pid: true}. */
	PID_UNSAFE("pid-unsafe", false);

	private final String tag;

	private final boolean enforcedByOs;

	Mechanism(String tag, boolean enforcedByOs) {
		this.tag = tag;
		this.enforcedByOs = enforcedByOs;
	}

	/** Tag value used in metrics, logs and the actuator endpoint. */
	public String tag() {
		return this.tag;
	}

	/**
	 * Whether the operating system enforces the requirement before Peergate sees the peer; rejections are then
	 * invisible to the process.
	 */
	public boolean enforcedByOs() {
		return this.enforcedByOs;
	}

}
