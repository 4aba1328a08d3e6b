package dev.peergate.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerListener;
import dev.peergate.xpc.XpcListener;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Contributes {@code peergate} to {@code /actuator/info}: the OS, its version, and what peer verification it
 * offers (kernel and pidfd support on Linux). When XPC listeners exist: the macOS version their mechanisms were
 * chosen for and, per XPC listener, the mechanism, who enforces the requirement and whether Peergate sees every
 * rejection.
 *
 * <pre>{@code
 * new PlatformInfoContributor(peergateListeners::listeners);
 * // peergate: {os: "Mac OS X", ..., macOsVersion: "14.4",
 * //   xpc: {helper: {service: "com.example.helper", mechanism: "xpc-lightweight-code-requirement",
 * //     enforcement: "os", rejectionsVisible: false}}}
 * }</pre>
 */
public final class PlatformInfoContributor implements InfoContributor {

	private final Supplier<? extends Collection<? extends PeerListener>> listeners;

	/** Platform facts only, no listeners. */
	public PlatformInfoContributor() {
		this(List::of);
	}

	/**
	 * Platform facts and the XPC listeners among these (read at every contribution, so a supplier over the
	 * configured listeners may be passed before they exist).
	 */
	public PlatformInfoContributor(Supplier<? extends Collection<? extends PeerListener>> listeners) {
		this.listeners = listeners;
	}

	@Override
	public void contribute(Info.Builder builder) {
		Map<String, Object> details = platform();
		Collection<? extends PeerListener> all = this.listeners.get();
		details.putAll(xpc(all));
		List<String> audited = all.stream().filter((listener) -> listener.gate().audit()).map(PeerListener::name).toList();
		if (!audited.isEmpty()) {
			details.put("auditedListeners", audited); // refusals recorded, not enforced
		}
		builder.withDetail("peergate", details);
	}

	/**
	 * The macOS facts of the XPC listeners; empty without any. Every listener read the same
	 * {@code kern.osproductversion}, so the first one's version stands for all.
	 */
	static Map<String, Object> xpc(Collection<? extends PeerListener> listeners) {
		Map<String, Object> perListener = new LinkedHashMap<>();
		String version = null;
		for (PeerListener listener : listeners) {
			if (listener instanceof XpcListener xpc) {
				if (version == null) {
					version = xpc.macOsVersion().toString();
				}
				Mechanism mechanism = xpc.mechanism();
				Map<String, Object> facts = new LinkedHashMap<>();
				facts.put("service", xpc.address());
				facts.put("mechanism", mechanism.tag());
				facts.put("enforcement", mechanism.enforcedByOs() ? "os" : "observed");
				// under os libxpc drops a refused peer's messages: only a sender awaiting a reply surfaces, without facts
				facts.put("rejectionsVisible", !mechanism.enforcedByOs());
				perListener.put(xpc.name(), facts);
			}
		}
		if (version == null) {
			return Map.of();
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("macOsVersion", version);
		details.put("xpc", perListener);
		return details;
	}

	static Map<String, Object> platform() {
		Map<String, Object> details = new LinkedHashMap<>();
		String os = System.getProperty("os.name", "unknown");
		details.put("os", os);
		details.put("osVersion", System.getProperty("os.version", "unknown"));
		details.put("arch", System.getProperty("os.arch", "unknown"));
		details.put("javaVersion", Runtime.version().toString());
		details.put("virtualThreads", Runtime.version().feature() >= 21);
		if (os.toLowerCase(Locale.ROOT).startsWith("linux")) {
			String kernel = kernelRelease();
			details.put("kernel", kernel);
			details.put("soPeerPidfd", atLeast(kernel, 6, 5));
			details.put("pidfdGetInfo", atLeast(kernel, 6, 13));
			details.put("transports", java.util.List.of("unix", "in-process"));
		}
		else if (os.toLowerCase(Locale.ROOT).startsWith("mac")) {
			details.put("transports", java.util.List.of("xpc", "unix", "in-process"));
		}
		return details;
	}

	private static String kernelRelease() {
		try {
			return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
		}
		catch (IOException ex) {
			return System.getProperty("os.version", "unknown");
		}
	}

	static boolean atLeast(String release, int major, int minor) {
		String[] parts = release.split("[.-]");
		try {
			int actualMajor = Integer.parseInt(parts[0]);
			int actualMinor = (parts.length > 1) ? Integer.parseInt(parts[1]) : 0;
			return actualMajor > major || (actualMajor == major && actualMinor >= minor);
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

}
