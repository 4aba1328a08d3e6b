package dev.peergate.xpc.jna;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where the native libraries are loaded from. Defaults are the macOS install names (since macOS 11 they live only
 * in the dyld shared cache; {@code dlopen} of the path still works). Each path can be overridden by a system
 * property, and {@value #ALL_PROPERTY} overrides them all with one image that exports every symbol (how the test
 * suite loads its ABI simulator); nothing else changes.
 *
 * <pre>{@code
 * NativeLibraries paths = NativeLibraries.fromSystemProperties();
 * paths.xpc(); // "/usr/lib/system/libxpc.dylib" unless -Dpeergate.xpc.library.xpc=... is set
 * }</pre>
 *
 * @param xpc libxpc
 * @param dispatch libdispatch
 * @param blocks the blocks runtime ({@code _NSConcreteStackBlock})
 * @param security Security.framework
 * @param coreFoundation CoreFoundation.framework
 * @param system libSystem ({@code sysctlbyname})
 */
public record NativeLibraries(String xpc, String dispatch, String blocks, String security, String coreFoundation,
		String system) {

	/** Overrides every library path with one image. */
	public static final String ALL_PROPERTY = "peergate.xpc.library";

	/** Prefix of the per-library properties: {@code peergate.xpc.library.xpc}, {@code ...dispatch}, .... */
	public static final String PROPERTY_PREFIX = ALL_PROPERTY + ".";

	/** The macOS system libraries. */
	public static final NativeLibraries MACOS = new NativeLibraries("/usr/lib/system/libxpc.dylib",
			"/usr/lib/system/libdispatch.dylib", "/usr/lib/system/libsystem_blocks.dylib",
			"/System/Library/Frameworks/Security.framework/Security",
			"/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation", "/usr/lib/libSystem.B.dylib");

	public NativeLibraries {
		Objects.requireNonNull(xpc, "'xpc' must not be null");
		Objects.requireNonNull(dispatch, "'dispatch' must not be null");
		Objects.requireNonNull(blocks, "'blocks' must not be null");
		Objects.requireNonNull(security, "'security' must not be null");
		Objects.requireNonNull(coreFoundation, "'coreFoundation' must not be null");
		Objects.requireNonNull(system, "'system' must not be null");
	}

	/** The paths from the system properties, falling back to {@link #MACOS}. */
	public static NativeLibraries fromSystemProperties() {
		return from(Map.copyOf(System.getProperties().entrySet()
			.stream()
			.filter((entry) -> entry.getKey() instanceof String && entry.getValue() instanceof String)
			.collect(java.util.stream.Collectors.toMap((entry) -> (String) entry.getKey(),
					(entry) -> (String) entry.getValue()))));
	}

	/** The paths from a property map, falling back to {@link #MACOS}. */
	public static NativeLibraries from(Map<String, String> properties) {
		String all = properties.get(ALL_PROPERTY);
		return new NativeLibraries(pick(properties, "xpc", all, MACOS.xpc),
				pick(properties, "dispatch", all, MACOS.dispatch), pick(properties, "blocks", all, MACOS.blocks),
				pick(properties, "security", all, MACOS.security),
				pick(properties, "corefoundation", all, MACOS.coreFoundation),
				pick(properties, "system", all, MACOS.system));
	}

	private static String pick(Map<String, String> properties, String name, @Nullable String all, String fallback) {
		String specific = properties.get(PROPERTY_PREFIX + name);
		if (specific != null && !specific.isBlank()) {
			return specific;
		}
		return (all != null && !all.isBlank()) ? all : fallback;
	}

}
