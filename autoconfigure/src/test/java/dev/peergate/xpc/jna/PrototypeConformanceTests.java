package dev.peergate.xpc.jna;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JNA method matches its C prototype (transcribed from the SDK headers as quoted in the project's Apple API
 * reference): same name, arity, and for each parameter and the return a Java type of the right kind and size on
 * LP64. A binding added without a prototype, or a prototype without a binding, fails.
 */
class PrototypeConformanceTests {

	private static final List<String> PROTOTYPES = List.of(
			// libxpc: object protocol, scalars (xpc.h)
			"xpc_object_t xpc_retain(xpc_object_t object);",
			"void xpc_release(xpc_object_t object);",
			"xpc_type_t xpc_get_type(xpc_object_t object);",
			"xpc_object_t xpc_copy(xpc_object_t object);",
			"xpc_object_t xpc_null_create(void);",
			"xpc_object_t xpc_bool_create(bool value);",
			"bool xpc_bool_get_value(xpc_object_t xbool);",
			"xpc_object_t xpc_int64_create(int64_t value);",
			"int64_t xpc_int64_get_value(xpc_object_t xint);",
			"xpc_object_t xpc_uint64_create(uint64_t value);",
			"uint64_t xpc_uint64_get_value(xpc_object_t xuint);",
			"xpc_object_t xpc_double_create(double value);",
			"double xpc_double_get_value(xpc_object_t xdouble);",
			"xpc_object_t xpc_date_create(int64_t interval);",
			"int64_t xpc_date_get_value(xpc_object_t xdate);",
			"xpc_object_t xpc_string_create(const char *string);",
			"const char *xpc_string_get_string_ptr(xpc_object_t xstring);",
			"size_t xpc_string_get_length(xpc_object_t xstring);",
			"xpc_object_t xpc_data_create(const void *bytes, size_t length);",
			"size_t xpc_data_get_length(xpc_object_t xdata);",
			"const void *xpc_data_get_bytes_ptr(xpc_object_t xdata);",
			"xpc_object_t xpc_uuid_create(const uuid_t uuid);",
			"const uint8_t *xpc_uuid_get_bytes(xpc_object_t xuuid);",
			"xpc_object_t xpc_fd_create(int fd);",
			"int xpc_fd_dup(xpc_object_t xfd);",
			// dictionaries and arrays
			"xpc_object_t xpc_dictionary_create(const char * const *keys, const xpc_object_t *values, size_t count);",
			"xpc_object_t xpc_dictionary_create_reply(xpc_object_t original);",
			"xpc_connection_t xpc_dictionary_get_remote_connection(xpc_object_t xdict);",
			"size_t xpc_dictionary_get_count(xpc_object_t xdict);",
			"bool xpc_dictionary_apply(xpc_object_t xdict, xpc_dictionary_applier_t applier);",
			"void xpc_dictionary_set_value(xpc_object_t xdict, const char *key, xpc_object_t value);",
			"xpc_object_t xpc_dictionary_get_value(xpc_object_t xdict, const char *key);",
			"void xpc_dictionary_set_string(xpc_object_t xdict, const char *key, const char *string);",
			"void xpc_dictionary_set_int64(xpc_object_t xdict, const char *key, int64_t value);",
			"void xpc_dictionary_set_bool(xpc_object_t xdict, const char *key, bool value);",
			"const char *xpc_dictionary_get_string(xpc_object_t xdict, const char *key);",
			"xpc_object_t xpc_array_create(const xpc_object_t *objects, size_t count);",
			"void xpc_array_append_value(xpc_object_t xarray, xpc_object_t value);",
			"size_t xpc_array_get_count(xpc_object_t xarray);",
			"xpc_object_t xpc_array_get_value(xpc_object_t xarray, size_t index);",
			// connections (connection.h)
			"xpc_connection_t xpc_connection_create_mach_service(const char *name, dispatch_queue_t targetq, uint64_t flags);",
			"xpc_connection_t xpc_connection_create(const char *name, dispatch_queue_t targetq);",
			"xpc_connection_t xpc_connection_create_from_endpoint(xpc_endpoint_t endpoint);",
			"void xpc_connection_set_target_queue(xpc_connection_t connection, dispatch_queue_t targetq);",
			// endpoint.h (macOS 10.7)
			"xpc_endpoint_t xpc_endpoint_create(xpc_connection_t connection);",
			"void xpc_connection_set_event_handler(xpc_connection_t connection, xpc_handler_t handler);",
			"void xpc_connection_resume(xpc_connection_t connection);",
			"void xpc_connection_cancel(xpc_connection_t connection);",
			"void xpc_connection_send_message(xpc_connection_t connection, xpc_object_t message);",
			"void xpc_connection_send_barrier(xpc_connection_t connection, dispatch_block_t barrier);",
			"void xpc_connection_send_message_with_reply(xpc_connection_t connection, xpc_object_t message, dispatch_queue_t replyq, xpc_handler_t handler);",
			"uid_t xpc_connection_get_euid(xpc_connection_t connection);",
			"gid_t xpc_connection_get_egid(xpc_connection_t connection);",
			"pid_t xpc_connection_get_pid(xpc_connection_t connection);",
			"au_asid_t xpc_connection_get_asid(xpc_connection_t connection);",
			// version-specific (12.0, 14.4, 26.0, rich_error.h)
			"int xpc_connection_set_peer_code_signing_requirement(xpc_connection_t connection, const char *requirement);",
			"int xpc_connection_set_peer_lightweight_code_requirement(xpc_connection_t connection, xpc_object_t lwcr);",
			"int xpc_connection_set_peer_team_identity_requirement(xpc_connection_t connection, const char *signing_identifier);",
			"int xpc_connection_set_peer_platform_identity_requirement(xpc_connection_t connection, const char *signing_identifier);",
			"int xpc_connection_set_peer_entitlement_exists_requirement(xpc_connection_t connection, const char *entitlement);",
			"int xpc_connection_set_peer_entitlement_matches_value_requirement(xpc_connection_t connection, const char *entitlement, xpc_object_t value);",
			"xpc_peer_requirement_t xpc_peer_requirement_create_lwcr(xpc_object_t lwcr, xpc_rich_error_t *error_out);",
			"xpc_peer_requirement_t xpc_peer_requirement_create_team_identity(const char *signing_identifier, xpc_rich_error_t *error_out);",
			"xpc_peer_requirement_t xpc_peer_requirement_create_platform_identity(const char *signing_identifier, xpc_rich_error_t *error_out);",
			"xpc_peer_requirement_t xpc_peer_requirement_create_entitlement_exists(const char *entitlement, xpc_rich_error_t *error_out);",
			"xpc_peer_requirement_t xpc_peer_requirement_create_entitlement_matches_value(const char *entitlement, xpc_object_t value, xpc_rich_error_t *error_out);",
			"bool xpc_peer_requirement_match_received_message(xpc_peer_requirement_t peer_requirement, xpc_object_t message, xpc_rich_error_t *error_out);",
			"void xpc_connection_set_peer_requirement(xpc_connection_t connection, xpc_peer_requirement_t peer_requirement);",
			"char *xpc_rich_error_copy_description(xpc_rich_error_t error);",
			// private (no header; the prototype Apple's Security sources use, section 1.5 of the reference)
			"void xpc_dictionary_get_audit_token(xpc_object_t xdict, audit_token_t *token);",
			// libdispatch
			"dispatch_queue_t dispatch_queue_create(const char *label, dispatch_queue_attr_t attr);",
			"void dispatch_retain(dispatch_object_t object);",
			"void dispatch_release(dispatch_object_t object);",
			// Security.framework
			"OSStatus SecCodeCreateWithXPCMessage(xpc_object_t message, SecCSFlags flags, SecCodeRef *target);",
			"OSStatus SecCodeCheckValidityWithErrors(SecCodeRef code, SecCSFlags flags, SecRequirementRef requirement, CFErrorRef *errors);",
			"OSStatus SecRequirementCreateWithStringAndErrors(CFStringRef text, SecCSFlags flags, CFErrorRef *errors, SecRequirementRef *requirement);",
			"OSStatus SecCodeCopySigningInformation(SecStaticCodeRef code, SecCSFlags flags, CFDictionaryRef *information);",
			"OSStatus SecCodeCopyGuestWithAttributes(SecCodeRef host, CFDictionaryRef attributes, SecCSFlags flags, SecCodeRef *guest);",
			"OSStatus SecCodeCopySelf(SecCSFlags flags, SecCodeRef *self);",
			// Authorization.h, AuthorizationDB.h (section "Authorization Services" of the reference)
			"OSStatus AuthorizationCreate(const AuthorizationRights *rights, const AuthorizationEnvironment *environment, AuthorizationFlags flags, AuthorizationRef *authorization);",
			"OSStatus AuthorizationFree(AuthorizationRef authorization, AuthorizationFlags flags);",
			"OSStatus AuthorizationCopyRights(AuthorizationRef authorization, const AuthorizationRights *rights, const AuthorizationEnvironment *environment, AuthorizationFlags flags, AuthorizationRights **authorizedRights);",
			"OSStatus AuthorizationMakeExternalForm(AuthorizationRef authorization, AuthorizationExternalForm *extForm);",
			"OSStatus AuthorizationCreateFromExternalForm(const AuthorizationExternalForm *extForm, AuthorizationRef *authorization);",
			"OSStatus AuthorizationFreeItemSet(AuthorizationItemSet *set);",
			"OSStatus AuthorizationRightGet(const char *rightName, CFDictionaryRef *rightDefinition);",
			"OSStatus AuthorizationRightSet(AuthorizationRef authRef, const char *rightName, CFTypeRef rightDefinition, CFStringRef descriptionKey, CFBundleRef bundle, CFStringRef localeTableName);",
			// SecCertificate.h (macOS 10.6, Apple's documentation)
			"CFDataRef SecCertificateCopyData(SecCertificateRef certificate);",
			// CoreFoundation
			"void CFRelease(CFTypeRef cf);",
			"CFTypeID CFGetTypeID(CFTypeRef cf);",
			"CFTypeID CFStringGetTypeID(void);",
			"CFTypeID CFDataGetTypeID(void);",
			"CFTypeID CFNumberGetTypeID(void);",
			"CFTypeID CFBooleanGetTypeID(void);",
			"CFTypeID CFArrayGetTypeID(void);",
			"CFTypeID CFDictionaryGetTypeID(void);",
			"Boolean CFBooleanGetValue(CFBooleanRef boolean);",
			"CFIndex CFArrayGetCount(CFArrayRef theArray);",
			"const void *CFArrayGetValueAtIndex(CFArrayRef theArray, CFIndex idx);",
			"CFIndex CFDictionaryGetCount(CFDictionaryRef theDict);",
			"void CFDictionaryGetKeysAndValues(CFDictionaryRef theDict, const void **keys, const void **values);",
			"CFStringRef CFStringCreateWithCString(CFAllocatorRef alloc, const char *cStr, CFStringEncoding encoding);",
			"CFIndex CFStringGetLength(CFStringRef theString);",
			"CFIndex CFStringGetMaximumSizeForEncoding(CFIndex length, CFStringEncoding encoding);",
			"Boolean CFStringGetCString(CFStringRef theString, char *buffer, CFIndex bufferSize, CFStringEncoding encoding);",
			"CFStringRef CFErrorCopyDescription(CFErrorRef err);",
			"CFIndex CFErrorGetCode(CFErrorRef err);",
			"const void *CFDictionaryGetValue(CFDictionaryRef theDict, const void *key);",
			"CFIndex CFDataGetLength(CFDataRef theData);",
			"const UInt8 *CFDataGetBytePtr(CFDataRef theData);",
			"Boolean CFNumberGetValue(CFNumberRef number, CFNumberType theType, void *valuePtr);",
			"CFDataRef CFDataCreate(CFAllocatorRef allocator, const UInt8 *bytes, CFIndex length);",
			"CFNumberRef CFNumberCreate(CFAllocatorRef allocator, CFNumberType theType, const void *valuePtr);",
			"CFDictionaryRef CFDictionaryCreate(CFAllocatorRef allocator, const void **keys, const void **values, CFIndex numValues, const CFDictionaryKeyCallBacks *keyCallBacks, const CFDictionaryValueCallBacks *valueCallBacks);",
			// libSystem (sys/sysctl.h)
			"int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);");

