package dev.peergate.xpc.jna;

/** The XPC error events a connection's handler can receive, identified by the address of the error symbol. */
public enum XpcEvent {

	/** {@code XPC_ERROR_CONNECTION_INTERRUPTED}: the other side went away; the connection may be used again. */
	CONNECTION_INTERRUPTED,

	/** {@code XPC_ERROR_CONNECTION_INVALID}: final; the handler is never called again. */
	CONNECTION_INVALID,

	/** {@code XPC_ERROR_TERMINATION_IMMINENT}: the system is about to terminate this process. */
	TERMINATION_IMMINENT,

	/** {@code XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT}: libxpc dropped a message of a peer failing the requirement. */
	PEER_CODE_SIGNING_REQUIREMENT,

	/** Another error object (the description is logged). */
	OTHER_ERROR

}
