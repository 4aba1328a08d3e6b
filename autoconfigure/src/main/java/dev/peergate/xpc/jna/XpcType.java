package dev.peergate.xpc.jna;

/** The XPC object types Peergate distinguishes, each with its exported type symbol. */
public enum XpcType {

	/** {@code XPC_TYPE_CONNECTION}. */
	CONNECTION("_xpc_type_connection"),

	/** {@code XPC_TYPE_ERROR}. */
	ERROR("_xpc_type_error"),

	/** {@code XPC_TYPE_DICTIONARY}. */
	DICTIONARY("_xpc_type_dictionary"),

	/** {@code XPC_TYPE_ARRAY}. */
	ARRAY("_xpc_type_array"),

	/** {@code XPC_TYPE_STRING}. */
	STRING("_xpc_type_string"),

	/** {@code XPC_TYPE_INT64}. */
	INT64("_xpc_type_int64"),

	/** {@code XPC_TYPE_UINT64}. */
	UINT64("_xpc_type_uint64"),

	/** {@code XPC_TYPE_DOUBLE}. */
	DOUBLE("_xpc_type_double"),

	/** {@code XPC_TYPE_BOOL}. */
	BOOL("_xpc_type_bool"),

	/** {@code XPC_TYPE_DATA}. */
	DATA("_xpc_type_data"),

	/** {@code XPC_TYPE_UUID}. */
	UUID("_xpc_type_uuid"),

	/** {@code XPC_TYPE_DATE}. */
	DATE("_xpc_type_date"),

	/** {@code XPC_TYPE_FD}: a file descriptor, duplicated into the object. */
	FD("_xpc_type_fd"),

	/** {@code XPC_TYPE_NULL}. */
	NULL("_xpc_type_null");

	private final String symbol;

	XpcType(String symbol) {
		this.symbol = symbol;
	}

	/** The exported data symbol whose address is the type. */
	public String symbol() {
		return this.symbol;
	}

}