	private static final List<Class<? extends Library>> BINDINGS = List.of(LibXpc.class,
			LibXpcPeerRequirements.class, LibXpcPrivate.class, LibDispatch.class, SecurityFramework.class,
			AuthorizationFramework.class, CoreFoundation.class, LibSystem.class);

	/** C scalar types → size in bytes on LP64 (pointers are 8). */
	private static final Map<String, Integer> SCALARS = Map.ofEntries(Map.entry("void", 0), Map.entry("bool", 1),
			Map.entry("Boolean", 1), Map.entry("int", 4), Map.entry("uid_t", 4), Map.entry("gid_t", 4),
			Map.entry("pid_t", 4), Map.entry("au_asid_t", 4), Map.entry("OSStatus", 4), Map.entry("SecCSFlags", 4),
			Map.entry("AuthorizationFlags", 4), Map.entry("CFStringEncoding", 4), Map.entry("int64_t", 8), Map.entry("uint64_t", 8),
			Map.entry("size_t", 8), Map.entry("CFIndex", 8), Map.entry("CFTypeID", 8), Map.entry("CFNumberType", 8),
			Map.entry("double", 8));

	/** Pointer-valued typedefs (handles, blocks, CF references). */
	private static final Set<String> HANDLES = Set.of("xpc_object_t", "xpc_connection_t", "xpc_endpoint_t", "xpc_type_t",
			"xpc_handler_t", "xpc_dictionary_applier_t", "dispatch_block_t", "xpc_peer_requirement_t",
			"xpc_rich_error_t", "dispatch_queue_t", "dispatch_queue_attr_t", "dispatch_object_t", "SecCodeRef",
			"SecStaticCodeRef", "SecRequirementRef", "CFTypeRef", "CFStringRef", "CFAllocatorRef", "CFErrorRef",
			"CFDictionaryRef", "CFDataRef", "CFNumberRef", "CFArrayRef", "CFBooleanRef", "SecCertificateRef",
			"CFBundleRef", "AuthorizationRef", "const uuid_t");

