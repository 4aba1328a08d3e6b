/*
 * xpcsim: a libxpc / libdispatch / Security.framework / CoreFoundation ABI simulator for Linux.
 *
 * Test code only. Peergate's production JNA bindings load this shared object instead of the macOS system
 * libraries (the library path is the only thing that changes) so that the native boundary -- blocks copied and
 * invoked from foreign threads, retain/release balance, error-object identity, peer requirements -- is exercised
 * for real on Linux.
 *
 * Semantics follow the documented libxpc contract (SDK headers, see the project's reference notes):
 *   - handler blocks are Block_copy'd by set_event_handler / send_message_with_reply and Block_release'd after
 *     the final XPC_ERROR_CONNECTION_INVALID (event handler) or after the single reply (reply handler);
 *   - events of one connection are delivered serially from the connection's own thread;
 *   - a second peer-requirement setter on a connection, or releasing an inactive connection, aborts;
 *   - error, type and bool constants are exported data symbols compared by address;
 *   - create/copy return +1, getters are borrowed;
 *   - an fd object holds its own descriptor (a dup), closed with the object; a sent message's fd objects get
 *     descriptors of their own in the receiver's copy, as the kernel gives the receiving process.
 * Simplifications (documented in docs/macos.md): the target dispatch queue is accepted but each connection
 * delivers on its own thread; the requirement evaluator understands only
 *   identifier "x" | anchor apple | anchor apple generic | certificate leaf[subject.OU] = "X"
 * joined by "and"; LWCR dictionaries understand team-identifier, signing-identifier, validation-category with a
 * scalar or {$in: [...]}, plus $and / $or.
 *
 * Build: clang -fblocks -shared -fPIC -Wl,-Bsymbolic -o libxpcsim.so xpcsim.c -lBlocksRuntime -lpthread
 * -DXPCSIM_LEGACY leaves out every symbol newer than macOS 11 (a "Big Sur" libxpc); with -DXPCSIM_CATALINA also
 * SecCodeCreateWithXPCMessage (macOS 11), as on macOS 10.15.
 */
#include <Block.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

/* ------------------------------------------------------------------------------------------------ counters */

static long live_objects, live_blocks, live_cf, native_calls, live_queues, live_fds;
#define INC(v) __atomic_add_fetch(&(v), 1, __ATOMIC_SEQ_CST)
#define DEC(v) __atomic_sub_fetch(&(v), 1, __ATOMIC_SEQ_CST)
#define API() INC(native_calls)

static void die(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "xpcsim: FATAL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	fflush(stderr);
	abort();
}

/* ------------------------------------------------------------------------------------------------ versions */

static char os_version[32] = "15.0";

static int version_at_least(int major, int minor) {
	int ma = 0, mi = 0;
	sscanf(os_version, "%d.%d", &ma, &mi);
	return ma > major || (ma == major && mi >= minor);
}

static void require_version(const char *fn, int major, int minor) {
	if (!version_at_least(major, minor)) {
		die("%s called on simulated macOS %s (needs %d.%d): the symbol would not exist", fn, os_version, major, minor);
	}
}

/* ------------------------------------------------------------------------------------------------ types */

struct _xpc_type_s {
	const char *name;
};

#define XTYPE(n) EXPORT const struct _xpc_type_s _xpc_type_##n = {#n};
XTYPE(connection) XTYPE(endpoint) XTYPE(null) XTYPE(bool) XTYPE(int64) XTYPE(uint64) XTYPE(double) XTYPE(date)
XTYPE(data) XTYPE(string) XTYPE(uuid) XTYPE(fd) XTYPE(shmem) XTYPE(array) XTYPE(dictionary) XTYPE(error)
#ifndef XPCSIM_LEGACY
XTYPE(rich_error)
#endif
static const struct _xpc_type_s type_peer_requirement = {"peer_requirement"};

struct conn;
struct pending;
struct identity;

typedef struct xobj {
	const struct _xpc_type_s *type;
	int refcnt;
	int global;
	/* scalars */
	int64_t i64;
	uint64_t u64;
	double dbl;
	bool b;
	/* string / data / uuid / error description */
	char *str;
	size_t len;
	unsigned char *bytes;
	/* fd: the object's own descriptor (XPC_TYPE_FD), closed with the object */
	int fd;
	/* containers */
	char **keys;
	struct xobj **values;
	size_t count, cap;
	/* message context */
	struct conn *remote;       /* retained */
	struct pending *pending;   /* request: reply context not yet taken */
	struct pending *reply_to;  /* reply: where it goes */
	uint32_t token[8];         /* received message: the sender's audit token when it was sent */
	int has_token;
	/* peer requirement (macOS 26) */
	int req_kind;
	char *req_text;
	struct xobj *req_obj;
} xobj;

typedef xobj *xpc_object_t;

#define GLOBAL_ERROR_STATIC(sym, text) static xobj sym = {.type = &_xpc_type_error, .refcnt = 1, .global = 1, .str = (char *) text};
#define GLOBAL_ERROR(sym, text) EXPORT xobj sym = {.type = &_xpc_type_error, .refcnt = 1, .global = 1, .str = (char *) text};
GLOBAL_ERROR(_xpc_error_connection_interrupted, "Connection interrupted")
GLOBAL_ERROR(_xpc_error_connection_invalid, "Connection invalid")
GLOBAL_ERROR(_xpc_error_termination_imminent, "Process termination imminent")
#ifndef XPCSIM_LEGACY
GLOBAL_ERROR(_xpc_error_peer_code_signing_requirement, "Peer forbidden by code signing requirement")
#define PEER_REQ_ERROR (&_xpc_error_peer_code_signing_requirement)
#else
GLOBAL_ERROR_STATIC(peer_req_error_unexported, "Peer forbidden by code signing requirement")
#define PEER_REQ_ERROR (&peer_req_error_unexported)
#endif
EXPORT xobj _xpc_bool_true = {.type = &_xpc_type_bool, .refcnt = 1, .global = 1, .b = true};
EXPORT xobj _xpc_bool_false = {.type = &_xpc_type_bool, .refcnt = 1, .global = 1, .b = false};
EXPORT const char *const _xpc_error_key_description = "XPCErrorDescription";
EXPORT const char *const _xpc_event_key_name = "XPCEventName";

static xobj *new_obj(const struct _xpc_type_s *type) {
	xobj *o = calloc(1, sizeof(xobj));
	o->type = type;
	o->refcnt = 1;
	INC(live_objects);
	return o;
}

static xpc_object_t i_xpc_retain(xpc_object_t o);
static void i_xpc_release(xpc_object_t o);
static void conn_free(struct conn *c);
static void pending_dropped(struct pending *p);
static int check_kind(int kind, const char *text, struct xobj *obj, const struct identity *id);

static void free_obj(xobj *o) {
	if (o->type == &_xpc_type_connection) {
		conn_free((struct conn *) o);
		return;
	}
	for (size_t i = 0; i < o->count; i++) {
		free(o->keys ? o->keys[i] : NULL);
		i_xpc_release(o->values[i]);
	}
	free(o->keys);
	free(o->values);
	free(o->str);
	free(o->bytes);
	free(o->req_text);
	if (o->type == &_xpc_type_fd) {
		close(o->fd);
		DEC(live_fds);
	}
	if (o->req_obj) {
		i_xpc_release(o->req_obj);
	}
	if (o->remote) {
		i_xpc_release((xobj *) o->remote);
	}
	if (o->pending) {
		pending_dropped(o->pending);
	}
	if (o->reply_to) {
		pending_dropped(o->reply_to);
	}
	free(o);
	DEC(live_objects);
}

static xpc_object_t i_xpc_retain(xpc_object_t o) {
	if (o == NULL) {
		die("i_xpc_retain(NULL)");
	}
	if (!o->global) {
		__atomic_add_fetch(&o->refcnt, 1, __ATOMIC_SEQ_CST);
	}
	return o;
}

static void conn_check_release(xobj *o);

static void i_xpc_release(xpc_object_t o) {
	if (o == NULL) {
		die("i_xpc_release(NULL)");
	}
	if (o->global) {
		return;
	}
	if (o->type == &_xpc_type_connection) {
		conn_check_release(o);
	}
	int n = __atomic_sub_fetch(&o->refcnt, 1, __ATOMIC_SEQ_CST);
	if (n < 0) {
		die("over-release of a %s object", o->type->name);
	}
	if (n == 0) {
		free_obj(o);
	}
}

EXPORT const struct _xpc_type_s *xpc_get_type(xpc_object_t o) {
	API();
	return o->type;
}

EXPORT const char *xpc_type_get_name(const struct _xpc_type_s *t) {
	API();
	return t->name;
}

/* ------------------------------------------------------------------------------------------------ scalars */

EXPORT xpc_object_t xpc_null_create(void) { API(); return new_obj(&_xpc_type_null); }
static xpc_object_t i_xpc_bool_create(bool v) { return v ? &_xpc_bool_true : &_xpc_bool_false; }
EXPORT bool xpc_bool_get_value(xpc_object_t o) { API(); return o->type == &_xpc_type_bool && o->b; }
static xpc_object_t i_xpc_int64_create(int64_t v) { xobj *o = new_obj(&_xpc_type_int64); o->i64 = v; return o; }
EXPORT int64_t xpc_int64_get_value(xpc_object_t o) { API(); return o->type == &_xpc_type_int64 ? o->i64 : 0; }
EXPORT xpc_object_t xpc_uint64_create(uint64_t v) { API(); xobj *o = new_obj(&_xpc_type_uint64); o->u64 = v; return o; }
EXPORT uint64_t xpc_uint64_get_value(xpc_object_t o) { API(); return o->type == &_xpc_type_uint64 ? o->u64 : 0; }
EXPORT xpc_object_t xpc_double_create(double v) { API(); xobj *o = new_obj(&_xpc_type_double); o->dbl = v; return o; }
EXPORT double xpc_double_get_value(xpc_object_t o) { API(); return o->type == &_xpc_type_double ? o->dbl : 0; }
EXPORT xpc_object_t xpc_date_create(int64_t v) { API(); xobj *o = new_obj(&_xpc_type_date); o->i64 = v; return o; }
EXPORT int64_t xpc_date_get_value(xpc_object_t o) { API(); return o->type == &_xpc_type_date ? o->i64 : 0; }

static xpc_object_t i_xpc_string_create(const char *s) {
	xobj *o = new_obj(&_xpc_type_string);
	o->str = strdup(s);
	o->len = strlen(s);
	return o;
}
EXPORT const char *xpc_string_get_string_ptr(xpc_object_t o) { API(); return o->type == &_xpc_type_string ? o->str : NULL; }
EXPORT size_t xpc_string_get_length(xpc_object_t o) { API(); return o->type == &_xpc_type_string ? o->len : 0; }

EXPORT xpc_object_t xpc_data_create(const void *bytes, size_t len) {
	API();
	xobj *o = new_obj(&_xpc_type_data);
	o->bytes = malloc(len ? len : 1);
	if (len) {
		memcpy(o->bytes, bytes, len);
	}
	o->len = len;
	return o;
}
EXPORT size_t xpc_data_get_length(xpc_object_t o) { API(); return o->type == &_xpc_type_data ? o->len : 0; }
EXPORT const void *xpc_data_get_bytes_ptr(xpc_object_t o) { API(); return o->type == &_xpc_type_data ? o->bytes : NULL; }

EXPORT xpc_object_t xpc_uuid_create(const unsigned char *uuid) {
	API();
	xobj *o = new_obj(&_xpc_type_uuid);
	o->bytes = malloc(16);
	memcpy(o->bytes, uuid, 16);
	return o;
}
EXPORT const unsigned char *xpc_uuid_get_bytes(xpc_object_t o) { API(); return o->type == &_xpc_type_uuid ? o->bytes : NULL; }

/*
 * fd objects (xpc.h): xpc_fd_create keeps its own duplicate of the descriptor (the caller may close its own) and
 * returns NULL for a descriptor that is not open; xpc_fd_dup returns a new descriptor the caller owns, -1 on failure.
 * libxpc boxes a fileport and the kernel makes the receiver's descriptor; here a close-on-exec dup stands for both,
 * closed when the object's last reference goes (counted: xpcsim_live_fds).
 */
static xobj *fd_object(int fd) {
	int own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (own < 0) {
		return NULL;
	}
	xobj *o = new_obj(&_xpc_type_fd);
	o->fd = own;
	INC(live_fds);
	return o;
}
EXPORT xpc_object_t xpc_fd_create(int fd) { API(); return fd_object(fd); }
EXPORT int xpc_fd_dup(xpc_object_t o) {
	API();
	return o->type == &_xpc_type_fd ? fcntl(o->fd, F_DUPFD_CLOEXEC, 0) : -1;
}

/* ------------------------------------------------------------------------------------------------ containers */

static void put(xobj *c, const char *key, xobj *value /* consumed */) {
	if (key) {
		for (size_t i = 0; i < c->count; i++) {
			if (strcmp(c->keys[i], key) == 0) {
				xobj *old = c->values[i];
				if (value) {
					c->values[i] = value;
				}
				else {
					free(c->keys[i]);
					memmove(&c->keys[i], &c->keys[i + 1], (c->count - i - 1) * sizeof(char *));
					memmove(&c->values[i], &c->values[i + 1], (c->count - i - 1) * sizeof(xobj *));
					c->count--;
				}
				i_xpc_release(old);
				return;
			}
		}
		if (!value) {
			return;
		}
	}
	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4;
		c->values = realloc(c->values, c->cap * sizeof(xobj *));
		if (key || c->keys) {
			c->keys = realloc(c->keys, c->cap * sizeof(char *));
		}
	}
	if (key) {
		c->keys[c->count] = strdup(key);
	}
	c->values[c->count++] = value;
}

static xpc_object_t i_xpc_dictionary_create(const char *const *keys, const xpc_object_t *values, size_t count) {
	xobj *d = new_obj(&_xpc_type_dictionary);
	d->keys = calloc(1, sizeof(char *));
	for (size_t i = 0; i < count; i++) {
		put(d, keys[i], i_xpc_retain(values[i]));
	}
	return d;
}

#ifndef XPCSIM_LEGACY
EXPORT xpc_object_t xpc_dictionary_create_empty(void) { API(); return i_xpc_dictionary_create(NULL, NULL, 0); }
#endif

static xobj *dict_get(xobj *d, const char *key) {
	if (d->type == &_xpc_type_error) {
		/* the error singletons behave as dictionaries with one key */
		return NULL;
	}
	if (d->type != &_xpc_type_dictionary) {
		die("dictionary function on a %s object", d->type->name);
	}
	for (size_t i = 0; i < d->count; i++) {
		if (strcmp(d->keys[i], key) == 0) {
			return d->values[i];
		}
	}
	return NULL;
}

EXPORT void xpc_dictionary_set_value(xpc_object_t d, const char *key, xpc_object_t v) {
	API();
	if (d->type != &_xpc_type_dictionary) {
		die("xpc_dictionary_set_value on a %s", d->type->name);
	}
	put(d, key, v ? i_xpc_retain(v) : NULL);
}
EXPORT xpc_object_t xpc_dictionary_get_value(xpc_object_t d, const char *key) { API(); return dict_get(d, key); }
EXPORT size_t xpc_dictionary_get_count(xpc_object_t d) { API(); return d->type == &_xpc_type_dictionary ? d->count : 0; }

