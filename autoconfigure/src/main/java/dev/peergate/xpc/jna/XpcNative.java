package dev.peergate.xpc.jna;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import org.jspecify.annotations.Nullable;

/**
 * The loaded native side of the macOS transport: the JNA interfaces, libxpc's constants, the block factory and
 * the value converter, for one set of {@link NativeLibraries}. One instance per set of paths lives for the rest of
 * the process (native code may hold blocks that point at its callbacks).
 * <p>
 * Loading never fails because a newer symbol is missing: {@link #availability()} probes the version-specific
 * symbols once so the mechanism selection can say precisely what this macOS lacks.
 *
 * <pre>{@code
 * XpcNative nativeXpc = XpcNative.load(NativeLibraries.fromSystemProperties());
 * String version = nativeXpc.productVersion().orElse("unknown");
 * }</pre>
 */
public final class XpcNative {

	private static final Map<NativeLibraries, XpcNative> LOADED = new ConcurrentHashMap<>();

	private static final Map<String, Object> OPTIONS = Map.of(Library.OPTION_STRING_ENCODING, "UTF-8");

	private final NativeLibraries paths;

	private final LibXpc xpc;

	private final LibXpcPeerRequirements requirements;

	private final LibDispatch dispatch;

	private final SecurityFramework security;

	private final AuthorizationFramework authorization;

	private final CoreFoundation coreFoundation;

	private final LibSystem system;

	private final XpcConstants constants;

	private final Blocks blocks;

	private final XpcValues values;

	private final Availability availability;

	private volatile @Nullable LibXpcPrivate privateXpc;

	private XpcNative(NativeLibraries paths) {
		this.paths = paths;
		NativeLibrary xpcLibrary = NativeLibrary.getInstance(paths.xpc(), OPTIONS);
		NativeLibrary securityLibrary = NativeLibrary.getInstance(paths.security(), OPTIONS);
		this.xpc = Native.load(paths.xpc(), LibXpc.class, OPTIONS);
		this.requirements = Native.load(paths.xpc(), LibXpcPeerRequirements.class, OPTIONS);
		this.dispatch = Native.load(paths.dispatch(), LibDispatch.class, OPTIONS);
		this.security = Native.load(paths.security(), SecurityFramework.class, OPTIONS);
		this.authorization = Native.load(paths.security(), AuthorizationFramework.class, OPTIONS);
		this.coreFoundation = Native.load(paths.coreFoundation(), CoreFoundation.class, OPTIONS);
		this.system = Native.load(paths.system(), LibSystem.class, OPTIONS);
		this.constants = new XpcConstants(xpcLibrary);
		this.blocks = new Blocks(NativeLibrary.getInstance(paths.blocks(), OPTIONS));
		this.values = new XpcValues(this.xpc, this.constants, this.blocks);
		this.availability = Availability.probe(xpcLibrary, securityLibrary);
	}

	/** The native side for these library paths, loaded once per process. */
	public static XpcNative load(NativeLibraries paths) {
		return LOADED.computeIfAbsent(paths, XpcNative::new);
	}

	/** Library paths in use. */
	public NativeLibraries paths() {
		return this.paths;
	}

	/** libxpc (functions present on every supported macOS). */
	public LibXpc xpc() {
		return this.xpc;
	}

	/** libxpc's version-specific functions; check {@link #availability()} first. */
	public LibXpcPeerRequirements requirements() {
		return this.requirements;
	}

	/**
	 * libxpc's exported but undocumented functions, bound on first use: only the private audit-token route calls
	 * them, and only after {@link #availability()} found the symbol.
	 */
	public LibXpcPrivate privateXpc() {
		LibXpcPrivate bound = this.privateXpc;
		if (bound == null) {
			synchronized (this) {
				bound = this.privateXpc;
				if (bound == null) {
					bound = Native.load(this.paths.xpc(), LibXpcPrivate.class, OPTIONS);
					this.privateXpc = bound;
				}
			}
		}
		return bound;
	}

	/** libdispatch. */
	public LibDispatch dispatch() {
		return this.dispatch;
	}

	/** Security.framework. */
	public SecurityFramework security() {
		return this.security;
	}

	/** Authorization Services, of Security.framework. */
	public AuthorizationFramework authorization() {
		return this.authorization;
	}

	/** CoreFoundation. */
	public CoreFoundation coreFoundation() {
		return this.coreFoundation;
	}

	/** The XPC type and error constants. */
	public XpcConstants constants() {
		return this.constants;
	}

	/** The block factory. */
	public Blocks blocks() {
		return this.blocks;
	}

	/** The XPC ⇄ Java converter. */
	public XpcValues values() {
		return this.values;
	}

	/** Which version-specific symbols this libxpc and Security.framework export. */
	public Availability availability() {
		return this.availability;
	}