	private static final Pattern PROTOTYPE = Pattern.compile("^(.+?)\\s*\\b(\\w+)\\((.*)\\);$");

	@Test
	void everyBindingHasAPrototypeAndEveryPrototypeABinding() {
		Map<String, Method> methods = methods();
		Map<String, String> prototypes = prototypes();
		assertThat(methods.keySet()).containsExactlyInAnyOrderElementsOf(prototypes.keySet());
	}

	@Test
	void everyBindingMatchesItsPrototype() {
		Map<String, Method> methods = methods();
		List<String> problems = new ArrayList<>();
		prototypes().forEach((name, prototype) -> {
			Method method = methods.get(name);
			if (method == null) {
				return;
			}
			Matcher matcher = PROTOTYPE.matcher(prototype);
			assertThat(matcher.matches()).as(prototype).isTrue();
			check(problems, name + " return", normalize(matcher.group(1)), method.getReturnType(), true);
			List<String> parameters = parameters(matcher.group(3));
			if (parameters.size() != method.getParameterCount()) {
				problems.add(name + ": C has " + parameters.size() + " parameters, Java " + method.getParameterCount());
				return;
			}
			for (int i = 0; i < parameters.size(); i++) {
				check(problems, name + " parameter " + (i + 1), parameters.get(i), method.getParameterTypes()[i], false);
			}
		});
		assertThat(problems).isEmpty();
	}

