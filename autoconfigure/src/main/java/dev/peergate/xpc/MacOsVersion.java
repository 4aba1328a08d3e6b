package dev.peergate.xpc;

import java.util.Objects;

/**
 * A macOS product version ({@code kern.osproductversion}), compared by major and minor.
 *
 * <pre>{@code
 * MacOsVersion.parse("14.4.1").atLeast(14, 4); // true
 * }</pre>
 *
 * @param major major version (11, 12, ..., 26)
 * @param minor minor version
 * @param text the version as read
 */
public record MacOsVersion(int major, int minor, String text) implements Comparable<MacOsVersion> {

	public MacOsVersion {
		Objects.requireNonNull(text, "'text' must not be null");
	}

	/** Parses {@code 14}, {@code 14.4} or {@code 14.4.1}. */
	public static MacOsVersion parse(String text) {
		String[] parts = text.trim().split("\\.");
		try {
			int major = Integer.parseInt(parts[0]);
			int minor = (parts.length > 1) ? Integer.parseInt(parts[1]) : 0;
			return new MacOsVersion(major, minor, text.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Not a macOS version: '" + text + "'", ex);
		}
	}

	/** Whether this version is at least {@code major.minor}. */
	public boolean atLeast(int major, int minor) {
		return this.major > major || (this.major == major && this.minor >= minor);
	}

	@Override
	public int compareTo(MacOsVersion other) {
		return (this.major != other.major) ? Integer.compare(this.major, other.major)
				: Integer.compare(this.minor, other.minor);
	}

	@Override
	public String toString() {
		return this.text;
	}

}