EXPORT const char *xpc_dictionary_get_string(xpc_object_t d, const char *key) {
	API();
	if (d->type == &_xpc_type_error) {
		return strcmp(key, _xpc_error_key_description) == 0 ? d->str : NULL;
	}
	xobj *v = dict_get(d, key);
	return (v && v->type == &_xpc_type_string) ? v->str : NULL;
}

EXPORT void xpc_dictionary_set_string(xpc_object_t d, const char *key, const char *s) {
	API();
	put(d, key, i_xpc_string_create(s));
}
EXPORT void xpc_dictionary_set_int64(xpc_object_t d, const char *key, int64_t v) { API(); put(d, key, i_xpc_int64_create(v)); }
EXPORT void xpc_dictionary_set_bool(xpc_object_t d, const char *key, bool v) { API(); put(d, key, i_xpc_bool_create(v)); }

EXPORT bool xpc_dictionary_apply(xpc_object_t d, bool (^applier)(const char *key, xpc_object_t value)) {
	API();
	if (d->type != &_xpc_type_dictionary) {
		die("xpc_dictionary_apply on a %s", d->type->name);
	}
	for (size_t i = 0; i < d->count; i++) {
		if (!applier(d->keys[i], d->values[i])) {
			return false;
		}
	}
	return true;
}

EXPORT xpc_object_t xpc_array_create(const xpc_object_t *objects, size_t count) {
	API();
	xobj *a = new_obj(&_xpc_type_array);
	for (size_t i = 0; i < count; i++) {
		put(a, NULL, i_xpc_retain(objects[i]));
	}
	return a;
}
EXPORT void xpc_array_append_value(xpc_object_t a, xpc_object_t v) {
	API();
	if (a->type != &_xpc_type_array) {
		die("xpc_array_append_value on a %s", a->type->name);
	}
	put(a, NULL, i_xpc_retain(v));
}
EXPORT size_t xpc_array_get_count(xpc_object_t a) { API(); return a->type == &_xpc_type_array ? a->count : 0; }
EXPORT xpc_object_t xpc_array_get_value(xpc_object_t a, size_t i) {
	API();
	if (a->type != &_xpc_type_array || i >= a->count) {
		die("xpc_array_get_value out of range");
	}
	return a->values[i];
}

static xobj *deep_copy(xobj *o) {
	if (o->global) {
		return o;
	}
	if (o->type == &_xpc_type_dictionary || o->type == &_xpc_type_array) {
		xobj *c = new_obj(o->type);
		if (o->type == &_xpc_type_dictionary) {
			c->keys = calloc(1, sizeof(char *));
		}
		for (size_t i = 0; i < o->count; i++) {
			put(c, o->keys && o->type == &_xpc_type_dictionary ? o->keys[i] : NULL, deep_copy(o->values[i]));
		}
		return c;
	}
	if (o->type == &_xpc_type_connection || o->type == &_xpc_type_endpoint || o->type == &type_peer_requirement) {
		return i_xpc_retain(o);
	}
	if (o->type == &_xpc_type_fd) {
		/* the kernel gives the receiver a descriptor of its own; the sender's object keeps its own */
		xobj *c = fd_object(o->fd);
		if (c == NULL) {
			die("xpc fd copy: fcntl(F_DUPFD_CLOEXEC) failed: %s", strerror(errno));
		}
		return c;
	}
	xobj *c = new_obj(o->type);
	c->i64 = o->i64;
	c->u64 = o->u64;
	c->dbl = o->dbl;
	c->b = o->b;
	c->len = o->len;
	if (o->str) {
		c->str = strdup(o->str);
	}
	if (o->bytes) {
		size_t n = o->type == &_xpc_type_uuid ? 16 : (o->len ? o->len : 1);
		c->bytes = malloc(n);
		memcpy(c->bytes, o->bytes, n);
	}
	return c;
}

EXPORT xpc_object_t xpc_copy(xpc_object_t o) { API(); return deep_copy(o); }


/* exported entry points (counted); the simulator itself uses the i_ versions so its counters see only callers */
EXPORT xpc_object_t xpc_retain(xpc_object_t o) { API(); return i_xpc_retain(o); }
EXPORT void xpc_release(xpc_object_t o) { API(); i_xpc_release(o); }
EXPORT xpc_object_t xpc_string_create(const char *s) { API(); return i_xpc_string_create(s); }
EXPORT xpc_object_t xpc_int64_create(int64_t v) { API(); return i_xpc_int64_create(v); }
EXPORT xpc_object_t xpc_bool_create(bool v) { API(); return i_xpc_bool_create(v); }
EXPORT xpc_object_t xpc_dictionary_create(const char *const *keys, const xpc_object_t *values, size_t count) { API(); return i_xpc_dictionary_create(keys, values, count); }

/* ------------------------------------------------------------------------------------------------ identities */

struct identity {
	uint32_t euid, egid;
	int32_t pid, pidversion;
	char identifier[128], team[32], cdhash[80], leaf_ou[64], entitlements[512];
	int platform;   /* Apple platform binary */
	int valid;      /* signature valid */
	int category;   /* LWCR validation-category */
	char info[512]; /* Info.plist entries, typed like entitlements: "key=s:value,key=i:3,key=b:true" */
	unsigned char certs[6144]; /* the DER certificates of the chain, leaf first, back to back */
	long cert_lens[3];
	int cert_count;
};

static struct identity next_identity = {501, 20, 4242, 1, "com.example.cli", "ABCDE12345",
	"0123456789abcdef0123456789abcdef01234567", "ABCDE12345", "", 0, 1, 6};
static char self_team[32] = "ABCDE12345";
/* this process's own signing identifier (SecCodeCopySelf); with an empty self_team it is ad-hoc signed */
static char self_identifier[128] = "com.example.helper";

/* what clients that set a requirement on their connection see of the service */
static struct identity service_identity = {0, 0, 1, 1, "com.example.helper", "ABCDE12345",
	"aaaabbbbccccddddeeeeffff0000111122223333", "ABCDE12345", "", 0, 1, 6};

/*
 * Simulated processes: who holds which pid right now, for SecCodeCopyGuestWithAttributes. A client connection
 * spawns its identity's process (pid, pidversion); a new process with a pid already in use means the old holder
 * exited and the pid was reused (its pidversion differs, so its audit tokens no longer resolve).
 * Guarded by global_mu.
 */
#define MAX_PROCS 256
static struct proc {
	struct identity id;
	int alive;
} procs[MAX_PROCS];
static int procs_next;

/* PID reuse on demand: when the next message from `reuse_pid` reaches the service, its sender exits and
 * `reuse_successor` takes the pid -- after the message was sent, before the service verifies it */
static int32_t reuse_pid;
static struct identity reuse_successor;

/* the same, but just after Security located the code of the process holding `reuse_pid_after_code` (the sender
 * exits between SecCodeCreateWithXPCMessage and the validity check of the code object it yielded) */
static int32_t reuse_pid_after_code;

static void proc_spawn_locked(const struct identity *id) {
	for (int i = 0; i < MAX_PROCS; i++) {
		if (procs[i].alive && procs[i].id.pid == id->pid && procs[i].id.pidversion == id->pidversion) {
			return; /* the same process opened another connection */
		}
	}
	int slot = -1;
	for (int i = 0; i < MAX_PROCS; i++) {
		if (procs[i].alive && procs[i].id.pid == id->pid) {
			procs[i].alive = 0; /* the previous holder of the pid exited */
		}
		if (slot < 0 && !procs[i].alive) {
			slot = i;
		}
	}
	if (slot < 0) {
		slot = procs_next++ % MAX_PROCS;
	}
	procs[slot].id = *id;
	procs[slot].alive = 1;
}

static const struct identity *proc_by_token_locked(const uint32_t *t) {
	for (int i = 0; i < MAX_PROCS; i++) {
		if (procs[i].alive && (uint32_t) procs[i].id.pid == t[5] && (uint32_t) procs[i].id.pidversion == t[7]) {
			return &procs[i].id;
		}
	}
	return NULL;
}