	private static void check(List<String> problems, String where, String cType, Class<?> javaType, boolean isReturn) {
		boolean pointer = cType.endsWith("*") || HANDLES.contains(cType);
		int cSize = pointer ? 8 : SCALARS.getOrDefault(cType, -1);
		if (cSize < 0) {
			problems.add(where + ": unknown C type '" + cType + "'");
			return;
		}
		int javaSize = javaSize(javaType);
		if (cSize != javaSize) {
			problems.add(where + ": C " + cType + " is " + cSize + " bytes, Java " + javaType.getSimpleName() + " is "
					+ javaSize);
			return;
		}
		if (pointer) {
			boolean ok;
			if (javaType == String.class) {
				ok = !isReturn && cType.equals("const char *");
			}
			else if (javaType == byte[].class) {
				ok = !isReturn && (cType.equals("const void *") || cType.equals("void *") || cType.equals("char *")
						|| cType.equals("const uuid_t"));
			}
			else if (javaType == PointerByReference.class) {
				ok = !isReturn && cType.endsWith("*") && !cType.startsWith("const ") && !cType.equals("void *");
			}
			else if (javaType == LongByReference.class) {
				ok = !isReturn && cType.equals("size_t *");
			}
			else {
				ok = javaType == Pointer.class;
			}
			if (!ok) {
				problems.add(where + ": C " + cType + " cannot be bound as " + javaType.getSimpleName());
			}
		}
		else if (cType.equals("double") != (javaType == double.class)) {
			problems.add(where + ": C " + cType + " must be " + (cType.equals("double") ? "double" : "an integer"));
		}
	}