	/** {@code kern.osproductversion} (e.g. {@code 14.4.1}), empty when it cannot be read. */
	public Optional<String> productVersion() {
		LongByReference length = new LongByReference();
		if (this.system.sysctlbyname("kern.osproductversion", null, length, null, 0) != 0 || length.getValue() <= 0
				|| length.getValue() > 256) {
			return Optional.empty();
		}
		byte[] buffer = new byte[(int) length.getValue()];
		if (this.system.sysctlbyname("kern.osproductversion", buffer, length, null, 0) != 0) {
			return Optional.empty();
		}
		int end = 0;
		while (end < buffer.length && buffer[end] != 0) {
			end++;
		}
		return Optional.of(new String(buffer, 0, end, StandardCharsets.UTF_8));
	}

	/** A Java string from a CFString, {@code null} for {@code NULL}. */
	public @Nullable String string(@Nullable Pointer cfString) {
		if (cfString == null) {
			return null;
		}
		long length = this.coreFoundation.CFStringGetLength(cfString);
		long size = this.coreFoundation.CFStringGetMaximumSizeForEncoding(length, CoreFoundation.UTF8) + 1;
		byte[] buffer = new byte[(int) Math.min(size, 1 << 20)];
		if (this.coreFoundation.CFStringGetCString(cfString, buffer, buffer.length, CoreFoundation.UTF8) == 0) {
			return null;
		}
		int end = 0;
		while (end < buffer.length && buffer[end] != 0) {
			end++;
		}
		return new String(buffer, 0, end, StandardCharsets.UTF_8);
	}

	/** The description of a CFError, and releases it. */
	public String consumeError(Pointer cfError) {
		try {
			Pointer description = this.coreFoundation.CFErrorCopyDescription(cfError);
			try {
				String text = string(description);
				return (text != null) ? text : "unknown error";
			}
			finally {
				if (description != null) {
					this.coreFoundation.CFRelease(description);
				}
			}
		}
		finally {
			this.coreFoundation.CFRelease(cfError);
		}
	}

	/** A C string that native code allocated with malloc, freed after reading. */
	public String consumeMallocString(Pointer chars) {
		try {
			return chars.getString(0, "UTF-8");
		}
		finally {
			Native.free(Pointer.nativeValue(chars));
		}
	}

	/**
	 * Which version-specific symbols exist. Probed once with {@code dlsym}: JNA binds interface methods lazily, so
	 * a missing symbol would otherwise surface only as an {@link UnsatisfiedLinkError} at the first call.
	 *
	 * @param present symbol → whether it is exported
	 */
	public record Availability(Map<String, Boolean> present) {

		/** The symbols probed (functions and data). */
		public static Availability probe(NativeLibrary xpc, NativeLibrary security) {
			Map<String, Boolean> present = new LinkedHashMap<>();
			for (Method method : LibXpcPeerRequirements.class.getMethods()) {
				if (method.getDeclaringClass() == LibXpcPeerRequirements.class) {
					present.put(method.getName(), hasFunction(xpc, method.getName()));
				}
			}
			present.put("_xpc_error_peer_code_signing_requirement",
					XpcConstants.optional(xpc, "_xpc_error_peer_code_signing_requirement") != null);
			present.put("SecCodeCreateWithXPCMessage", hasFunction(security, "SecCodeCreateWithXPCMessage"));
			// the macOS 10.x fallbacks: a private libxpc function, and Security's guest lookup with its keys
			present.put("xpc_dictionary_get_audit_token", hasFunction(xpc, "xpc_dictionary_get_audit_token"));
			present.put("xpc_connection_get_pid", hasFunction(xpc, "xpc_connection_get_pid"));
			present.put("SecCodeCopyGuestWithAttributes", hasFunction(security, "SecCodeCopyGuestWithAttributes"));
			present.put("kSecGuestAttributeAudit", XpcConstants.optional(security, "kSecGuestAttributeAudit") != null);
			present.put("kSecGuestAttributePid", XpcConstants.optional(security, "kSecGuestAttributePid") != null);
			return new Availability(Map.copyOf(present));
		}

		private static boolean hasFunction(NativeLibrary library, String name) {
			try {
				library.getFunction(name);
				return true;
			}
			catch (UnsatisfiedLinkError ex) {
				return false;
			}
		}

		/** Whether the symbol is exported. */
		public boolean has(String symbol) {
			return Boolean.TRUE.equals(this.present.get(symbol));
		}

		/** Whether all the symbols are exported. */
		public boolean hasAll(String... symbols) {
			return Arrays.stream(symbols).allMatch(this::has);
		}

		/** The probed symbols that are missing, sorted. */
		public java.util.SortedSet<String> missing() {
			TreeSet<String> missing = new TreeSet<>();
			this.present.forEach((symbol, has) -> {
				if (!has) {
					missing.add(symbol);
				}
			});
			return missing;
		}

	}

}
