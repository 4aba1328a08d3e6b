/*
 * The part of libxpc's public C API (<xpc/xpc.h>, <xpc/connection.h>, macOS SDK) that peergate_client.c uses,
 * transcribed for building off macOS; on a Mac the client includes the SDK headers instead. Plain C view:
 * xpc_object_t is a pointer, the XPC_TYPE_* and XPC_ERROR_* values are the addresses of exported data symbols,
 * XPC_ERROR_KEY_DESCRIPTION is the string stored in one. Create/copy functions return +1, getters borrow.
 */
#ifndef PEERGATE_XPC_PUBLIC_H
#define PEERGATE_XPC_PUBLIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void *xpc_object_t;
typedef const struct _xpc_type_s *xpc_type_t;
typedef struct _xpc_connection_s *xpc_connection_t;
typedef void (^xpc_handler_t)(xpc_object_t object);
typedef bool (^xpc_dictionary_applier_t)(const char *key, xpc_object_t value);
typedef struct dispatch_queue_s *dispatch_queue_t;

extern const struct _xpc_type_s _xpc_type_dictionary, _xpc_type_array, _xpc_type_string, _xpc_type_int64,
		_xpc_type_bool, _xpc_type_error;
#define XPC_TYPE_DICTIONARY (&_xpc_type_dictionary)
#define XPC_TYPE_ARRAY (&_xpc_type_array)
#define XPC_TYPE_STRING (&_xpc_type_string)
#define XPC_TYPE_INT64 (&_xpc_type_int64)
#define XPC_TYPE_BOOL (&_xpc_type_bool)
#define XPC_TYPE_ERROR (&_xpc_type_error)

extern const struct _xpc_dictionary_s _xpc_error_connection_invalid;
#define XPC_ERROR_CONNECTION_INVALID ((xpc_object_t) &_xpc_error_connection_invalid)
extern const char *const _xpc_error_key_description;
#define XPC_ERROR_KEY_DESCRIPTION _xpc_error_key_description

xpc_object_t xpc_retain(xpc_object_t object);
void xpc_release(xpc_object_t object);
xpc_type_t xpc_get_type(xpc_object_t object);

xpc_object_t xpc_dictionary_create(const char *const *keys, const xpc_object_t *values, size_t count);
void xpc_dictionary_set_value(xpc_object_t xdict, const char *key, xpc_object_t value);
void xpc_dictionary_set_string(xpc_object_t xdict, const char *key, const char *string);
void xpc_dictionary_set_int64(xpc_object_t xdict, const char *key, int64_t value);
void xpc_dictionary_set_bool(xpc_object_t xdict, const char *key, bool value);
const char *xpc_dictionary_get_string(xpc_object_t xdict, const char *key);
bool xpc_dictionary_apply(xpc_object_t xdict, xpc_dictionary_applier_t applier);
size_t xpc_array_get_count(xpc_object_t xarray);
xpc_object_t xpc_array_get_value(xpc_object_t xarray, size_t index);
const char *xpc_string_get_string_ptr(xpc_object_t xstring);
int64_t xpc_int64_get_value(xpc_object_t xint);
bool xpc_bool_get_value(xpc_object_t xbool);

xpc_connection_t xpc_connection_create_mach_service(const char *name, dispatch_queue_t targetq, uint64_t flags);
void xpc_connection_set_event_handler(xpc_connection_t connection, xpc_handler_t handler);
void xpc_connection_resume(xpc_connection_t connection);
void xpc_connection_cancel(xpc_connection_t connection);
void xpc_connection_send_message(xpc_connection_t connection, xpc_object_t message);
xpc_object_t xpc_connection_send_message_with_reply_sync(xpc_connection_t connection, xpc_object_t message);

#endif