	private static int javaSize(Class<?> type) {
		if (type == void.class) {
			return 0;
		}
		if (type == Pointer.class || type == String.class || type == byte[].class
				|| com.sun.jna.ptr.ByReference.class.isAssignableFrom(type)) {
			return Native.POINTER_SIZE;
		}
		return Native.getNativeSize(type);
	}

	private static List<String> parameters(String list) {
		List<String> types = new ArrayList<>();
		if (list.isBlank() || list.equals("void")) {
			return types;
		}
		for (String parameter : list.split(",")) {
			String declaration = parameter.trim();
			int nameStart = declaration.length();
			while (nameStart > 0 && Character.isJavaIdentifierPart(declaration.charAt(nameStart - 1))) {
				nameStart--;
			}
			types.add(normalize(declaration.substring(0, nameStart)));
		}
		return types;
	}

	/** {@code const char * const *} → {@code const char * const *}; {@code char*} → {@code char *}. */
	private static String normalize(String type) {
		return type.replace("*", " * ").replaceAll("\\s+", " ").trim().replace("* *", "**").replace("**", "* *");
	}

	private static Map<String, String> prototypes() {
		Map<String, String> byName = new LinkedHashMap<>();
		for (String prototype : PROTOTYPES) {
			Matcher matcher = PROTOTYPE.matcher(prototype);
			assertThat(matcher.matches()).as(prototype).isTrue();
			byName.put(matcher.group(2), prototype);
		}
		return byName;
	}

	private static Map<String, Method> methods() {
		Map<String, Method> methods = new LinkedHashMap<>();
		for (Class<? extends Library> binding : BINDINGS) {
			for (Method method : binding.getDeclaredMethods()) {
				if (!method.isSynthetic() && !java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
					methods.put(method.getName(), method);
				}
			}
		}
		return methods;
	}

}
