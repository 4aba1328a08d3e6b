package dev.peergate.xpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Generates the launchd property list that declares an XPC Mach service: a Mach service exists only if launchd
 * declares it in the {@code MachServices} dictionary of the job that runs the listener.
 * <ul>
 * <li>{@link Kind#LAUNCH_AGENT}: per user session, {@code ~/Library/LaunchAgents/<label>.plist}.</li>
 * <li>{@link Kind#LAUNCH_DAEMON}: system-wide, as root (or {@code UserName}), {@code /Library/LaunchDaemons}.</li>
 * <li>{@link #forAppService()}: the same job for {@code SMAppService} (macOS 13+), shipped inside the app bundle at
 * {@code Contents/Library/LaunchAgents|LaunchDaemons/<label>.plist} with {@code BundleProgram} (a path relative to
 * the bundle) instead of an absolute first program argument, and {@code AssociatedBundleIdentifiers}.</li>
 * </ul>
 * The job is launched on demand by the first connection (no {@code RunAtLoad}, no {@code KeepAlive}).
 *
 * <pre>{@code
 * String plist = LaunchdPlist.agent("com.example.helper", List.of("/Applications/Helper.app/Contents/MacOS/Helper"))
 *     .machService("com.example.helper")
 *     .toXml();
 * }</pre>
 */
public final class LaunchdPlist {

	/** Where the job runs. */
	public enum Kind {

		/** A per-user LaunchAgent. */
		LAUNCH_AGENT("LaunchAgents"),

		/** A system LaunchDaemon. */
		LAUNCH_DAEMON("LaunchDaemons");

		private final String directory;

		Kind(String directory) {
			this.directory = directory;
		}

		/** The directory name under {@code Library}. */
		public String directory() {
			return this.directory;
		}

	}

	private final Kind kind;

	private final String label;

	private final List<String> programArguments;

	private final List<String> machServices;

	private final @Nullable String userName;

	private final @Nullable String bundleProgram;

	private final List<String> associatedBundleIdentifiers;

	private LaunchdPlist(Kind kind, String label, List<String> programArguments, List<String> machServices,
			@Nullable String userName, @Nullable String bundleProgram, List<String> associatedBundleIdentifiers) {
		this.kind = kind;
		this.label = label;
		this.programArguments = List.copyOf(programArguments);
		this.machServices = List.copyOf(machServices);
		this.userName = userName;
		this.bundleProgram = bundleProgram;
		this.associatedBundleIdentifiers = List.copyOf(associatedBundleIdentifiers);
	}

	/** A LaunchAgent running the program. */
	public static LaunchdPlist agent(String label, List<String> programArguments) {
		return create(Kind.LAUNCH_AGENT, label, programArguments);
	}

	/** A LaunchDaemon running the program. */
	public static LaunchdPlist daemon(String label, List<String> programArguments) {
		return create(Kind.LAUNCH_DAEMON, label, programArguments);
	}

	private static LaunchdPlist create(Kind kind, String label, List<String> programArguments) {
		Objects.requireNonNull(label, "'label' must not be null");
		if (label.isBlank() || label.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("A launchd label must be non-empty without spaces, e.g. com.example.helper");
		}
		if (programArguments.isEmpty()) {
			throw new IllegalArgumentException("At least the program path is required");
		}
		return new LaunchdPlist(kind, label, programArguments, List.of(), null, null, List.of());
	}

	/** Declares a Mach service name the listener will use (XpcListenerOptions.serviceName). */
	public LaunchdPlist machService(String serviceName) {
		List<String> services = new ArrayList<>(this.machServices);
		services.add(Objects.requireNonNull(serviceName, "'serviceName' must not be null"));
		return new LaunchdPlist(this.kind, this.label, this.programArguments, services, this.userName,
				this.bundleProgram, this.associatedBundleIdentifiers);
	}

	/** Runs a daemon as this user instead of root. */
	public LaunchdPlist userName(String userName) {
		if (this.kind != Kind.LAUNCH_DAEMON) {
			throw new IllegalStateException("UserName applies to LaunchDaemons only");
		}
		return new LaunchdPlist(this.kind, this.label, this.programArguments, this.machServices, userName,
				this.bundleProgram, this.associatedBundleIdentifiers);
	}

	/**
	 * The job for {@code SMAppService}: the first program argument becomes {@code BundleProgram} (relative to the
	 * app bundle, e.g. {@code Contents/MacOS/Helper}) and the app's bundle identifiers are associated so System
	 * Settings shows the app as the owner.
	 */
	public LaunchdPlist forAppService(String bundleProgram, List<String> associatedBundleIdentifiers) {
		if (bundleProgram.startsWith("/")) {
			throw new IllegalArgumentException("BundleProgram is relative to the app bundle: " + bundleProgram);
		}
		return new LaunchdPlist(this.kind, this.label, this.programArguments, this.machServices, this.userName,
				bundleProgram, associatedBundleIdentifiers);
	}

	/** The job kind. */
	public Kind kind() {
		return this.kind;
	}

	/** Where launchd (or the bundle, for SMAppService) expects the file, {@code ~} meaning the user's home. */
	public String installPath() {
		if (this.bundleProgram != null) {
			return "Contents/Library/" + this.kind.directory() + "/" + this.label + ".plist";
		}
		return ((this.kind == Kind.LAUNCH_AGENT) ? "~/Library/" : "/Library/") + this.kind.directory() + "/"
				+ this.label + ".plist";
	}

	/** The property list as XML. */
	public String toXml() {
		if (this.machServices.isEmpty()) {
			throw new IllegalStateException("Declare at least one Mach service: without it no XPC listener can start");
		}
		if (this.bundleProgram == null && !this.programArguments.get(0).startsWith("/")) {
			throw new IllegalStateException("launchd needs an absolute program path: " + this.programArguments.get(0));
		}
		StringBuilder xml = new StringBuilder();
		xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		xml.append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" ")
			.append("\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
		xml.append("<plist version=\"1.0\">\n<dict>\n");
		key(xml, "Label").append("\t<string>").append(escape(this.label)).append("</string>\n");
		if (this.bundleProgram != null) {
			key(xml, "BundleProgram").append("\t<string>").append(escape(this.bundleProgram)).append("</string>\n");
			array(xml, "AssociatedBundleIdentifiers", this.associatedBundleIdentifiers);
		}
		array(xml, "ProgramArguments", this.programArguments);
		key(xml, "MachServices").append("\t<dict>\n");
		for (String service : this.machServices) {
			xml.append("\t\t<key>").append(escape(service)).append("</key>\n\t\t<true/>\n");
		}
		xml.append("\t</dict>\n");
		if (this.userName != null) {
			key(xml, "UserName").append("\t<string>").append(escape(this.userName)).append("</string>\n");
		}
		key(xml, "ProcessType").append("\t<string>Interactive</string>\n");
		xml.append("</dict>\n</plist>\n");
		return xml.toString();
	}

	private static StringBuilder key(StringBuilder xml, String key) {
		return xml.append("\t<key>").append(key).append("</key>\n");
	}

	private static void array(StringBuilder xml, String key, List<String> values) {
		key(xml, key).append("\t<array>\n");
		for (String value : values) {
			xml.append("\t\t<string>").append(escape(value)).append("</string>\n");
		}
		xml.append("\t</array>\n");
	}

	private static String escape(String value) {
		return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
