package dev.peergate.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Contributes {@code peergate} to {@code /actuator/info}: the OS, its version, and what peer verification it
 * offers (kernel and pidfd support on Linux; macOS version and mechanisms on macOS).
 */
public final class PlatformInfoContributor implements InfoContributor {

	@Override
	public void contribute(Info.Builder builder) {
		builder.withDetail("peergate", platform());
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
