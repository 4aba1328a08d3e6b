/*
 * A Peergate client in C, written only against libxpc's public API: it connects to a Mach service, sends one call
 * in the wire contract Peergate's XPC listener reads ({method, parameters, more?, id?}), waits for the reply with
 * xpc_connection_send_message_with_reply_sync and collects what arrived: stream items ({parameters, continues:
 * true, id}) through the connection's event handler, then the reply ({parameters} or {error, parameters}).
 *
 * Test code. Built by the tests against the libxpc ABI simulator and loaded into the JVM that runs the listener
 * (the simulator routes messages within one process); on a Mac the same source builds against the SDK:
 *   clang -fblocks -shared -o libpeergate-client.dylib peergate_client.c
 */
#ifdef __APPLE__
#include <xpc/xpc.h>
#else
#include "xpc_public.h"
#endif

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct text {
	char *chars;
	size_t length, capacity;
};

static void append(struct text *t, const char *format, ...) {
	va_list args;
	va_start(args, format);
	va_list again;
	va_copy(again, args);
	int n = vsnprintf(NULL, 0, format, args);
	va_end(args);
	if (t->length + (size_t) n + 1 > t->capacity) {
		t->capacity = (t->length + (size_t) n + 1) * 2;
		t->chars = realloc(t->chars, t->capacity);
	}
	vsnprintf(t->chars + t->length, (size_t) n + 1, format, again);
	va_end(again);
	t->length += (size_t) n;
}

/* an XPC object as text: {key: value, ...}, [a, b], "string", 42, true, error("description") */
static void describe(struct text *t, xpc_object_t object) {
	xpc_type_t type = xpc_get_type(object);
	if (type == XPC_TYPE_DICTIONARY) {
		__block int first = 1;
		append(t, "{");
		xpc_dictionary_apply(object, ^bool(const char *key, xpc_object_t value) {
			append(t, first ? "%s: " : ", %s: ", key);
			first = 0;
			describe(t, value);
			return true;
		});
		append(t, "}");
	}
	else if (type == XPC_TYPE_ARRAY) {
		append(t, "[");
		for (size_t i = 0; i < xpc_array_get_count(object); i++) {
			append(t, i ? ", " : "");
			describe(t, xpc_array_get_value(object, i));
		}
		append(t, "]");
	}
	else if (type == XPC_TYPE_STRING) {
		append(t, "\"%s\"", xpc_string_get_string_ptr(object));
	}
	else if (type == XPC_TYPE_INT64) {
		append(t, "%lld", (long long) xpc_int64_get_value(object));
	}
	else if (type == XPC_TYPE_BOOL) {
		append(t, xpc_bool_get_value(object) ? "true" : "false");
	}
	else if (type == XPC_TYPE_ERROR) {
		const char *description = xpc_dictionary_get_string(object, XPC_ERROR_KEY_DESCRIPTION);
		append(t, "error(\"%s\")", description ? description : "");
	}
	else {
		append(t, "?");
	}
}

struct session {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct text lines;
	int cancelled;
	int finished; /* the connection's final event arrived */
};

/*
 * Calls `method` on `service` with the parameters {key: value} (value an int64 when is_int). Mode 0: one call; 1: a
 * streaming call ({more: true, id: 1}); 2: a oneway call ({oneway: true}, sent with xpc_connection_send_message, no
 * reply expected), then the same call as mode 0, whose reply shows the listener got past the oneway one. Writes one
 * line per message received into `out` ("message {...}" for each stream item, "event error(...)" for a connection
 * error before the end, "reply {...}" last) and returns 0; -1 when `out` is too small.
 */
__attribute__((visibility("default"))) int run_client(const char *service, const char *method, const char *key,
		const char *value, int is_int, int mode, char *out, size_t out_length) {
	struct session s = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	struct session *session = &s;
	xpc_connection_t connection = xpc_connection_create_mach_service(service, NULL, 0);
	xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {
		pthread_mutex_lock(&session->mu);
		if (event == XPC_ERROR_CONNECTION_INVALID && session->cancelled) {
			session->finished = 1;
			pthread_cond_signal(&session->cv);
		}
		else {
			append(&session->lines, xpc_get_type(event) == XPC_TYPE_ERROR ? "event " : "message ");
			describe(&session->lines, event);
			append(&session->lines, "\n");
		}
		pthread_mutex_unlock(&session->mu);
	});
	xpc_connection_resume(connection);

	xpc_object_t parameters = xpc_dictionary_create(NULL, NULL, 0);
	if (is_int) {
		xpc_dictionary_set_int64(parameters, key, strtoll(value, NULL, 10));
	}
	else {
		xpc_dictionary_set_string(parameters, key, value);
	}
	if (mode == 2) {
		xpc_object_t oneway = xpc_dictionary_create(NULL, NULL, 0);
		xpc_dictionary_set_string(oneway, "method", method);
		xpc_dictionary_set_value(oneway, "parameters", parameters);
		xpc_dictionary_set_bool(oneway, "oneway", true);
		xpc_connection_send_message(connection, oneway);
		xpc_release(oneway);
	}
	xpc_object_t message = xpc_dictionary_create(NULL, NULL, 0);
	xpc_dictionary_set_string(message, "method", method);
	xpc_dictionary_set_value(message, "parameters", parameters);
	xpc_release(parameters);
	if (mode == 1) {
		xpc_dictionary_set_bool(message, "more", true);
		xpc_dictionary_set_int64(message, "id", 1);
	}
	xpc_object_t reply = xpc_connection_send_message_with_reply_sync(connection, message);
	xpc_release(message);

	pthread_mutex_lock(&s.mu);
	append(&s.lines, "reply ");
	describe(&s.lines, reply);
	append(&s.lines, "\n");
	s.cancelled = 1;
	pthread_mutex_unlock(&s.mu);
	xpc_release(reply);

	xpc_connection_cancel(connection);
	pthread_mutex_lock(&s.mu);
	while (!s.finished) {
		pthread_cond_wait(&s.cv, &s.mu);
	}
	pthread_mutex_unlock(&s.mu);
	xpc_release(connection);

	int fits = s.lines.length < out_length;
	if (fits) {
		memcpy(out, s.lines.chars ? s.lines.chars : "", s.lines.length);
		out[s.lines.length] = 0;
	}
	free(s.lines.chars);
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.mu);
	return fits ? 0 : -1;
}
