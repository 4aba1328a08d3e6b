package dev.peergate.xpc.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * The libxpc functions Peergate calls that exist on every supported macOS (10.7 – 11.0). Names, parameter and
 * return types follow the SDK prototypes exactly (checked by a conformance test): {@code xpc_object_t},
 * connections, queues and blocks are {@link Pointer}s, {@code bool} is {@code byte}, {@code size_t} and the 64-bit
 * integers are {@code long}.
 * <p>
 * Ownership (libxpc): {@code *_create*} and {@code xpc_copy} return +1 references released with
 * {@link #xpc_release}; getters return borrowed pointers valid while their container lives.
 *
 * <pre>{@code
 * Pointer message = xpc.xpc_dictionary_create(null, null, 0);
 * try { xpc.xpc_dictionary_set_string(message, "method", "com.example.helper.Status"); }
 * finally { xpc.xpc_release(message); }
 * }</pre>
 */
@SuppressWarnings("checkstyle:MethodName")
public interface LibXpc extends Library {

	Pointer xpc_retain(Pointer object);

	void xpc_release(Pointer object);

	Pointer xpc_get_type(Pointer object);

	Pointer xpc_copy(Pointer object);

	Pointer xpc_null_create();

	Pointer xpc_bool_create(byte value);

	byte xpc_bool_get_value(Pointer xbool);

	Pointer xpc_int64_create(long value);

	long xpc_int64_get_value(Pointer xint);

	Pointer xpc_uint64_create(long value);

	long xpc_uint64_get_value(Pointer xuint);

	Pointer xpc_double_create(double value);

	double xpc_double_get_value(Pointer xdouble);

	Pointer xpc_date_create(long interval);

	long xpc_date_get_value(Pointer xdate);

	Pointer xpc_string_create(String string);

	Pointer xpc_string_get_string_ptr(Pointer xstring);

	long xpc_string_get_length(Pointer xstring);

	Pointer xpc_data_create(byte[] bytes, long length);

	long xpc_data_get_length(Pointer xdata);

	Pointer xpc_data_get_bytes_ptr(Pointer xdata);

	Pointer xpc_uuid_create(byte[] uuid);

	Pointer xpc_uuid_get_bytes(Pointer xuuid);

	/** Boxes a duplicate of {@code fd} (the caller keeps its own); {@code NULL} when it is not an open descriptor. */
	Pointer xpc_fd_create(int fd);

	/** A new descriptor of the boxed file, owned by the caller; -1 on failure. */
	int xpc_fd_dup(Pointer xfd);

	Pointer xpc_dictionary_create(Pointer keys, Pointer values, long count);

	Pointer xpc_dictionary_create_reply(Pointer original);

	Pointer xpc_dictionary_get_remote_connection(Pointer xdict);

	long xpc_dictionary_get_count(Pointer xdict);

	byte xpc_dictionary_apply(Pointer xdict, Pointer applier);

	void xpc_dictionary_set_value(Pointer xdict, String key, Pointer value);

	Pointer xpc_dictionary_get_value(Pointer xdict, String key);

	void xpc_dictionary_set_string(Pointer xdict, String key, String string);

	void xpc_dictionary_set_int64(Pointer xdict, String key, long value);

	void xpc_dictionary_set_bool(Pointer xdict, String key, byte value);

	Pointer xpc_dictionary_get_string(Pointer xdict, String key);

	Pointer xpc_array_create(Pointer objects, long count);

	void xpc_array_append_value(Pointer xarray, Pointer value);

	long xpc_array_get_count(Pointer xarray);

	Pointer xpc_array_get_value(Pointer xarray, long index);

	Pointer xpc_connection_create_mach_service(String name, Pointer targetq, long flags);

	/** {@code name} {@code null}: an anonymous listener, reached only through {@link #xpc_endpoint_create}. */
	Pointer xpc_connection_create(@Nullable String name, @Nullable Pointer targetq);

	Pointer xpc_connection_create_from_endpoint(Pointer endpoint);

	void xpc_connection_set_target_queue(Pointer connection, @Nullable Pointer targetq);

	/** {@code xpc/endpoint.h}: a retained endpoint of a listener connection. */
	Pointer xpc_endpoint_create(Pointer connection);

	void xpc_connection_set_event_handler(Pointer connection, Pointer handler);

	void xpc_connection_resume(Pointer connection);

	void xpc_connection_cancel(Pointer connection);

	void xpc_connection_send_message(Pointer connection, Pointer message);

	void xpc_connection_send_barrier(Pointer connection, Pointer barrier);

	void xpc_connection_send_message_with_reply(Pointer connection, Pointer message, Pointer replyq, Pointer handler);

	int xpc_connection_get_euid(Pointer connection);

	int xpc_connection_get_egid(Pointer connection);

	int xpc_connection_get_pid(Pointer connection);

	int xpc_connection_get_asid(Pointer connection);

}