static const struct identity *proc_by_pid_locked(int32_t pid) {
	for (int i = 0; i < MAX_PROCS; i++) {
		if (procs[i].alive && procs[i].id.pid == pid) {
			return &procs[i].id;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------------------------------------ queues */

typedef struct event {
	struct event *next;
	xobj *obj;                               /* retained; NULL = finalization marker */
	void (^reply_handler)(xpc_object_t);     /* copied; for replies */
	void (^barrier)(void);                   /* copied; a send barrier run on the connection's queue */
	int port;                                /* came through the receiver's Mach port (counts against its limit) */
	struct conn *to;                         /* in a send queue: the receiving connection (retained) */
} event;

/*
 * Mach's default port queue limit (MACH_PORT_QLIMIT_DEFAULT): a receiving connection holds at most this many
 * messages its queue has not dequeued yet; further messages wait in the sender's libxpc send queue.
 */
#define PORT_QLIMIT 5

enum { INACTIVE, ACTIVE, CANCELLED, FINAL };
enum { K_LISTENER, K_CLIENT, K_PEER };
enum { R_NONE, R_CODESIGN, R_LWCR, R_TEAM, R_PLATFORM, R_ENT_EXISTS, R_ENT_VALUE, R_OBJECT };

struct conn {
	xobj h;
	int kind;
	char *name;
	void (^handler)(xpc_object_t);
	int state;
	int suspended;
	int requirement_setters;
	int req_kind;
	char *req_text;
	xobj *req_obj;
	int privileged;         /* client created with XPC_CONNECTION_MACH_SERVICE_PRIVILEGED */
	struct conn *other;     /* client <-> server peer (weak, cleared under the lock at finalization) */
	struct identity peer;   /* server side: the client's identity; client side: what it connects as */
	void *context;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	event *head, *tail;
	int thread_started;
	int final_queued;
	int dead;
	struct pending *pendings; /* client side: replies awaited */
	/* under send_mu: */
	int port_count;           /* messages in this connection's Mach port (its queue, not yet dequeued) */
	event *out_head, *out_tail; /* the send queue: messages waiting for room in the peer's port, and barriers */
	int send_closed;          /* finalized: barriers run at once, nothing more is queued */
	int anonymous;            /* listener made by xpc_connection_create(NULL, ...): no launchd name */
	struct conn *target;      /* client made from an endpoint: the anonymous listener it reaches (retained) */
};

struct pending {
	struct pending *next;
	struct conn *client;                     /* retained */
	void (^handler)(xpc_object_t);           /* copied; NULL once answered */
	int obj_ref;                             /* a request or reply object points at it */
	int done;                                /* answered */
};

static pthread_mutex_t global_mu = PTHREAD_MUTEX_INITIALIZER;

/* send queues and port counts; taken before any connection's mu, never while holding global_mu */
static pthread_mutex_t send_mu = PTHREAD_MUTEX_INITIALIZER;

typedef struct service {
	struct service *next;
	char *name;
	struct conn *listener; /* weak */
	int system_domain;     /* declared by a LaunchDaemon: found by PRIVILEGED lookups */
} service;
static service *services;

static service *find_service(const char *name) {
	for (service *s = services; s; s = s->next) {
		if (strcmp(s->name, name) == 0) {
			return s;
		}
	}
	return NULL;
}

static void *conn_thread(void *arg);

static void answer(struct pending *p, xobj *obj);

static void run_barrier(void (^barrier)(void)) {
	barrier();
	Block_release(barrier);
	DEC(live_blocks);
}

static void *late_barrier_thread(void *arg) {
	event *e = arg;
	run_barrier(e->barrier);
	free(e);
	return NULL;
}

/* a barrier of a finalized connection: libxpc still runs it, asynchronously */
static void run_barrier_later(event *e) {
	pthread_t t;
	pthread_create(&t, NULL, late_barrier_thread, e);
	pthread_detach(t);
}

static void discard(event *e) {
	if (e->barrier) {
		/* a barrier is never dropped: it runs once nothing sent before it is waiting any more */
		run_barrier(e->barrier);
		e->barrier = NULL;
	}
	if (e->to) {
		i_xpc_release((xobj *) e->to);
	}
	if (e->obj && e->obj->type == &_xpc_type_dictionary && e->obj->pending && !e->reply_handler) {
		/* a request that will never be delivered: its sender learns the connection was interrupted */
		struct pending *p = e->obj->pending;
		e->obj->pending = NULL;
		answer(p, &_xpc_error_connection_interrupted);
	}
	if (e->reply_handler) {
		Block_release(e->reply_handler);
		DEC(live_blocks);
	}
	if (e->obj) {
		i_xpc_release(e->obj);
	}
	free(e);
}

struct late_reply {
	void (^handler)(xpc_object_t);
};

static void *late_reply_thread(void *arg) {
	struct late_reply *late = arg;
	late->handler(&_xpc_error_connection_invalid);
	Block_release(late->handler);
	DEC(live_blocks);
	free(late);
	return NULL;
}

static void enqueue_event(struct conn *c, event *e) {
	void (^reply_handler)(xpc_object_t) = e->reply_handler;
	pthread_mutex_lock(&c->mu);
	if (c->dead) {
		if (e->barrier) {
			pthread_mutex_unlock(&c->mu);
			run_barrier_later(e);
			return;
		}
		/* the connection was finalized: nothing will ever be delivered on it, but libxpc still calls a reply
		 * handler, with XPC_ERROR_CONNECTION_INVALID, on another thread */
		pthread_mutex_unlock(&c->mu);
		if (reply_handler) {
			struct late_reply *late = calloc(1, sizeof(struct late_reply));
			late->handler = reply_handler;
			e->reply_handler = NULL;
			pthread_t t;
			pthread_create(&t, NULL, late_reply_thread, late);
			pthread_detach(t);
		}
		discard(e);
		return;
	}
	if (c->tail) {
		c->tail->next = e;
	}
	else {
		c->head = e;
	}
	c->tail = e;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

static void enqueue(struct conn *c, xobj *obj, void (^reply_handler)(xpc_object_t), void *unused) {
	(void) unused;
	event *e = calloc(1, sizeof(event));
	e->obj = obj;
	e->reply_handler = reply_handler;
	enqueue_event(c, e);
}

/*
 * Moves what the sender's send queue holds into the receivers' ports, in order, while they have room: a message
 * waits while its receiver's port is full (unless the receiver is being finalized, which drops it); a barrier
 * leaves the queue once everything sent before it has, and is then run on the sender's queue.
 */
static void pump(struct conn *from) {
	pthread_mutex_lock(&send_mu);
	for (;;) {
		event *e = from->out_head;
		if (!e) {
			break;
		}
		if (!e->barrier) {
			struct conn *to = e->to;
			if (to->port_count >= PORT_QLIMIT && !__atomic_load_n(&to->final_queued, __ATOMIC_SEQ_CST)) {
				break;
			}
			to->port_count++;
		}
		from->out_head = e->next;
		if (!from->out_head) {
			from->out_tail = NULL;
		}
		e->next = NULL;
		/* still under send_mu, so that two pumps of one sender cannot reorder its messages */
		if (e->barrier) {
			enqueue_event(from, e);
		}
		else {
			struct conn *to = e->to;
			e->to = NULL;
			enqueue_event(to, e);
			i_xpc_release((xobj *) to);
		}
	}
	pthread_mutex_unlock(&send_mu);
}

/*
 * A message that will never leave the send queue: dropped; a reply's requester still learns of it (its reply
 * handler gets XPC_ERROR_CONNECTION_INTERRUPTED), as every reply handler is called once.
 */
static void drop_unsent(event *e) {
	if (e->reply_handler && e->to) {
		struct conn *to = e->to;
		e->to = NULL;
		i_xpc_release(e->obj);
		e->obj = &_xpc_error_connection_interrupted;
		e->port = 0;
		enqueue_event(to, e);
		i_xpc_release((xobj *) to);
		return;
	}
	discard(e);
}

/* appends to the sender's send queue (a barrier, or a message with e->to retained) and moves what can move */
static void send_queue(struct conn *from, event *e) {
	pthread_mutex_lock(&send_mu);
	if (from->send_closed) {
		pthread_mutex_unlock(&send_mu);
		if (e->barrier) {
			run_barrier_later(e);
		}
		else {
			drop_unsent(e);
		}
		return;
	}
	if (from->out_tail) {
		from->out_tail->next = e;
	}
	else {
		from->out_head = e;
	}
	from->out_tail = e;
	pthread_mutex_unlock(&send_mu);
	pump(from);
}

/* the connection's counterpart, whose send queue feeds this connection's port (retained), or NULL */
static struct conn *feeder(struct conn *c) {
	pthread_mutex_lock(&global_mu);
	struct conn *other = c->other;
	if (other) {
		i_xpc_retain((xobj *) other);
	}
	pthread_mutex_unlock(&global_mu);
	return other;
}

/* a message left this connection's port: its sender may move queued messages in */
static void dequeued_from_port(struct conn *c) {
	pthread_mutex_lock(&send_mu);
	c->port_count--;
	pthread_mutex_unlock(&send_mu);
	struct conn *other = feeder(c);
	if (other) {
		pump(other);
		i_xpc_release((xobj *) other);
	}
}

/*
 * The sender is finalized: libxpc drops the messages it never sent, and runs the barriers (here, on the
 * connection's own thread, in order).
 */
static void close_send_queue(struct conn *c) {
	pthread_mutex_lock(&send_mu);
	c->send_closed = 1;
	event *e = c->out_head;
	c->out_head = c->out_tail = NULL;
	pthread_mutex_unlock(&send_mu);
	while (e) {
		event *next = e->next;
		e->next = NULL;
		drop_unsent(e);
		e = next;
	}
}

static void start_thread(struct conn *c) {
	pthread_mutex_lock(&c->mu);
	if (!c->thread_started) {
		c->thread_started = 1;
		i_xpc_retain((xobj *) c); /* the delivery thread keeps the connection alive until finalization */
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_create(&t, &attr, conn_thread, c);
		pthread_attr_destroy(&attr);
	}
	pthread_mutex_unlock(&c->mu);
}

static void queue_final(struct conn *c) {
	pthread_mutex_lock(&c->mu);
	int already = c->final_queued;
	c->final_queued = 1;
	pthread_mutex_unlock(&c->mu);
	if (!already) {
		enqueue(c, NULL, NULL, NULL);
	}
}

static void pending_free(struct pending *p) {
	if (p->handler) {
		Block_release(p->handler);
		DEC(live_blocks);
	}
	i_xpc_release((xobj *) p->client);
	free(p);
}

/* takes the pending's handler (NULL when already answered) and unlinks it; caller holds global_mu */
static void (^answer_locked(struct pending *p))(xpc_object_t) {
	void (^h)(xpc_object_t) = p->handler;
	p->handler = NULL;
	if (!p->done) {
		p->done = 1;
		struct pending **pp = &p->client->pendings;
		while (*pp && *pp != p) {
			pp = &(*pp)->next;
		}
		if (*pp == p) {
			*pp = p->next;
		}
	}
	return h;
}

/* answers a pending request whose object reference is being given up, with obj (retained or global) */
static void answer(struct pending *p, xobj *obj) {
	pthread_mutex_lock(&global_mu);
	void (^h)(xpc_object_t) = answer_locked(p);
	p->obj_ref = 0;
	pthread_mutex_unlock(&global_mu);
	if (h) {
		enqueue(p->client, obj, h, NULL);
	}
	else if (obj) {
		i_xpc_release(obj);
	}
	pending_free(p);
}

static void fail_pendings(struct conn *c, xobj *error) {
	for (;;) {
		pthread_mutex_lock(&global_mu);
		struct pending *p = c->pendings;
		void (^h)(xpc_object_t) = NULL;
		int free_now = 0;
		if (p) {
			h = answer_locked(p);
			free_now = !p->obj_ref;
		}
		pthread_mutex_unlock(&global_mu);
		if (!p) {
			return;
		}
		if (h) {
			enqueue(c, error, h, NULL);
		}
		if (free_now) {
			pending_free(p);
		}
	}
}

/* a request or reply object carrying a pending context died */
static void pending_dropped(struct pending *p) {
	pthread_mutex_lock(&global_mu);
	p->obj_ref = 0;
	int free_now = p->done;
	pthread_mutex_unlock(&global_mu);
	/* not answered yet: like libxpc the client keeps waiting until its connection dies */
	if (free_now) {
		pending_free(p);
	}
}

static void deliver(struct conn *c, event *e) {
	if (e->barrier) {
		run_barrier(e->barrier);
		free(e);
		return;
	}
	xobj *o = e->obj;
	if (c->kind == K_PEER && o && o->type == &_xpc_type_dictionary && !e->reply_handler) {
		pthread_mutex_lock(&global_mu);
		if (reuse_pid != 0 && c->peer.pid == reuse_pid) {
			proc_spawn_locked(&reuse_successor);
			reuse_pid = 0;
		}
		pthread_mutex_unlock(&global_mu);
	}
	if (c->kind == K_PEER && o && o->type == &_xpc_type_dictionary && !e->reply_handler
			&& !check_kind(c->req_kind, c->req_text, c->req_obj, &c->peer)) {
		/* libxpc drops messages from a peer that fails the requirement set on the connection; a sender waiting
		 * for a reply gets XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT instead */
		struct pending *p = o->pending;
		o->pending = NULL;
		if (p) {
			answer(p, PEER_REQ_ERROR);
		}
		i_xpc_release(o);
		free(e);
		if (c->handler) {
			c->handler(PEER_REQ_ERROR);
		}
		return;
	}
	if (c->kind == K_CLIENT && o && o->type == &_xpc_type_dictionary && c->req_kind != R_NONE
			&& !check_kind(c->req_kind, c->req_text, c->req_obj, &service_identity)) {
		/* the service fails the requirement the client set: replies become the requirement error */
		if (e->reply_handler) {
			e->reply_handler(PEER_REQ_ERROR);
			Block_release(e->reply_handler);
			DEC(live_blocks);
		}
		else if (c->handler) {
			c->handler(PEER_REQ_ERROR);
		}
		i_xpc_release(o);
		free(e);
		return;
	}
	if (e->reply_handler) {
		e->reply_handler(e->obj);
		Block_release(e->reply_handler);
		DEC(live_blocks);
	}
	else if (c->handler) {
		c->handler(e->obj);
	}
	if (e->obj) {
		i_xpc_release(e->obj);
	}
	free(e);
}

/* the connection whose events this thread delivers */
static __thread struct conn *delivering_for;

static void *conn_thread(void *arg) {
	struct conn *c = arg;
	delivering_for = c;
	for (;;) {
		pthread_mutex_lock(&c->mu);
		while (c->head == NULL || c->suspended) {
			pthread_cond_wait(&c->cv, &c->mu);
		}
		event *e = c->head;
		c->head = e->next;
		if (!c->head) {
			c->tail = NULL;
		}
		pthread_mutex_unlock(&c->mu);
		if (e->port) {
			dequeued_from_port(c);
		}
		if (e->obj == NULL && e->reply_handler == NULL && e->barrier == NULL) {
			free(e);
			/* finalization: deliver anything left, the final INVALID, then drop the handler */
			fail_pendings(c, &_xpc_error_connection_invalid);
			close_send_queue(c);
			for (;;) {
				pthread_mutex_lock(&c->mu);
				event *rest = c->head;
				if (rest) {
					c->head = rest->next;
					if (!c->head) {
						c->tail = NULL;
					}
				}
				pthread_mutex_unlock(&c->mu);
				if (!rest) {
					break;
				}
				if (rest->obj == NULL && rest->reply_handler == NULL && rest->barrier == NULL) {
					free(rest);
					continue;
				}
				if (rest->obj && rest->obj->type == &_xpc_type_dictionary && !rest->reply_handler) {
					/* messages not yet delivered are dropped after cancel */
					discard(rest);
					continue;
				}
				deliver(c, rest);
			}
			if (c->handler) {
				c->handler(&_xpc_error_connection_invalid);
				Block_release(c->handler);
				DEC(live_blocks);
				c->handler = NULL;
			}
			pthread_mutex_lock(&global_mu);
			c->state = FINAL;
			struct conn *feeding = c->other;
			if (feeding) {
				i_xpc_retain((xobj *) feeding);
			}
			if (c->other && c->other->other == c) {
				c->other->other = NULL;
			}
			c->other = NULL;
			for (service *s = services; s; s = s->next) {
				if (s->listener == c) {
					s->listener = NULL;
				}
			}
			pthread_mutex_unlock(&global_mu);
			if (feeding) {
				/* what the counterpart still queues for this connection is dropped now, and its barriers run */
				pump(feeding);
				i_xpc_release((xobj *) feeding);
			}
			pthread_mutex_lock(&c->mu);
			c->dead = 1;
			event *late = c->head;
			c->head = c->tail = NULL;
			pthread_mutex_unlock(&c->mu);
			while (late) {
				event *next = late->next;
				if (late->reply_handler) {
					/* sent while the connection was being finalized: libxpc still calls every reply handler */
					late->reply_handler(&_xpc_error_connection_invalid);
				}
				discard(late);
				late = next;
			}
			i_xpc_release((xobj *) c); /* the thread's reference */
			return NULL;
		}
		deliver(c, e);
	}
}

static void conn_check_release(xobj *o) {
	struct conn *c = (struct conn *) o;
	if (__atomic_load_n(&o->refcnt, __ATOMIC_SEQ_CST) == 1 && c->state == INACTIVE) {
		die("releasing an inactive connection (never resumed) is a programming error in libxpc");
	}
}

static void conn_free(struct conn *c) {
	if (c->handler) {
		Block_release(c->handler);
		DEC(live_blocks);
	}
	free(c->name);
	free(c->req_text);
	if (c->target) {
		i_xpc_release((xobj *) c->target);
	}
	if (c->req_obj) {
		i_xpc_release(c->req_obj);
	}
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c);
	DEC(live_objects);
}

static struct conn *new_conn(int kind, const char *name) {
	struct conn *c = calloc(1, sizeof(struct conn));
	c->h.type = &_xpc_type_connection;
	c->h.refcnt = 1;
	c->kind = kind;
	c->name = name ? strdup(name) : NULL;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	INC(live_objects);
	return c;
}

/* ------------------------------------------------------------------------------------------------ requirements */

static const char *skip_ws(const char *p) {
	while (*p == ' ' || *p == '\t' || *p == '\n') {
		p++;
	}
	return p;
}

/* reads a quoted token, or a bare one ending before any of the stop characters, into out (length in *len);
 * returns the rest or NULL for an unterminated quote */
static const char *quoted_or_bare(const char *p, const char *stops, char *out, size_t n, size_t *len) {
	size_t i = 0;
	if (*p == '"') {
		p++;
		while (*p && *p != '"' && i + 1 < n) {
			out[i++] = *p++;
		}
		if (*p != '"') {
			return NULL;
		}
		p++;
	}
	else {
		while (*p && !strchr(stops, *p) && i + 1 < n) {
			out[i++] = *p++;
		}
	}
	out[i] = 0;
	*len = i;
	return p;
}

/* reads a quoted or bare token into out; returns the rest or NULL */
static const char *token(const char *p, char *out, size_t n) {
	size_t len;
	p = quoted_or_bare(skip_ws(p), " \t\n", out, n, &len);
	return (p && len) ? p : NULL;
}

static int starts(const char *p, const char *word) {
	return strncmp(p, word, strlen(word)) == 0;
}

static int typed_find(const char *entries, const char *name, char *type, char *text, size_t size);

/* reads the key of entitlement[...] / info[...], quoted or bare, and the closing bracket */
static const char *bracket_key(const char *p, char *out, size_t n) {
	size_t len;
	p = quoted_or_bare(p, "]", out, n, &len);
	return (p && len && *p == ']') ? p + 1 : NULL;
}

/* evaluates the tiny requirement subset; returns 1 satisfied, 0 not, -1 syntax error (msg set) */
static int eval_requirement(const char *text, const struct identity *id, char *msg, size_t msgn) {
	const char *p = skip_ws(text);
	int ok = 1;
	if (!*p) {
		snprintf(msg, msgn, "empty requirement");
		return -1;
	}
	while (*p) {
		char value[256];
		if (starts(p, "identifier")) {
			p = token(p + strlen("identifier"), value, sizeof value);
			if (!p) {
				snprintf(msg, msgn, "identifier: expected a string");
				return -1;
			}
			ok = ok && strcmp(id->identifier, value) == 0;
		}
		else if (starts(p, "anchor apple generic")) {
			p += strlen("anchor apple generic");
			ok = ok && id->valid && (id->leaf_ou[0] != 0 || id->platform);
		}
		else if (starts(p, "anchor apple")) {
			p += strlen("anchor apple");
			ok = ok && id->valid && id->platform;
		}
		else if (starts(p, "certificate leaf[subject.OU]")) {
			p = skip_ws(p + strlen("certificate leaf[subject.OU]"));
			if (*p != '=') {
				snprintf(msg, msgn, "certificate leaf[subject.OU]: expected '='");
				return -1;
			}
			p = token(p + 1, value, sizeof value);
			if (!p) {
				snprintf(msg, msgn, "certificate leaf[subject.OU]: expected a string");
				return -1;
			}
			ok = ok && strcmp(id->leaf_ou, value) == 0;
		}
		else if (starts(p, "entitlement[") || starts(p, "info[")) {
			/* string equality only: entitlement["k"] = "v", info[k] = "v" */
			int entitlement = starts(p, "entitlement[");
			char key[128], type, have[256];
			p = bracket_key(p + (entitlement ? strlen("entitlement[") : strlen("info[")), key, sizeof key);
			if (!p) {
				snprintf(msg, msgn, "expected a key and ']'");
				return -1;
			}
			p = skip_ws(p);
			if (*p != '=') {
				snprintf(msg, msgn, "%s[%s]: expected '='", entitlement ? "entitlement" : "info", key);
				return -1;
			}
			p = token(p + 1, value, sizeof value);
			if (!p) {
				snprintf(msg, msgn, "%s[%s]: expected a string", entitlement ? "entitlement" : "info", key);
				return -1;
			}
			int found = typed_find(entitlement ? id->entitlements : id->info, key, &type, have, sizeof have);
			ok = ok && found && type == 's' && strcmp(have, value) == 0;
		}
		else {
			snprintf(msg, msgn, "unexpected token at '%.20s'", p);
			return -1;
		}
		p = skip_ws(p);
		if (starts(p, "and ")) {
			p = skip_ws(p + 4);
			if (!*p) {
				snprintf(msg, msgn, "expected a clause after 'and'");
				return -1;
			}
		}
		else if (*p) {
			snprintf(msg, msgn, "expected 'and' at '%.20s'", p);
			return -1;
		}
	}
	return ok;
}

static int lwcr_fact_matches(xobj *want, const char *have_s, int64_t have_i, int is_int) {
	if (want->type == &_xpc_type_dictionary) {
		xobj *in = dict_get(want, "$in");
		if (!in || in->type != &_xpc_type_array) {
			return 0;
		}
		for (size_t i = 0; i < in->count; i++) {
			if (lwcr_fact_matches(in->values[i], have_s, have_i, is_int)) {
				return 1;
			}
		}
		return 0;
	}
	if (is_int) {
		return want->type == &_xpc_type_int64 && want->i64 == have_i;
	}
	return want->type == &_xpc_type_string && strcmp(want->str, have_s) == 0;
}

/* 1 satisfied, 0 not, -1 unsupported */
static int eval_lwcr(xobj *d, const struct identity *id, int any) {
	if (d->type != &_xpc_type_dictionary) {
		return -1;
	}
	int result = any ? 0 : 1;
	for (size_t i = 0; i < d->count; i++) {
		const char *k = d->keys[i];
		xobj *v = d->values[i];
		int r;
		if (strcmp(k, "$and") == 0) {
			r = eval_lwcr(v, id, 0);
		}
		else if (strcmp(k, "$or") == 0) {
			r = eval_lwcr(v, id, 1);
		}
		else if (strcmp(k, "team-identifier") == 0) {
			r = lwcr_fact_matches(v, id->team, 0, 0);
		}
		else if (strcmp(k, "signing-identifier") == 0) {
			r = lwcr_fact_matches(v, id->identifier, 0, 0);
		}
		else if (strcmp(k, "validation-category") == 0) {
			r = lwcr_fact_matches(v, NULL, id->category, 1);
		}
		else {
			return -1;
		}
		if (r < 0) {
			return -1;
		}
		result = any ? (result || r) : (result && r);
	}
	return result;
}

/*
 * The peer's entitlements, "name[=value],...": a bare name is the bool true; a value is typed by its prefix,
 * "b:true" / "b:false" a bool, "i:42" an int64, "s:text" (or no prefix) a string.
 * Looks the name up; returns 1 and the value's type and text when present.
 */
static int typed_find(const char *entries, const char *name, char *type, char *text, size_t size);

static int entitlement_find(const struct identity *id, const char *name, char *type, char *text, size_t size) {
	return typed_find(id->entitlements, name, type, text, size);
}

/* an entry of a typed "name[=value],..." list (entitlements, Info.plist) */
static int typed_find(const char *entries, const char *name, char *type, char *text, size_t size) {
	char copy[512];
	snprintf(copy, sizeof copy, "%s", entries);
	char *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(t, '=');
		if (eq) {
			*eq = 0;
		}
		if (strcmp(t, name) != 0) {
			continue;
		}
		const char *value = eq ? eq + 1 : "b:true";
		if (strlen(value) >= 2 && value[1] == ':' && strchr("bis", value[0])) {
			*type = value[0];
			value += 2;
		}
		else {
			*type = 's';
		}
		snprintf(text, size, "%s", value);
		return 1;
	}
	return 0;
}

/* libxpc matches entitlement values of three XPC types only (macOS 26 xpc/peer_requirement.h) */
static int entitlement_value_type_allowed(xobj *value) {
	return value && (value->type == &_xpc_type_bool || value->type == &_xpc_type_string
			|| value->type == &_xpc_type_int64);
}

/* same type and same value; a missing entitlement never matches */
static int entitlement_matches(const struct identity *id, const char *name, xobj *value) {
	char type, text[256];
	if (!entitlement_find(id, name, &type, text, sizeof text)) {
		return 0;
	}
	if (value->type == &_xpc_type_bool) {
		return type == 'b' && strcmp(text, value->b ? "true" : "false") == 0;
	}
	if (value->type == &_xpc_type_string) {
		return type == 's' && strcmp(text, value->str) == 0;
	}
	if (value->type == &_xpc_type_int64) {
		char *end = NULL;
		errno = 0;
		long long parsed = strtoll(text, &end, 10);
		return type == 'i' && errno == 0 && end != text && *end == 0 && parsed == (long long) value->i64;
	}
	return 0;
}

static int check_kind(int kind, const char *text, xobj *obj, const struct identity *id) {
	char msg[128];
	switch (kind) {
	case R_NONE:
		return 1;
	case R_CODESIGN:
		return eval_requirement(text, id, msg, sizeof msg) == 1;
	case R_LWCR:
		return eval_lwcr(obj, id, 0) == 1;
	case R_TEAM:
		return id->valid && strcmp(id->team, self_team) == 0 && (!text || strcmp(text, id->identifier) == 0);
	case R_PLATFORM:
		return id->valid && id->platform && (!text || strcmp(text, id->identifier) == 0);
	case R_ENT_EXISTS: {
		char type, value[256];
		return id->valid && entitlement_find(id, text, &type, value, sizeof value);
	}
	case R_ENT_VALUE:
		return id->valid && entitlement_matches(id, text, obj);
	case R_OBJECT:
		return check_kind(obj->req_kind, obj->req_text, obj->req_obj, id);
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------------ connections */

EXPORT struct conn *xpc_connection_create_mach_service(const char *name, void *queue, uint64_t flags) {
	API();
	(void) queue;
	struct conn *c = new_conn((flags & 1) ? K_LISTENER : K_CLIENT, name);
	if (c->kind == K_CLIENT) {
		c->privileged = (flags & 2) != 0;
		pthread_mutex_lock(&global_mu);
		c->peer = next_identity;
		pthread_mutex_unlock(&global_mu);
	}
	return c;
}

/*
 * connection.h: a NULL name creates an anonymous listener, which launchd knows nothing of; clients reach it only
 * through an endpoint made from it. A name would be an XPC service bundle's, which Peergate never uses: abort.
 */
EXPORT struct conn *xpc_connection_create(const char *name, void *targetq) {
	API();
	(void) targetq;
	if (name) {
		die("xpc_connection_create(\"%s\"): connections to XPC service bundles are not simulated", name);
	}
	struct conn *c = new_conn(K_LISTENER, NULL);
	c->anonymous = 1;
	return c;
}

/*
 * endpoint.h: XPC_RETURNS_RETAINED, XPC_NONNULL1. The real endpoint holds a send right to the listener's port; here
 * it holds the listener. Only an anonymous listener's endpoint is simulated (a Mach-service listener is found by its
 * name); anything else aborts.
 */
EXPORT xobj *xpc_endpoint_create(struct conn *c) {
	API();
	if (c->h.type != &_xpc_type_connection || c->kind != K_LISTENER || !c->anonymous) {
		die("xpc_endpoint_create: not an anonymous listener connection");
	}
	xobj *e = new_obj(&_xpc_type_endpoint);
	e->remote = (struct conn *) i_xpc_retain((xobj *) c);
	return e;
}

/* connection.h: accepted; each simulated connection delivers on its own thread (serially, as libxpc guarantees) */
EXPORT void xpc_connection_set_target_queue(struct conn *c, void *targetq) {
	API();
	(void) c;
	(void) targetq;
}

/* connection.h: a client connection (retained, inactive) to the listener the endpoint names, as whoever connects */
EXPORT struct conn *xpc_connection_create_from_endpoint(xobj *endpoint) {
	API();
	if (endpoint->type != &_xpc_type_endpoint) {
		die("xpc_connection_create_from_endpoint: not an endpoint");
	}
	struct conn *c = new_conn(K_CLIENT, NULL);
	c->target = (struct conn *) i_xpc_retain((xobj *) endpoint->remote);
	pthread_mutex_lock(&global_mu);
	c->peer = next_identity;
	pthread_mutex_unlock(&global_mu);
	return c;
}

EXPORT void xpc_connection_set_event_handler(struct conn *c, void (^handler)(xpc_object_t)) {
	API();
	void (^copy)(xpc_object_t) = Block_copy(handler);
	INC(live_blocks);
	pthread_mutex_lock(&c->mu);
	void (^old)(xpc_object_t) = c->handler;
	c->handler = copy;
	pthread_mutex_unlock(&c->mu);
	if (old) {
		Block_release(old);
		DEC(live_blocks);
	}
}

EXPORT void xpc_connection_set_context(struct conn *c, void *ctx) { API(); c->context = ctx; }
EXPORT void *xpc_connection_get_context(struct conn *c) { API(); return c->context; }
EXPORT const char *xpc_connection_get_name(struct conn *c) { API(); return c->kind == K_PEER ? NULL : c->name; }
EXPORT uint32_t xpc_connection_get_euid(struct conn *c) { API(); return c->kind == K_PEER ? c->peer.euid : (uint32_t) -1; }
EXPORT uint32_t xpc_connection_get_egid(struct conn *c) { API(); return c->kind == K_PEER ? c->peer.egid : (uint32_t) -1; }
EXPORT int32_t xpc_connection_get_pid(struct conn *c) { API(); return c->kind == K_PEER ? c->peer.pid : 0; }
EXPORT int32_t xpc_connection_get_asid(struct conn *c) { API(); return c->kind == K_PEER ? 100000 : 0; }

static void fill_token(const struct identity *id, uint32_t *t) {
	t[0] = id->euid;
	t[1] = id->euid;
	t[2] = id->egid;
	t[3] = id->euid;
	t[4] = id->egid;
	t[5] = (uint32_t) id->pid;
	t[6] = 100000;
	t[7] = (uint32_t) id->pidversion;
}

EXPORT void xpc_connection_get_audit_token(struct conn *c, uint32_t *token) {
	API();
	fill_token(&c->peer, token);
}

/* private; the token of this message's sender (not the connection's), INVALID_AUDIT_TOKEN_VALUE otherwise */
EXPORT void xpc_dictionary_get_audit_token(xpc_object_t d, uint32_t *token) {
	API();
	if (d->type == &_xpc_type_dictionary && d->has_token) {
		memcpy(token, d->token, 32);
	}
	else {
		memset(token, 0xff, 32);
	}
}

static void connect_client(struct conn *c) {
	pthread_mutex_lock(&global_mu);
	service *s = c->target ? NULL : find_service(c->name);
	/* made from an endpoint: the anonymous listener itself, no name to look up */
	struct conn *listener = c->target ? c->target : (s ? s->listener : NULL);
	/* a PRIVILEGED lookup sees only the system domain: a per-user agent cannot squat a daemon's name */
	if (s && c->privileged && !s->system_domain) {
		listener = NULL;
	}
	if (!listener || listener->state != ACTIVE) {
		pthread_mutex_unlock(&global_mu);
		/* nobody serves the name: the client's connection becomes invalid */
		queue_final(c);
		return;
	}
	struct conn *peer = new_conn(K_PEER, NULL);
	peer->peer = c->peer;
	proc_spawn_locked(&c->peer);
	peer->other = c;
	c->other = peer;
	pthread_mutex_unlock(&global_mu);
	/* the event holds the only reference to the new peer connection: the listener's handler must retain and
	 * resume it (or cancel it); otherwise the release below aborts like libxpc */
	enqueue(listener, (xobj *) peer, NULL, NULL);
}

EXPORT void xpc_connection_resume(struct conn *c) {
	API();
	pthread_mutex_lock(&global_mu);
	int was = c->state;
	if (c->state == INACTIVE) {
		c->state = ACTIVE;
	}
	pthread_mutex_unlock(&global_mu);
	if (was != INACTIVE) {
		pthread_mutex_lock(&c->mu);
		if (c->suspended > 0) {
			c->suspended--;
		}
		pthread_cond_signal(&c->cv);
		pthread_mutex_unlock(&c->mu);
		return;
	}
	start_thread(c);
	if (c->kind == K_LISTENER && !c->anonymous) {
		pthread_mutex_lock(&global_mu);
		service *s = find_service(c->name);
		if (s) {
			s->listener = c;
		}
		pthread_mutex_unlock(&global_mu);
		if (!s) {
			/* not declared in this process's launchd plist */
			queue_final(c);
		}
	}
	else if (c->kind == K_CLIENT) {
		connect_client(c);
	}
}

EXPORT void xpc_connection_activate(struct conn *c) { xpc_connection_resume(c); }

EXPORT void xpc_connection_suspend(struct conn *c) {
	API();
	pthread_mutex_lock(&c->mu);
	c->suspended++;
	pthread_mutex_unlock(&c->mu);
}

EXPORT void xpc_connection_cancel(struct conn *c) {
	API();
	pthread_mutex_lock(&global_mu);
	int was = c->state;
	if (c->state == ACTIVE || c->state == INACTIVE) {
		c->state = CANCELLED;
	}
	struct conn *other = c->other;
	if (other) {
		i_xpc_retain((xobj *) other);
	}
	pthread_mutex_unlock(&global_mu);
	if (was == INACTIVE) {
		/* cancelling an inactive connection activates it so that it can be finalized */
		start_thread(c);
	}
	if (was == ACTIVE || was == INACTIVE) {
		queue_final(c);
		if (other) {
			if (c->kind == K_PEER) {
				/* the service closed us: the client sees an interruption, then may be invalidated by its owner */
				enqueue(other, &_xpc_error_connection_interrupted, NULL, NULL);
				fail_pendings(other, &_xpc_error_connection_interrupted);
			}
			else {
				/* the client went away: the service's peer connection is finalized (one final INVALID) */
				pthread_mutex_lock(&global_mu);
				other->state = CANCELLED;
				pthread_mutex_unlock(&global_mu);
				queue_final(other);
			}
		}
	}
	if (other) {
		i_xpc_release((xobj *) other);
	}
}

/*
 * A reply sent on `from`: it travels like any message (behind the stream items sent before it, through the
 * requester's port), then runs the requester's reply handler, once.
 */
static void reply_through_send_queue(struct conn *from, struct pending *p, xobj *reply) {
	pthread_mutex_lock(&global_mu);
	void (^h)(xpc_object_t) = answer_locked(p);
	p->obj_ref = 0;
	struct conn *to = p->client;
	i_xpc_retain((xobj *) to);
	pthread_mutex_unlock(&global_mu);
	if (h) {
		event *e = calloc(1, sizeof(event));
		e->obj = reply;
		e->reply_handler = h;
		e->port = 1;
		e->to = to;
		send_queue(from, e);
	}
	else {
		i_xpc_release(reply);
		i_xpc_release((xobj *) to);
	}
	pending_free(p);
}

/* a message from `from` towards its counterpart */
static void route(struct conn *from, xobj *msg, void (^reply_handler)(xpc_object_t)) {
	if (msg->type != &_xpc_type_dictionary) {
		die("xpc_connection_send_message: message must be a dictionary");
	}
	if (msg->reply_to) {
		/* a reply to a received request: goes to the sender's reply handler, once */
		struct pending *p = msg->reply_to;
		msg->reply_to = NULL;
		reply_through_send_queue(from, p, deep_copy(msg));
		return;
	}
	struct pending *p = NULL;
	if (reply_handler) {
		p = calloc(1, sizeof(struct pending));
		p->client = from;
		p->handler = Block_copy(reply_handler);
		INC(live_blocks);
		p->obj_ref = 1;
	}
	pthread_mutex_lock(&global_mu);
	struct conn *to = from->other;
	int open = to && from->state == ACTIVE && to->state != FINAL && to->state != CANCELLED;
	if (open) {
		i_xpc_retain((xobj *) to);
		if (p) {
			/* registered under the same lock as the check, so a concurrent cancel fails it */
			i_xpc_retain((xobj *) from);
			p->next = from->pendings;
			from->pendings = p;
		}
	}
	pthread_mutex_unlock(&global_mu);
	if (!open) {
		if (p) {
			void (^h)(xpc_object_t) = p->handler;
			free(p);
			enqueue(from, from->state == ACTIVE ? &_xpc_error_connection_interrupted : &_xpc_error_connection_invalid,
					h, NULL);
		}
		return;
	}
	xobj *copy = deep_copy(msg);
	copy->remote = (struct conn *) i_xpc_retain((xobj *) to);
	if (from->kind == K_CLIENT) {
		/* the kernel stamps the sender's audit token on every message */
		fill_token(&from->peer, copy->token);
		copy->has_token = 1;
	}
	copy->pending = p;
	event *e = calloc(1, sizeof(event));
	e->obj = copy;
	e->port = 1;
	e->to = to; /* the reference taken above */
	send_queue(from, e);
}

EXPORT void xpc_connection_send_message(struct conn *c, xpc_object_t msg) { API(); route(c, msg, NULL); }

EXPORT void xpc_connection_send_message_with_reply(struct conn *c, xpc_object_t msg, void *q, void (^h)(xpc_object_t)) {
	API();
	(void) q;
	route(c, msg, h);
}

/*
 * Sends and waits for the reply, which it returns retained (the caller releases it): the reply dictionary, or an
 * error object (XPC_ERROR_CONNECTION_INTERRUPTED / _INVALID, XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT). Called
 * from the connection's own handler it would wait for itself, as the header warns; the simulator aborts instead.
 */
EXPORT xpc_object_t xpc_connection_send_message_with_reply_sync(struct conn *c, xpc_object_t msg) {
	API();
	if (delivering_for == c) {
		die("xpc_connection_send_message_with_reply_sync called on the connection's own queue (deadlock)");
	}
	__block xobj *reply = NULL;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
	pthread_mutex_t *mup = &mu;
	pthread_cond_t *cvp = &cv;
	route(c, msg, ^(xpc_object_t r) {
		pthread_mutex_lock(mup);
		reply = i_xpc_retain(r);
		pthread_cond_signal(cvp);
		pthread_mutex_unlock(mup);
	});
	pthread_mutex_lock(&mu);
	while (reply == NULL) {
		pthread_cond_wait(&cv, &mu);
	}
	pthread_mutex_unlock(&mu);
	pthread_cond_destroy(&cv);
	pthread_mutex_destroy(&mu);
	return reply;
}

/*
 * The barrier joins the send queue: it runs on the connection's queue (here its thread) once every message sent
 * before it has left the queue into the receiver's port, and also when the connection is finalized first (the
 * unsent messages are then dropped). Replies received never hold it up.
 */
EXPORT void xpc_connection_send_barrier(struct conn *c, void (^barrier)(void)) {
	API();
	event *e = calloc(1, sizeof(event));
	e->barrier = Block_copy(barrier);
	INC(live_blocks);
	send_queue(c, e);
}

EXPORT xpc_object_t xpc_dictionary_create_reply(xpc_object_t original) {
	API();
	if (original->type != &_xpc_type_dictionary || !original->pending) {
		return NULL;
	}
	xobj *r = i_xpc_dictionary_create(NULL, NULL, 0);
	r->reply_to = original->pending;
	original->pending = NULL;
	return r;
}

EXPORT struct conn *xpc_dictionary_get_remote_connection(xpc_object_t d) {
	API();
	return d->remote;
}

static void one_setter(struct conn *c, const char *fn) {
	if (c->kind != K_PEER && c->kind != K_CLIENT) {
		die("%s on a listener connection", fn);
	}
	if (c->state != INACTIVE) {
		die("%s after the connection was activated", fn);
	}
	if (++c->requirement_setters > 1) {
		die("%s: a peer requirement was already set on this connection (calling more than one setter terminates the process)", fn);
	}
}

#ifndef XPCSIM_LEGACY
EXPORT int xpc_connection_set_peer_code_signing_requirement(struct conn *c, const char *requirement) {
	API();
	require_version(__func__, 12, 0);
	one_setter(c, __func__);
	char msg[128];
	if (eval_requirement(requirement, &c->peer, msg, sizeof msg) < 0) {
		return 22;
	}
	c->req_kind = R_CODESIGN;
	c->req_text = strdup(requirement);
	return 0;
}

EXPORT int xpc_connection_set_peer_lightweight_code_requirement(struct conn *c, xpc_object_t lwcr) {
	API();
	require_version(__func__, 14, 4);
	one_setter(c, __func__);
	if (eval_lwcr(lwcr, &c->peer, 0) < 0) {
		return 22;
	}
	c->req_kind = R_LWCR;
	c->req_obj = i_xpc_retain(lwcr);
	return 0;
}

EXPORT int xpc_connection_set_peer_team_identity_requirement(struct conn *c, const char *signing_identifier) {
	API();
	require_version(__func__, 14, 4);
	one_setter(c, __func__);
	c->req_kind = R_TEAM;
	c->req_text = signing_identifier ? strdup(signing_identifier) : NULL;
	return 0;
}

EXPORT int xpc_connection_set_peer_platform_identity_requirement(struct conn *c, const char *signing_identifier) {
	API();
	require_version(__func__, 14, 4);
	one_setter(c, __func__);
	c->req_kind = R_PLATFORM;
	c->req_text = signing_identifier ? strdup(signing_identifier) : NULL;
	return 0;
}

EXPORT int xpc_connection_set_peer_entitlement_exists_requirement(struct conn *c, const char *entitlement) {
	API();
	require_version(__func__, 14, 4);
	one_setter(c, __func__);
	c->req_kind = R_ENT_EXISTS;
	c->req_text = strdup(entitlement);
	return 0;
}

EXPORT int xpc_connection_set_peer_entitlement_matches_value_requirement(struct conn *c, const char *entitlement, xpc_object_t value) {
	API();
	require_version(__func__, 14, 4);
	one_setter(c, __func__);
	if (!entitlement_value_type_allowed(value)) {
		return 22; /* EINVAL: the requirement cannot be built from this value */
	}
	c->req_kind = R_ENT_VALUE;
	c->req_text = strdup(entitlement);
	c->req_obj = i_xpc_retain(value);
	return 0;
}

/* macOS 26 */
static xobj *new_requirement(int kind, const char *text, xobj *obj) {
	xobj *r = new_obj(&type_peer_requirement);
	r->req_kind = kind;
	r->req_text = text ? strdup(text) : NULL;
	r->req_obj = obj ? i_xpc_retain(obj) : NULL;
	return r;
}

static xobj *rich_error(const char *text) {
	xobj *e = new_obj(&_xpc_type_rich_error);
	e->str = strdup(text);
	return e;
}

EXPORT xpc_object_t xpc_peer_requirement_create_lwcr(xpc_object_t lwcr, xpc_object_t *error_out) {
	API();
	require_version(__func__, 26, 0);
	if (eval_lwcr(lwcr, &next_identity, 0) < 0) {
		if (error_out) {
			*error_out = rich_error("Unsupported or malformed lightweight code requirement");
		}
		return NULL;
	}
	return new_requirement(R_LWCR, NULL, lwcr);
}

EXPORT xpc_object_t xpc_peer_requirement_create_team_identity(const char *signing_identifier, xpc_object_t *error_out) {
	API();
	require_version(__func__, 26, 0);
	(void) error_out;
	return new_requirement(R_TEAM, signing_identifier, NULL);
}

EXPORT xpc_object_t xpc_peer_requirement_create_platform_identity(const char *signing_identifier, xpc_object_t *error_out) {
	API();
	require_version(__func__, 26, 0);
	(void) error_out;
	return new_requirement(R_PLATFORM, signing_identifier, NULL);
}

EXPORT xpc_object_t xpc_peer_requirement_create_entitlement_exists(const char *entitlement, xpc_object_t *error_out) {
	API();
	require_version(__func__, 26, 0);
	(void) error_out;
	return new_requirement(R_ENT_EXISTS, entitlement, NULL);
}

EXPORT xpc_object_t xpc_peer_requirement_create_entitlement_matches_value(const char *entitlement, xpc_object_t value, xpc_object_t *error_out) {
	API();
	require_version(__func__, 26, 0);
	if (!entitlement_value_type_allowed(value)) {
		if (error_out) {
			*error_out = rich_error("Entitlement value must be a bool, string or int64");
		}
		return NULL;
	}
	return new_requirement(R_ENT_VALUE, entitlement, value);
}

EXPORT bool xpc_peer_requirement_match_received_message(xpc_object_t req, xpc_object_t message, xpc_object_t *error_out) {
	API();
	require_version(__func__, 26, 0);
	if (req->type != &type_peer_requirement || message->type != &_xpc_type_dictionary || !message->remote) {
		if (error_out) {
			*error_out = rich_error("Message was not received from a peer connection");
		}
		return false;
	}
	const struct identity *id = &message->remote->peer;
	if (check_kind(req->req_kind, req->req_text, req->req_obj, id)) {
		return true;
	}
	if (error_out) {
		char text[512];
		snprintf(text, sizeof text, "Peer (signing identifier %s, team %s) does not satisfy the peer requirement",
				id->identifier, id->team[0] ? id->team : "none");
		*error_out = rich_error(text);
	}
	return false;
}

/*
 * void, as the macOS 26 header declares it: there is no result to read. A binding that expects an int reads
 * whatever the return register holds (here the last call's value, the retained requirement's address).
 */
EXPORT void xpc_connection_set_peer_requirement(struct conn *c, xpc_object_t req) {
	API();
	require_version(__func__, 26, 0);
	one_setter(c, __func__);
	c->req_kind = R_OBJECT;
	c->req_obj = i_xpc_retain(req);
}

/* whether xpc_rich_error_copy_description can describe an error (xpcsim_rich_error_descriptions) */
static int rich_error_descriptions = 1;

/* char * _Nullable: NULL when libxpc cannot generate a description; otherwise malloc'd, the caller frees it */
EXPORT char *xpc_rich_error_copy_description(xpc_object_t e) {
	API();
	if (!__atomic_load_n(&rich_error_descriptions, __ATOMIC_SEQ_CST)) {
		return NULL;
	}
	return strdup(e->str ? e->str : "");
}

EXPORT bool xpc_rich_error_can_retry(xpc_object_t e) {
	API();
	(void) e;
	return false;
}
#endif

/* ------------------------------------------------------------------------------------------------ dispatch */

typedef struct queue {
	int refcnt;
	char label[64];
} queue;

EXPORT queue *dispatch_queue_create(const char *label, void *attr) {
	API();
	(void) attr;
	queue *q = calloc(1, sizeof(queue));
	q->refcnt = 1;
	snprintf(q->label, sizeof q->label, "%s", label ? label : "");
	INC(live_queues);
	return q;
}

EXPORT void dispatch_retain(queue *q) { API(); __atomic_add_fetch(&q->refcnt, 1, __ATOMIC_SEQ_CST); }

EXPORT void dispatch_release(queue *q) {
	API();
	if (__atomic_sub_fetch(&q->refcnt, 1, __ATOMIC_SEQ_CST) == 0) {
		free(q);
		DEC(live_queues);
	}
}

EXPORT const char *dispatch_queue_get_label(queue *q) { API(); return q ? q->label : ""; }

/* ------------------------------------------------------------------------------------------------ libSystem */

EXPORT int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen) {
	API();
	(void) newp;
	(void) newlen;
	if (strcmp(name, "kern.osproductversion") != 0) {
		return -1;
	}
	size_t need = strlen(os_version) + 1;
	if (oldp == NULL) {
		*oldlenp = need;
		return 0;
	}
	if (*oldlenp < need) {
		return -1;
	}
	memcpy(oldp, os_version, need);
	*oldlenp = need;
	return 0;
}

/* ------------------------------------------------------------------------------------------------ CoreFoundation */

enum { CF_STRING = 7, CF_ERROR = 30, CF_DICT = 18, CF_ARRAY = 19, CF_DATA = 20, CF_BOOLEAN = 21, CF_NUMBER = 22,
	CF_CODE = 100, CF_REQ = 101, CF_CERT = 102 };

typedef struct cfobj {
	long typeid;
	int refcnt;
	int global;
	char *str;
	unsigned char *bytes;
	long len;
	long code;
	int64_t number;
	struct cfobj **keys, **values;
	long count;
	struct identity id;
	int guest; /* code of a running process located by audit token or pid: valid while that (pid, pidversion) runs */
} cfobj;

static cfobj *cf_new(long type) {
	cfobj *o = calloc(1, sizeof(cfobj));
	o->typeid = type;
	o->refcnt = 1;
	INC(live_cf);
	return o;
}

static cfobj *cf_string(const char *s) {
	cfobj *o = cf_new(CF_STRING);
	o->str = strdup(s);
	return o;
}

EXPORT void CFRelease(const void *p) {
	API();
	cfobj *o = (cfobj *) p;
	if (!o) {
		die("CFRelease(NULL)");
	}
	if (o->global) {
		return;
	}
	int n = __atomic_sub_fetch(&o->refcnt, 1, __ATOMIC_SEQ_CST);
	if (n < 0) {
		die("CF over-release");
	}
	if (n > 0) {
		return;
	}
	for (long i = 0; i < o->count; i++) {
		if (o->keys) { /* arrays have values only */
			CFRelease(o->keys[i]);
		}
		CFRelease(o->values[i]);
	}
	free(o->keys);
	free(o->values);
	free(o->str);
	free(o->bytes);
	free(o);
	DEC(live_cf);
}

EXPORT const void *CFRetain(const void *p) {
	API();
	cfobj *o = (cfobj *) p;
	if (!o->global) {
		__atomic_add_fetch(&o->refcnt, 1, __ATOMIC_SEQ_CST);
	}
	return p;
}

EXPORT unsigned long CFGetTypeID(const void *p) { API(); return ((cfobj *) p)->typeid; }
EXPORT unsigned long CFStringGetTypeID(void) { API(); return CF_STRING; }
EXPORT unsigned long CFDataGetTypeID(void) { API(); return CF_DATA; }
EXPORT unsigned long CFNumberGetTypeID(void) { API(); return CF_NUMBER; }
EXPORT unsigned long CFDictionaryGetTypeID(void) { API(); return CF_DICT; }
EXPORT unsigned long CFArrayGetTypeID(void) { API(); return CF_ARRAY; }
EXPORT unsigned long CFBooleanGetTypeID(void) { API(); return CF_BOOLEAN; }

/* the two CFBoolean singletons: never counted, never freed, as in CoreFoundation */
static cfobj cf_true_obj = {.typeid = CF_BOOLEAN, .refcnt = 1, .global = 1, .number = 1};
static cfobj cf_false_obj = {.typeid = CF_BOOLEAN, .refcnt = 1, .global = 1, .number = 0};
EXPORT const void *const kCFBooleanTrue = &cf_true_obj;
EXPORT const void *const kCFBooleanFalse = &cf_false_obj;

EXPORT unsigned char CFBooleanGetValue(const void *p) {
	API();
	cfobj *b = (cfobj *) p;
	if (b->typeid != CF_BOOLEAN) {
		die("CFBooleanGetValue: not a CFBoolean");
	}
	return b->number != 0;
}

EXPORT long CFArrayGetCount(const void *p) {
	API();
	cfobj *a = (cfobj *) p;
	if (a->typeid != CF_ARRAY) {
		die("CFArrayGetCount: not a CFArray");
	}
	return a->count;
}

/* Get rule: the element is borrowed */
EXPORT const void *CFArrayGetValueAtIndex(const void *p, long index) {
	API();
	cfobj *a = (cfobj *) p;
	if (a->typeid != CF_ARRAY || index < 0 || index >= a->count) {
		die("CFArrayGetValueAtIndex: index %ld out of bounds", index);
	}
	return a->values[index];
}

EXPORT long CFDictionaryGetCount(const void *p) {
	API();
	cfobj *d = (cfobj *) p;
	if (d->typeid != CF_DICT) {
		die("CFDictionaryGetCount: not a CFDictionary");
	}
	return d->count;
}

/* Get rule: keys and values are borrowed; either buffer may be NULL */
EXPORT void CFDictionaryGetKeysAndValues(const void *p, const void **keys, const void **values) {
	API();
	cfobj *d = (cfobj *) p;
	if (d->typeid != CF_DICT) {
		die("CFDictionaryGetKeysAndValues: not a CFDictionary");
	}
	for (long i = 0; i < d->count; i++) {
		if (keys) {
			keys[i] = d->keys[i];
		}
		if (values) {
			values[i] = d->values[i];
		}
	}
}

EXPORT const void *CFStringCreateWithCString(const void *alloc, const char *s, uint32_t encoding) {
	API();
	(void) alloc;
	(void) encoding;
	return cf_string(s);
}

EXPORT long CFStringGetLength(const void *p) { API(); return (long) strlen(((cfobj *) p)->str); }
EXPORT long CFStringGetMaximumSizeForEncoding(long length, uint32_t encoding) { API(); (void) encoding; return length * 3; }

EXPORT unsigned char CFStringGetCString(const void *p, char *buffer, long size, uint32_t encoding) {
	API();
	(void) encoding;
	const char *s = ((cfobj *) p)->str;
	if ((long) strlen(s) + 1 > size) {
		return 0;
	}
	strcpy(buffer, s);
	return 1;
}

EXPORT const void *CFErrorCopyDescription(const void *err) {
	API();
	cfobj *e = (cfobj *) err;
	return cf_string(e->str);
}

EXPORT long CFErrorGetCode(const void *err) { API(); return ((cfobj *) err)->code; }

EXPORT long CFDataGetLength(const void *p) { API(); return ((cfobj *) p)->len; }
EXPORT const unsigned char *CFDataGetBytePtr(const void *p) { API(); return ((cfobj *) p)->bytes; }

EXPORT unsigned char CFNumberGetValue(const void *p, long type, void *out) {
	API();
	cfobj *n = (cfobj *) p;
	if (type == 3 || type == 9) {
		*(int32_t *) out = (int32_t) n->number;
	}
	else {
		*(int64_t *) out = n->number;
	}
	return 1;
}

EXPORT const void *CFDictionaryGetValue(const void *d, const void *key) {
	API();
	cfobj *dict = (cfobj *) d;
	const char *k = ((cfobj *) key)->str;
	for (long i = 0; i < dict->count; i++) {
		if (strcmp(dict->keys[i]->str, k) == 0) {
			return dict->values[i];
		}
	}
	return NULL;
}

EXPORT const void *CFDataCreate(const void *alloc, const unsigned char *bytes, long length) {
	API();
	(void) alloc;
	cfobj *o = cf_new(CF_DATA);
	o->bytes = malloc(length > 0 ? (size_t) length : 1);
	if (length > 0) {
		memcpy(o->bytes, bytes, (size_t) length);
	}
	o->len = length;
	return o;
}

EXPORT const void *CFNumberCreate(const void *alloc, long type, const void *value) {
	API();
	(void) alloc;
	cfobj *o = cf_new(CF_NUMBER);
	if (type == 3 || type == 9) { /* kCFNumberSInt32Type, kCFNumberIntType */
		o->number = *(const int32_t *) value;
	}
	else if (type == 4 || type == 11) { /* kCFNumberSInt64Type, kCFNumberLongLongType */
		o->number = *(const int64_t *) value;
	}
	else {
		die("CFNumberCreate: number type %ld is not simulated", type);
	}
	return o;
}

/* the callback structs are passed by address; only kCFType callbacks (retain keys and values) are simulated */
EXPORT const struct { long version; void *retain, *release, *copy_description, *equal, *hash; }
	kCFTypeDictionaryKeyCallBacks = {0, 0, 0, 0, 0, 0};
EXPORT const struct { long version; void *retain, *release, *copy_description, *equal; }
	kCFTypeDictionaryValueCallBacks = {0, 0, 0, 0, 0};

EXPORT const void *CFDictionaryCreate(const void *alloc, const void **keys, const void **values, long count,
		const void *key_callbacks, const void *value_callbacks) {
	API();
	(void) alloc;
	if (key_callbacks != (const void *) &kCFTypeDictionaryKeyCallBacks
			|| value_callbacks != (const void *) &kCFTypeDictionaryValueCallBacks) {
		die("CFDictionaryCreate: pass &kCFTypeDictionaryKeyCallBacks and &kCFTypeDictionaryValueCallBacks");
	}
	cfobj *d = cf_new(CF_DICT);
	d->keys = calloc(count > 0 ? (size_t) count : 1, sizeof(cfobj *));
	d->values = calloc(count > 0 ? (size_t) count : 1, sizeof(cfobj *));
	for (long i = 0; i < count; i++) {
		d->keys[i] = (cfobj *) CFRetain(keys[i]);
		d->values[i] = (cfobj *) CFRetain(values[i]);
	}
	d->count = count;
	return d;
}

static void cf_dict_put(cfobj *d, const char *key, cfobj *value) {
	d->keys = realloc(d->keys, (d->count + 1) * sizeof(cfobj *));
	d->values = realloc(d->values, (d->count + 1) * sizeof(cfobj *));
	d->keys[d->count] = cf_string(key);
	d->values[d->count] = value;
	d->count++;
}

/* "name[=value],..." as a CFDictionary: a bare name is true; "b:true"/"b:false" a CFBoolean, "i:42" a CFNumber,
   "s:text" (or no prefix) a CFString -- the format of the simulated entitlements and Info.plist */
static cfobj *cf_typed_dict(const char *entries) {
	cfobj *d = cf_new(CF_DICT);
	char copy[512];
	snprintf(copy, sizeof copy, "%s", entries);
	char *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(t, '=');
		const char *value = "b:true";
		if (eq) {
			*eq = 0;
			value = eq + 1;
		}
		cfobj *v;
		if (strncmp(value, "b:", 2) == 0) {
			v = strcmp(value + 2, "true") == 0 ? &cf_true_obj : &cf_false_obj;
		}
		else if (strncmp(value, "i:", 2) == 0) {
			v = cf_new(CF_NUMBER);
			v->number = strtoll(value + 2, NULL, 10);
		}
		else {
			v = cf_string(strncmp(value, "s:", 2) == 0 ? value + 2 : value);
		}
		cf_dict_put(d, t, v);
	}
	return d;
}

/* the chain as a CFArray of certificate objects, each holding its DER bytes */
static cfobj *cf_certificates(const struct identity *id) {
	cfobj *a = cf_new(CF_ARRAY);
	a->values = calloc((size_t) id->cert_count + 1, sizeof(cfobj *));
	long offset = 0;
	for (int i = 0; i < id->cert_count; i++) {
		cfobj *cert = cf_new(CF_CERT);
		cert->bytes = malloc((size_t) id->cert_lens[i]);
		memcpy(cert->bytes, id->certs + offset, (size_t) id->cert_lens[i]);
		cert->len = id->cert_lens[i];
		offset += id->cert_lens[i];
		a->values[a->count++] = cert;
	}
	return a;
}

/* ------------------------------------------------------------------------------------------------ Security */

#define CFCONST(sym, text) static cfobj sym##_obj = {.typeid = CF_STRING, .refcnt = 1, .global = 1, .str = (char *) text}; EXPORT const void *const sym = &sym##_obj;
CFCONST(kSecCodeInfoIdentifier, "identifier")
CFCONST(kSecCodeInfoTeamIdentifier, "teamid")
CFCONST(kSecCodeInfoUnique, "unique")
CFCONST(kSecCodeInfoFlags, "flags")
CFCONST(kSecCodeInfoPlatformIdentifier, "platform-identifier")
CFCONST(kSecCodeInfoCertificates, "certificates")
CFCONST(kSecCodeInfoEntitlementsDict, "entitlements-dict")
CFCONST(kSecCodeInfoPList, "info-plist")
CFCONST(kSecGuestAttributeAudit, "audit")
CFCONST(kSecGuestAttributePid, "pid")

/* xpcsim_reuse_pid_after_next_code_lookup: the located process exits and the successor takes its pid */
static void after_guest_located(int32_t pid) {
	pthread_mutex_lock(&global_mu);
	if (reuse_pid_after_code != 0 && reuse_pid_after_code == pid) {
		proc_spawn_locked(&reuse_successor);
		reuse_pid_after_code = 0;
	}
	pthread_mutex_unlock(&global_mu);
}

static cfobj *cf_error(long code, const char *text) {
	cfobj *e = cf_new(CF_ERROR);
	e->code = code;
	e->str = strdup(text);
	return e;
}

/* the code object of a running process, valid while it runs */
static int new_guest(const struct identity *found, const void **guest) {
	cfobj *code = cf_new(CF_CODE);
	code->id = *found;
	code->guest = 1;
	after_guest_located(found->pid);
	*guest = code;
	return 0;
}

#ifndef XPCSIM_CATALINA
/* a new code object for the running process the audit token names; errSecCSNoSuchCode when none does */
static int guest_by_token(const uint32_t *t, const void **guest) {
	pthread_mutex_lock(&global_mu);
	const struct identity *id = proc_by_token_locked(t);
	struct identity found;
	if (id) {
		found = *id;
	}
	pthread_mutex_unlock(&global_mu);
	return id ? new_guest(&found, guest) : -67065; /* errSecCSNoSuchCode */
}

EXPORT int SecCodeCreateWithXPCMessage(xpc_object_t message, uint32_t flags, const void **target) {
	API();
	require_version(__func__, 11, 0);
	if (flags != 0) {
		return -67070; /* errSecCSInvalidFlags */
	}
	if (message->type != &_xpc_type_dictionary || !message->remote) {
		return -67071; /* errSecCSInvalidObjectRef */
	}
	/* the sender's audit token as the kernel stamped it at send time (a message the service sent carries none:
	 * the connection's) locates the process; a pid since reused has another pidversion and does not resolve */
	uint32_t t[8];
	if (message->has_token) {
		memcpy(t, message->token, sizeof t);
	}
	else {
		fill_token(&message->remote->peer, t);
	}
	return guest_by_token(t, target);
}
#endif

/*
 * The root of trust (host NULL) locating a running process by {kSecGuestAttributeAudit: CFData(audit_token_t)}
 * or {kSecGuestAttributePid: CFNumber}. The key must be the exported constant itself (Security compares CFStrings
 * by value, the simulator by identity, to prove the binding reads the symbol). A token whose pid has since been
 * reused (other pidversion) or a pid nobody holds: errSecCSNoSuchCode.
 */
EXPORT int SecCodeCopyGuestWithAttributes(const void *host, const void *attributes, uint32_t flags, const void **guest) {
	API();
	if (flags != 0) {
		return -67070; /* errSecCSInvalidFlags */
	}
	if (host != NULL) {
		die("SecCodeCopyGuestWithAttributes: only the root of trust (host NULL) is simulated");
	}
	cfobj *d = (cfobj *) attributes;
	if (!d || d->typeid != CF_DICT || d->count != 1) {
		return -67067; /* errSecCSUnsupportedGuestAttributes */
	}
	cfobj *key = d->keys[0], *value = d->values[0];
	struct identity found;
	int ok = 0;
	pthread_mutex_lock(&global_mu);
	if (key == &kSecGuestAttributeAudit_obj) {
		if (value->typeid != CF_DATA || value->len != 32) {
			pthread_mutex_unlock(&global_mu);
			return -67066; /* errSecCSInvalidAttributeValues */
		}
		uint32_t t[8];
		memcpy(t, value->bytes, 32);
		const struct identity *id = proc_by_token_locked(t);
		if (id) {
			found = *id;
			ok = 1;
		}
	}
	else if (key == &kSecGuestAttributePid_obj) {
		if (value->typeid != CF_NUMBER) {
			pthread_mutex_unlock(&global_mu);
			return -67066;
		}
		const struct identity *id = proc_by_pid_locked((int32_t) value->number);
		if (id) {
			found = *id;
			ok = 1;
		}
	}
	else {
		pthread_mutex_unlock(&global_mu);
		return -67067;
	}
	pthread_mutex_unlock(&global_mu);
	return ok ? new_guest(&found, guest) : -67065; /* errSecCSNoSuchCode */
}

/* this process's code: its signing identifier and team as set by xpcsim_set_self_signature / _self_team */
EXPORT int SecCodeCopySelf(uint32_t flags, const void **self) {
	API();
	if (flags != 0) {
		return -67070; /* errSecCSInvalidFlags */
	}
	cfobj *code = cf_new(CF_CODE);
	pthread_mutex_lock(&global_mu);
	code->id = service_identity;
	snprintf(code->id.identifier, sizeof code->id.identifier, "%s", self_identifier);
	snprintf(code->id.team, sizeof code->id.team, "%s", self_team);
	snprintf(code->id.leaf_ou, sizeof code->id.leaf_ou, "%s", self_team);
	pthread_mutex_unlock(&global_mu);
	*self = code;
	return 0;
}

EXPORT int SecRequirementCreateWithStringAndErrors(const void *text, uint32_t flags, const void **errors, const void **requirement) {
	API();
	if (flags != 0) {
		return -67070;
	}
	char msg[128];
	struct identity dummy = next_identity;
	if (eval_requirement(((cfobj *) text)->str, &dummy, msg, sizeof msg) < 0) {
		if (errors) {
			char full[256];
			snprintf(full, sizeof full, "The code requirement is invalid: %s", msg);
			*errors = cf_error(-67052, full);
		}
		return -67052; /* errSecCSReqInvalid */
	}
	cfobj *r = cf_new(CF_REQ);
	r->str = strdup(((cfobj *) text)->str);
	*requirement = r;
	return 0;
}

EXPORT int SecCodeCheckValidityWithErrors(const void *code, uint32_t flags, const void *requirement, const void **errors) {
	API();
	(void) flags;
	cfobj *c = (cfobj *) code;
	if (c->guest) {
		/* dynamic validity: the process the code object was located for must still run (same pid and pidversion) */
		uint32_t t[8];
		fill_token(&c->id, t);
		pthread_mutex_lock(&global_mu);
		int running = proc_by_token_locked(t) != NULL;
		pthread_mutex_unlock(&global_mu);
		if (!running) {
			if (errors) {
				*errors = cf_error(-67065, "the code's process is no longer running (errSecCSNoSuchCode)");
			}
			return -67065;
		}
	}
	if (!c->id.valid) {
		if (errors) {
			*errors = cf_error(-67061, "code failed signature validation (errSecCSSignatureFailed)");
		}
		return -67061;
	}
	if (requirement) {
		char msg[128];
		if (eval_requirement(((cfobj *) requirement)->str, &c->id, msg, sizeof msg) != 1) {
			if (errors) {
				*errors = cf_error(-67050, "code failed to satisfy specified code requirement(s)");
			}
			return -67050; /* errSecCSReqFailed */
		}
	}
	return 0;
}

EXPORT int SecCodeCopySigningInformation(const void *code, uint32_t flags, const void **information) {
	API();
	(void) flags;
	cfobj *c = (cfobj *) code;
	cfobj *d = cf_new(CF_DICT);
	if (c->id.identifier[0]) {
		cf_dict_put(d, "identifier", cf_string(c->id.identifier));
	}
	if (c->id.team[0]) {
		cf_dict_put(d, "teamid", cf_string(c->id.team));
	}
	cfobj *unique = cf_new(CF_DATA);
	size_t n = strlen(c->id.cdhash) / 2;
	unique->bytes = malloc(n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		unsigned int b;
		sscanf(c->id.cdhash + 2 * i, "%2x", &b);
		unique->bytes[i] = (unsigned char) b;
	}
	unique->len = (long) n;
	cf_dict_put(d, "unique", unique);
	cfobj *fl = cf_new(CF_NUMBER);
	fl->number = c->id.leaf_ou[0] ? 0x10000 : 0x2; /* runtime vs adhoc */
	cf_dict_put(d, "flags", fl);
	if (c->id.platform) {
		cfobj *pl = cf_new(CF_NUMBER);
		pl->number = 15;
		cf_dict_put(d, "platform-identifier", pl);
	}
	if (c->id.cert_count > 0) {
		cf_dict_put(d, "certificates", cf_certificates(&c->id));
	}
	if (c->id.entitlements[0]) {
		cf_dict_put(d, "entitlements-dict", cf_typed_dict(c->id.entitlements));
	}
	if (c->id.info[0]) {
		cf_dict_put(d, "info-plist", cf_typed_dict(c->id.info));
	}
	*information = d;
	return 0;
}

/* a new CFData with the certificate's DER bytes; NULL for anything but a certificate */
EXPORT const void *SecCertificateCopyData(const void *certificate) {
	API();
	cfobj *cert = (cfobj *) certificate;
	if (!cert || cert->typeid != CF_CERT) {
		return NULL;
	}
	cfobj *data = cf_new(CF_DATA);
	data->bytes = malloc((size_t) cert->len);
	memcpy(data->bytes, cert->bytes, (size_t) cert->len);
	data->len = cert->len;
	return data;
}

/* ------------------------------------------------------------------------------------------------ Authorization */

/*
 * Authorization Services (Authorization.h, AuthorizationDB.h) as the authorization server (authd) behaves for a
 * helper and its app:
 *   - AuthorizationCreate makes an authorization session for the calling process's user: in this simulator the
 *     identity the next client connection presents (xpcsim_set_client_identity), since the client is who creates
 *     the authorization it sends;
 *   - its 32-byte external form names the session to whoever holds it, until the session is destroyed (freed with
 *     kAuthorizationFlagDestroyRights); AuthorizationCreateFromExternalForm makes a new reference to it;
 *   - AuthorizationCopyRights evaluates each right's rule from the rights database: "allow", "deny",
 *     "authenticate-admin" (always asks), or class user with a group ("authenticate-user" true, the default, asks
 *     even a member; false lets a member through). Asking needs kAuthorizationFlagInteractionAllowed (else
 *     errAuthorizationInteractionNotAllowed) and kAuthorizationFlagExtendRights; the simulated user answers as
 *     set by xpcsim_set_authentication_answer (1: credentials accepted, 0: cancel). A right with no rule gets the
 *     database's default rule, authenticate-admin. Rights granted stay with the session;
 *   - AuthorizationRightSet needs a session of root, or (as authd asks for config.modify) the user's answer.
 * Every AuthorizationRef and returned item set is counted (xpcsim_live_authorizations) to find leaks.
 */

enum { RULE_ALLOW, RULE_DENY, RULE_ADMIN, RULE_GROUP };

#define AUTH_SESSIONS 256
#define AUTH_RIGHTS 64
#define AUTH_GRANTED 16

static struct auth_session {
	int alive;
	uint32_t uid, gid;
	unsigned char external[32];
	char granted[AUTH_GRANTED][128];
	int granted_count;
} auth_sessions[AUTH_SESSIONS];

static struct auth_right {
	char name[128];
	int rule;
	char group[64];
	int authenticate_user;
} auth_rights[AUTH_RIGHTS];
static int auth_right_count;

/* group name -> gid and members: the simulated directory (a user is a member of its primary group too) */
static struct auth_group {
	char name[64];
	uint32_t gid;
	uint32_t members[16];
	int member_count;
} auth_groups[16] = {{"wheel", 0, {0}, 1}, {"staff", 20, {0}, 0}, {"admin", 80, {0}, 1}, {"everyone", 12, {0}, 0}};
static int auth_group_count = 4;

static int auth_answer;            /* what the simulated user does when asked: 1 authenticate, 0 cancel */
static long auth_interactions;     /* how often a user was asked */
static long live_authorizations;   /* AuthorizationRefs and item sets not yet freed */
static uint64_t auth_counter = 0x5eed;

typedef struct authref {
	uint32_t magic;
	int session;
} authref;

#define AUTHREF_MAGIC 0x41555448u

typedef struct {
	const char *name;
	size_t valueLength;
	void *value;
	uint32_t flags;
} auth_item;

typedef struct {
	uint32_t count;
	auth_item *items;
} auth_item_set;

enum { AUTH_INTERACTION_ALLOWED = 1, AUTH_EXTEND_RIGHTS = 2, AUTH_PARTIAL_RIGHTS = 4, AUTH_DESTROY_RIGHTS = 8,
	AUTH_PREAUTHORIZE = 16, AUTH_NO_DATA = 1 << 20 };
enum { errAuthorizationSuccess = 0, errAuthorizationInvalidSet = -60001, errAuthorizationInvalidRef = -60002,
	errAuthorizationInvalidPointer = -60004, errAuthorizationDenied = -60005, errAuthorizationCanceled = -60006,
	errAuthorizationInteractionNotAllowed = -60007, errAuthorizationInvalidFlags = -60011 };

static authref *auth_new_ref_locked(int session) {
	authref *r = malloc(sizeof(authref));
	r->magic = AUTHREF_MAGIC;
	r->session = session;
	INC(live_authorizations);
	return r;
}

/* the session of a reference, or -1 for a pointer that is not a live AuthorizationRef */
static int auth_session_of_locked(const void *ref) {
	const authref *r = (const authref *) ref;
	if (!r || r->magic != AUTHREF_MAGIC || r->session < 0 || r->session >= AUTH_SESSIONS
			|| !auth_sessions[r->session].alive) {
		return -1;
	}
	return r->session;
}

static int auth_member_locked(const char *group, uint32_t uid, uint32_t gid) {
	for (int i = 0; i < auth_group_count; i++) {
		if (strcmp(auth_groups[i].name, group) != 0) {
			continue;
		}
		if (auth_groups[i].gid == gid) {
			return 1;
		}
		for (int m = 0; m < auth_groups[i].member_count; m++) {
			if (auth_groups[i].members[m] == uid) {
				return 1;
			}
		}
	}
	return 0;
}

static struct auth_right *auth_right_locked(const char *name) {
	for (int i = 0; i < auth_right_count; i++) {
		if (strcmp(auth_rights[i].name, name) == 0) {
			return &auth_rights[i];
		}
	}
	return NULL;
}

EXPORT int AuthorizationCreate(const void *rights, const void *environment, uint32_t flags, const void **authorization) {
	API();
	(void) environment;
	if (rights != NULL && ((const auth_item_set *) rights)->count > 0) {
		die("AuthorizationCreate: creating with rights is not simulated; use AuthorizationCopyRights");
	}
	if (flags & ~(uint32_t) (AUTH_INTERACTION_ALLOWED | AUTH_EXTEND_RIGHTS | AUTH_PARTIAL_RIGHTS | AUTH_PREAUTHORIZE)) {
		return errAuthorizationInvalidFlags;
	}
	if (!authorization) {
		return errAuthorizationSuccess; /* the header: NULL asks only that the rights be checked */
	}
	pthread_mutex_lock(&global_mu);
	int slot = -1;
	for (int i = 0; i < AUTH_SESSIONS && slot < 0; i++) {
		if (!auth_sessions[i].alive) {
			slot = i;
		}
	}
	if (slot < 0) {
		pthread_mutex_unlock(&global_mu);
		die("AuthorizationCreate: more than %d live authorization sessions", AUTH_SESSIONS);
	}
	struct auth_session *s = &auth_sessions[slot];
	memset(s, 0, sizeof *s);
	s->alive = 1;
	s->uid = next_identity.euid;
	s->gid = next_identity.egid;
	for (int i = 0; i < 32; i += 8) { /* unguessable enough for a simulator: distinct per session */
		auth_counter = auth_counter * 6364136223846793005ULL + 1442695040888963407ULL;
		memcpy(s->external + i, &auth_counter, 8);
	}
	*authorization = auth_new_ref_locked(slot);
	pthread_mutex_unlock(&global_mu);
	return errAuthorizationSuccess;
}

EXPORT int AuthorizationFree(const void *authorization, uint32_t flags) {
	API();
	pthread_mutex_lock(&global_mu);
	int session = auth_session_of_locked(authorization);
	authref *r = (authref *) authorization;
	if (!r || r->magic != AUTHREF_MAGIC) {
		pthread_mutex_unlock(&global_mu);
		return errAuthorizationInvalidRef;
	}
	if (session >= 0 && (flags & AUTH_DESTROY_RIGHTS)) {
		auth_sessions[session].alive = 0; /* every external form of it stops working */
	}
	r->magic = 0;
	free(r);
	DEC(live_authorizations);
	pthread_mutex_unlock(&global_mu);
	return errAuthorizationSuccess;
}

EXPORT int AuthorizationMakeExternalForm(const void *authorization, void *external) {
	API();
	if (!external) {
		return errAuthorizationInvalidPointer;
	}
	pthread_mutex_lock(&global_mu);
	int session = auth_session_of_locked(authorization);
	if (session >= 0) {
		memcpy(external, auth_sessions[session].external, 32);
	}
	pthread_mutex_unlock(&global_mu);
	return session >= 0 ? errAuthorizationSuccess : errAuthorizationInvalidRef;
}

EXPORT int AuthorizationCreateFromExternalForm(const void *external, const void **authorization) {
	API();
	if (!external || !authorization) {
		return errAuthorizationInvalidPointer;
	}
	pthread_mutex_lock(&global_mu);
	for (int i = 0; i < AUTH_SESSIONS; i++) {
		if (auth_sessions[i].alive && memcmp(auth_sessions[i].external, external, 32) == 0) {
			*authorization = auth_new_ref_locked(i);
			pthread_mutex_unlock(&global_mu);
			return errAuthorizationSuccess;
		}
	}
	pthread_mutex_unlock(&global_mu);
	return errAuthorizationInvalidRef;
}

/* asks the simulated user (outside the lock: a real dialog takes its time) */
static int auth_ask(uint32_t flags) {
	if (!(flags & AUTH_INTERACTION_ALLOWED)) {
		return errAuthorizationInteractionNotAllowed;
	}
	INC(auth_interactions);
	return __atomic_load_n(&auth_answer, __ATOMIC_SEQ_CST) ? errAuthorizationSuccess : errAuthorizationCanceled;
}

static int auth_granted_locked(struct auth_session *s, const char *right) {
	for (int i = 0; i < s->granted_count; i++) {
		if (strcmp(s->granted[i], right) == 0) {
			return 1;
		}
	}
	return 0;
}

/* one right: 0 granted, or the error */
static int auth_evaluate(int session, const char *right, uint32_t flags) {
	pthread_mutex_lock(&global_mu);
	struct auth_session *s = &auth_sessions[session];
	if (auth_granted_locked(s, right)) {
		pthread_mutex_unlock(&global_mu);
		return errAuthorizationSuccess;
	}
	struct auth_right *definition = auth_right_locked(right);
	int rule = definition ? definition->rule : RULE_ADMIN;
	int must_ask = rule == RULE_ADMIN
			|| (rule == RULE_GROUP && (definition->authenticate_user || !auth_member_locked(definition->group, s->uid, s->gid)));
	pthread_mutex_unlock(&global_mu);
	if (rule == RULE_DENY) {
		return errAuthorizationDenied;
	}
	if (!(flags & AUTH_EXTEND_RIGHTS)) {
		return errAuthorizationDenied; /* only rights the session already holds */
	}
	if (must_ask) {
		int answer = auth_ask(flags);
		if (answer != errAuthorizationSuccess) {
			return answer;
		}
	}
	pthread_mutex_lock(&global_mu);
	if (s->alive && !(flags & AUTH_DESTROY_RIGHTS) && s->granted_count < AUTH_GRANTED) {
		snprintf(s->granted[s->granted_count++], sizeof s->granted[0], "%s", right);
	}
	pthread_mutex_unlock(&global_mu);
	return errAuthorizationSuccess;
}

EXPORT int AuthorizationCopyRights(const void *authorization, const void *rights, const void *environment,
		uint32_t flags, void **authorized) {
	API();
	(void) environment;
	if (flags & ~(uint32_t) (AUTH_INTERACTION_ALLOWED | AUTH_EXTEND_RIGHTS | AUTH_PARTIAL_RIGHTS | AUTH_DESTROY_RIGHTS
			| AUTH_PREAUTHORIZE | AUTH_NO_DATA)) {
		return errAuthorizationInvalidFlags;
	}
	const auth_item_set *set = (const auth_item_set *) rights;
	if (!set || (set->count > 0 && !set->items)) {
		return errAuthorizationInvalidSet;
	}
	pthread_mutex_lock(&global_mu);
	int session = auth_session_of_locked(authorization);
	pthread_mutex_unlock(&global_mu);
	if (session < 0) {
		return errAuthorizationInvalidRef;
	}
	for (uint32_t i = 0; i < set->count; i++) {
		if (!set->items[i].name || set->items[i].name[0] == 0) {
			return errAuthorizationInvalidSet;
		}
		int status = auth_evaluate(session, set->items[i].name, flags);
		if (status != errAuthorizationSuccess) {
			return status;
		}
	}
	if (authorized) {
		auth_item_set *copy = calloc(1, sizeof(auth_item_set));
		copy->count = set->count;
		copy->items = calloc(set->count > 0 ? set->count : 1, sizeof(auth_item));
		for (uint32_t i = 0; i < set->count; i++) {
			copy->items[i].name = strdup(set->items[i].name);
		}
		INC(live_authorizations);
		*authorized = copy;
	}
	return errAuthorizationSuccess;
}

EXPORT int AuthorizationFreeItemSet(void *set) {
	API();
	auth_item_set *s = (auth_item_set *) set;
	if (!s) {
		return errAuthorizationInvalidSet;
	}
	for (uint32_t i = 0; i < s->count; i++) {
		free((char *) s->items[i].name);
	}
	free(s->items);
	free(s);
	DEC(live_authorizations);
	return errAuthorizationSuccess;
}

/* the rights database: the definition as a CFDictionary ("class", "rule" or "group", "authenticate-user") */
EXPORT int AuthorizationRightGet(const char *right, const void **definition) {
	API();
	pthread_mutex_lock(&global_mu);
	struct auth_right *r = auth_right_locked(right);
	if (!r) {
		pthread_mutex_unlock(&global_mu);
		return errAuthorizationDenied; /* as authd answers for a right it does not know */
	}
	if (definition) {
		cfobj *d = cf_new(CF_DICT);
		if (r->rule == RULE_GROUP) {
			cf_dict_put(d, "class", cf_string("user"));
			cf_dict_put(d, "group", cf_string(r->group));
			cf_dict_put(d, "authenticate-user", r->authenticate_user ? &cf_true_obj : &cf_false_obj);
		}
		else {
			cf_dict_put(d, "class", cf_string("rule"));
			cf_dict_put(d, "rule", cf_string(r->rule == RULE_ALLOW ? "allow"
					: r->rule == RULE_DENY ? "deny" : "authenticate-admin"));
		}
		*definition = d;
	}
	pthread_mutex_unlock(&global_mu);
	return errAuthorizationSuccess;
}

static int auth_rule_named(const char *name, int *rule) {
	if (strcmp(name, "allow") == 0) {
		*rule = RULE_ALLOW;
	}
	else if (strcmp(name, "deny") == 0) {
		*rule = RULE_DENY;
	}
	else if (strcmp(name, "authenticate-admin") == 0) {
		*rule = RULE_ADMIN;
	}
	else {
		return 0;
	}
	return 1;
}

/* a definition is a rule name (CFString) or a dictionary: {class: user, group, authenticate-user?} or
   {class: rule, rule: name} / {class: allow|deny} */
EXPORT int AuthorizationRightSet(const void *authorization, const char *right, const void *definition,
		const void *description, const void *bundle, const void *table) {
	API();
	(void) description;
	(void) bundle;
	(void) table;
	if (!right || !right[0] || strlen(right) >= sizeof auth_rights[0].name || !definition) {
		return errAuthorizationInvalidPointer;
	}
	struct auth_right wanted = {0};
	snprintf(wanted.name, sizeof wanted.name, "%s", right);
	wanted.authenticate_user = 1;
	const cfobj *d = (const cfobj *) definition;
	if (d->typeid == CF_STRING) {
		if (!auth_rule_named(d->str, &wanted.rule)) {
			return errAuthorizationDenied;
		}
	}
	else if (d->typeid == CF_DICT) {
		cfobj key = {.typeid = CF_STRING, .global = 1, .str = "class"};
		const cfobj *cls = CFDictionaryGetValue(d, &key);
		key.str = "rule";
		const cfobj *named = CFDictionaryGetValue(d, &key);
		key.str = "group";
		const cfobj *group = CFDictionaryGetValue(d, &key);
		key.str = "authenticate-user";
		const cfobj *authenticate = CFDictionaryGetValue(d, &key);
		if (!cls || cls->typeid != CF_STRING) {
			return errAuthorizationDenied;
		}
		if (strcmp(cls->str, "user") == 0 && group && group->typeid == CF_STRING) {
			wanted.rule = RULE_GROUP;
			snprintf(wanted.group, sizeof wanted.group, "%s", group->str);
			wanted.authenticate_user = !(authenticate && authenticate->typeid == CF_BOOLEAN && !authenticate->number);
		}
		else if (strcmp(cls->str, "rule") == 0 && named && named->typeid == CF_STRING) {
			if (!auth_rule_named(named->str, &wanted.rule)) {
				return errAuthorizationDenied;
			}
		}
		else if (!auth_rule_named(cls->str, &wanted.rule) || wanted.rule == RULE_ADMIN) {
			return errAuthorizationDenied;
		}
	}
	else {
		return errAuthorizationDenied;
	}
	pthread_mutex_lock(&global_mu);
	int session = auth_session_of_locked(authorization);
	uint32_t uid = session >= 0 ? auth_sessions[session].uid : 0;
	pthread_mutex_unlock(&global_mu);
	if (session < 0) {
		return errAuthorizationInvalidRef;
	}
	if (uid != 0) {
		int answer = auth_ask(AUTH_INTERACTION_ALLOWED); /* authd asks for config.modify.<right> */
		if (answer != errAuthorizationSuccess) {
			return answer;
		}
	}
	pthread_mutex_lock(&global_mu);
	struct auth_right *existing = auth_right_locked(right);
	if (!existing) {
		if (auth_right_count == AUTH_RIGHTS) {
			pthread_mutex_unlock(&global_mu);
			die("AuthorizationRightSet: more than %d rights", AUTH_RIGHTS);
		}
		existing = &auth_rights[auth_right_count++];
	}
	*existing = wanted;
	pthread_mutex_unlock(&global_mu);
	return errAuthorizationSuccess;
}

/* ------------------------------------------------------------------------------------------------ test control */

EXPORT long xpcsim_live_objects(void) { return __atomic_load_n(&live_objects, __ATOMIC_SEQ_CST); }
EXPORT long xpcsim_live_blocks(void) { return __atomic_load_n(&live_blocks, __ATOMIC_SEQ_CST); }
EXPORT long xpcsim_live_cf(void) { return __atomic_load_n(&live_cf, __ATOMIC_SEQ_CST); }
EXPORT long xpcsim_live_queues(void) { return __atomic_load_n(&live_queues, __ATOMIC_SEQ_CST); }
EXPORT long xpcsim_live_fds(void) { return __atomic_load_n(&live_fds, __ATOMIC_SEQ_CST); }
EXPORT long xpcsim_native_calls(void) { return __atomic_load_n(&native_calls, __ATOMIC_SEQ_CST); }

EXPORT void xpcsim_set_os_version(const char *version) {
	pthread_mutex_lock(&global_mu);
	snprintf(os_version, sizeof os_version, "%s", version);
	pthread_mutex_unlock(&global_mu);
}

static void register_service(const char *name, int system_domain) {
	pthread_mutex_lock(&global_mu);
	service *s = find_service(name);
	if (!s) {
		s = calloc(1, sizeof(service));
		s->name = strdup(name);
		s->next = services;
		services = s;
	}
	s->system_domain = system_domain;
	pthread_mutex_unlock(&global_mu);
}

/* a Mach service declared by a LaunchAgent (per-user domain) */
EXPORT void xpcsim_register_service(const char *name) { register_service(name, 0); }

/* a Mach service declared by a LaunchDaemon (system domain) */
EXPORT void xpcsim_register_system_service(const char *name) { register_service(name, 1); }

EXPORT void xpcsim_set_service_identity(const char *identifier, const char *team, const char *leaf_ou) {
	pthread_mutex_lock(&global_mu);
	snprintf(service_identity.identifier, sizeof service_identity.identifier, "%s", identifier);
	snprintf(service_identity.team, sizeof service_identity.team, "%s", team);
	snprintf(service_identity.leaf_ou, sizeof service_identity.leaf_ou, "%s", leaf_ou);
	pthread_mutex_unlock(&global_mu);
}

EXPORT void xpcsim_set_self_team(const char *team) {
	pthread_mutex_lock(&global_mu);
	snprintf(self_team, sizeof self_team, "%s", team);
	pthread_mutex_unlock(&global_mu);
}

/* this process's own signature: identifier and team ("" = unsigned or ad-hoc signed, no team) */
EXPORT void xpcsim_set_self_signature(const char *identifier, const char *team) {
	pthread_mutex_lock(&global_mu);
	snprintf(self_identifier, sizeof self_identifier, "%s", identifier ? identifier : "");
	snprintf(self_team, sizeof self_team, "%s", team ? team : "");
	pthread_mutex_unlock(&global_mu);
}

/* the identity the next client connections present to the service they connect to */
EXPORT void xpcsim_set_client_identity(uint32_t euid, uint32_t egid, int32_t pid, const char *identifier,
		const char *team, const char *cdhash, const char *leaf_ou, const char *entitlements, int platform, int valid,
		int category) {
	pthread_mutex_lock(&global_mu);
	struct identity *id = &next_identity;
	id->euid = euid;
	id->egid = egid;
	id->pid = pid;
	id->pidversion++;
	snprintf(id->identifier, sizeof id->identifier, "%s", identifier ? identifier : "");
	snprintf(id->team, sizeof id->team, "%s", team ? team : "");
	snprintf(id->cdhash, sizeof id->cdhash, "%s", cdhash ? cdhash : "");
	snprintf(id->leaf_ou, sizeof id->leaf_ou, "%s", leaf_ou ? leaf_ou : "");
	snprintf(id->entitlements, sizeof id->entitlements, "%s", entitlements ? entitlements : "");
	id->platform = platform;
	id->valid = valid;
	id->category = category;
	id->info[0] = 0;
	id->cert_count = 0;
	pthread_mutex_unlock(&global_mu);
}

/*
 * More of the next client's signature, after xpcsim_set_client_identity: Info.plist entries (typed like the
 * entitlements) and up to three DER certificates (leaf first) given back to back in certs with their lengths.
 */
EXPORT void xpcsim_set_client_signature_details(const char *info, const unsigned char *certs, const long *lengths,
		int count) {
	pthread_mutex_lock(&global_mu);
	struct identity *id = &next_identity;
	snprintf(id->info, sizeof id->info, "%s", info ? info : "");
	long total = 0;
	if (count < 0 || count > 3) {
		die("xpcsim_set_client_signature_details: at most 3 certificates");
	}
	for (int i = 0; i < count; i++) {
		total += lengths[i];
	}
	if (total > (long) sizeof id->certs) {
		die("xpcsim_set_client_signature_details: certificates too large");
	}
	if (total > 0) {
		memcpy(id->certs, certs, (size_t) total);
	}
	for (int i = 0; i < count; i++) {
		id->cert_lens[i] = lengths[i];
	}
	id->cert_count = count;
	pthread_mutex_unlock(&global_mu);
}

/*
 * PID reuse: when the next message from a process with this pid reaches the service, that process exits and a new
 * process with the identity set by the last xpcsim_set_client_identity (which should name the same pid) takes the
 * pid -- after the message was sent, before the service verifies it.
 */
static void arm_pid_reuse(int32_t *trigger, int32_t pid) {
	pthread_mutex_lock(&global_mu);
	reuse_successor = next_identity;
	reuse_successor.pid = pid;
	*trigger = pid;
	pthread_mutex_unlock(&global_mu);
}

EXPORT void xpcsim_reuse_pid_on_next_message(int32_t pid) { arm_pid_reuse(&reuse_pid, pid); }

/* 0: xpc_rich_error_copy_description returns NULL (no description can be generated), as its header allows */
EXPORT void xpcsim_rich_error_descriptions(int enabled) {
#ifndef XPCSIM_LEGACY
	__atomic_store_n(&rich_error_descriptions, enabled, __ATOMIC_SEQ_CST);
#else
	(void) enabled;
#endif
}

/*
 * PID reuse inside the service's check: right after Security locates the code of the process holding `pid` (by
 * audit token or pid), that process exits and one with the identity set by the last xpcsim_set_client_identity
 * takes the pid, so the code object is already stale when its validity is checked.
 */
EXPORT void xpcsim_reuse_pid_after_next_code_lookup(int32_t pid) { arm_pid_reuse(&reuse_pid_after_code, pid); }

/* the peer-side connection of a client connection (for tests that interrupt from the service side) */
EXPORT void xpcsim_interrupt_client(struct conn *client) {
	pthread_mutex_lock(&global_mu);
	struct conn *peer = client->other;
	if (peer) {
		i_xpc_retain((xobj *) peer);
	}
	pthread_mutex_unlock(&global_mu);
	if (peer) {
		enqueue(client, &_xpc_error_connection_interrupted, NULL, NULL);
		i_xpc_release((xobj *) peer);
	}
}

/* ------------------------------------------------------------------------------------------------ authorization control */

EXPORT long xpcsim_live_authorizations(void) { return __atomic_load_n(&live_authorizations, __ATOMIC_SEQ_CST); }
EXPORT long xpcsim_authorization_interactions(void) { return __atomic_load_n(&auth_interactions, __ATOMIC_SEQ_CST); }

/* what the simulated user does when Authorization Services asks: 1 gives valid credentials, 0 cancels */
EXPORT void xpcsim_set_authentication_answer(int authenticate) { __atomic_store_n(&auth_answer, authenticate, __ATOMIC_SEQ_CST); }

/* makes uid a member of the named group (created with gid when it does not exist) */
EXPORT void xpcsim_add_group_member(const char *group, uint32_t gid, uint32_t uid) {
	pthread_mutex_lock(&global_mu);
	struct auth_group *g = NULL;
	for (int i = 0; i < auth_group_count; i++) {
		if (strcmp(auth_groups[i].name, group) == 0) {
			g = &auth_groups[i];
		}
	}
	if (!g) {
		if (auth_group_count == 16) {
			die("xpcsim_add_group_member: more than 16 groups");
		}
		g = &auth_groups[auth_group_count++];
		snprintf(g->name, sizeof g->name, "%s", group);
		g->gid = gid;
	}
	if (g->member_count == 16) {
		die("xpcsim_add_group_member: more than 16 members");
	}
	g->members[g->member_count++] = uid;
	pthread_mutex_unlock(&global_mu);
}

/* forgets every right definition (tests start from the default rule) */
EXPORT void xpcsim_reset_rights(void) {
	pthread_mutex_lock(&global_mu);
	auth_right_count = 0;
	pthread_mutex_unlock(&global_mu);
}
