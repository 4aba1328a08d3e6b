package dev.peergate.unix.peer;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a process's cgroup (the content of {@code /proc/<pid>/cgroup}) to the systemd unit it runs in, following
 * systemd's {@code cg_path_get_unit}: leading {@code .slice} components are skipped, the next component is the
 * unit if it has a unit suffix.
 *
 * <pre>{@code
 * SystemdUnits.unitOf(List.of("0::/system.slice/sshd.service")); // Optional[sshd.service]
 * }</pre>
 */
public final class SystemdUnits {

	private static final Set<String> UNIT_SUFFIXES = Set.of("service", "scope", "socket", "mount", "swap", "target",
			"device", "automount", "path", "timer");

	private SystemdUnits() {
	}

	/**
	 * The unit of a process given the lines of its {@code /proc/<pid>/cgroup}: the cgroup v2 line ({@code 0::}) and,
	 * on hybrid systems where that line is the root, the {@code name=systemd} v1 line.
	 */
	public static Optional<String> unitOf(List<String> cgroupLines) {
		String unified = null;
		String named = null;
		for (String line : cgroupLines) {
			if (line.startsWith("0::")) {
				unified = line.substring(3);
			}
			else {
				int first = line.indexOf(':');
				int second = (first >= 0) ? line.indexOf(':', first + 1) : -1;
				if (second > 0 && line.substring(first + 1, second).equals("name=systemd")) {
					named = line.substring(second + 1);
				}
			}
		}
		String path = (unified != null && !unified.equals("/")) ? unified : (named != null) ? named : unified;
		return (path != null) ? unitOfPath(path) : Optional.empty();
	}

	/** The unit of one cgroup path, e.g. {@code /system.slice/foo.service/payload} gives {@code foo.service}. */
	public static Optional<String> unitOfPath(String cgroupPath) {
		for (String component : cgroupPath.split("/")) {
			if (component.isEmpty() || component.endsWith(".slice")) {
				continue;
			}
			return isUnitName(component) ? Optional.of(component) : Optional.empty();
		}
		return Optional.empty();
	}

	private static boolean isUnitName(String name) {
		int dot = name.lastIndexOf('.');
		if (dot <= 0 || !UNIT_SUFFIXES.contains(name.substring(dot + 1))) {
			return false;
		}
		for (int i = 0; i < dot; i++) {
			char c = name.charAt(i);
			if (!(Character.isLetterOrDigit(c) || c == ':' || c == '-' || c == '_' || c == '.' || c == '\\' || c == '@')) {
				return false;
			}
		}
		return true;
	}

}
