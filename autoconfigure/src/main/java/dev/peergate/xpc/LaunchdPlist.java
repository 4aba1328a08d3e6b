package dev.peergate.xpc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Generates the launchd property list that declares an XPC Mach service: a Mach service exists only if launchd
 * declares it in the {@code MachServices} dictionary of the job that runs the listener.
 * <ul>
 * <li>{@link Kind#LAUNCH_AGENT}: per user session, {@code ~/Library/LaunchAgents/<label>.plist}.</li>
 * <li>{@link Kind#LAUNCH_DAEMON}: system-wide, as root (or {@code UserName}), {@code /Library/LaunchDaemons}.</li>
 * <li>{@link #forAppService(String, List)}: the same job for {@code SMAppService} (macOS 13+), shipped inside the app bundle at
 * {@code Contents/Library/LaunchAgents|LaunchDaemons/<label>.plist} with {@code BundleProgram} (a path relative to
 * the bundle) instead of an absolute first program argument, and {@code AssociatedBundleIdentifiers}.</li>
 * </ul>
 * The job is launched on demand by the first connection (no {@code RunAtLoad}, no {@code KeepAlive}).
 * {@link #forApplication} builds the whole job at once, e.g. from an application's configuration and its running
 * command.
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

	private final @Nullable String workingDirectory;

	private LaunchdPlist(Kind kind, String label, List<String> programArguments, List<String> machServices,
			@Nullable String userName, @Nullable String bundleProgram, List<String> associatedBundleIdentifiers,
			@Nullable String workingDirectory) {
		this.kind = kind;
		this.label = label;
		this.programArguments = List.copyOf(programArguments);
		this.machServices = List.copyOf(machServices);
		this.userName = userName;
		this.bundleProgram = bundleProgram;
		this.associatedBundleIdentifiers = List.copyOf(associatedBundleIdentifiers);
		this.workingDirectory = workingDirectory;
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
		if (label.isBlank() || label.chars().anyMatch(Character::isWhitespace) || label.contains("/")) {
			// the label also names the plist file: no slash
			throw new IllegalArgumentException(
					"A launchd label must be non-empty without spaces or slashes, e.g. com.example.helper");
		}
		if (programArguments.isEmpty()) {
			throw new IllegalArgumentException("At least the program path is required");
		}
		return new LaunchdPlist(kind, label, programArguments, List.of(), null, null, List.of(), null);
	}

	/**
	 * The whole job of an application at once: its label, the command launchd runs and every Mach service its
	 * XPC listeners use (duplicates are declared once).
	 *
	 * <pre>{@code
	 * LaunchdPlist plist = LaunchdPlist.forApplication(LaunchdPlist.Kind.LAUNCH_AGENT, "com.example.helper",
	 *     List.of("/usr/bin/java", "-jar", "/opt/helper/helper.jar"), List.of("com.example.helper"));
	 * }</pre>
	 * @throws IllegalArgumentException when the label is not usable, the command is empty or there is no service
	 */
	public static LaunchdPlist forApplication(Kind kind, String label, List<String> programArguments,
			Collection<String> machServices) {
		Objects.requireNonNull(kind, "'kind' must not be null");
		if (machServices.isEmpty()) {
			throw new IllegalArgumentException(
					"Declare at least one Mach service: without it no XPC listener can start");
		}
		for (String service : machServices) {
			if (service == null || service.isBlank()) {
				throw new IllegalArgumentException("A Mach service name must not be blank");
			}
		}
		LaunchdPlist job = create(kind, label, programArguments);
		return new LaunchdPlist(job.kind, job.label, job.programArguments,
				List.copyOf(new LinkedHashSet<>(machServices)), null, null, List.of(), null);
	}

	/** Declares a Mach service name the listener will use (XpcListenerOptions.serviceName). */
	public LaunchdPlist machService(String serviceName) {
		List<String> services = new ArrayList<>(this.machServices);
		services.add(Objects.requireNonNull(serviceName, "'serviceName' must not be null"));
		return new LaunchdPlist(this.kind, this.label, this.programArguments, services, this.userName,
				this.bundleProgram, this.associatedBundleIdentifiers, this.workingDirectory);
	}

	/** Runs a daemon as this user instead of root. */
	public LaunchdPlist userName(String userName) {
		if (this.kind != Kind.LAUNCH_DAEMON) {
			throw new IllegalStateException("UserName applies to LaunchDaemons only");
		}
		return new LaunchdPlist(this.kind, this.label, this.programArguments, this.machServices, userName,
				this.bundleProgram, this.associatedBundleIdentifiers, this.workingDirectory);
	}

	/**
	 * The directory launchd starts the job in ({@code WorkingDirectory}); without it launchd starts jobs in
	 * {@code /}, so relative paths among the program arguments (a jar, a config file) would not resolve.
	 */
	public LaunchdPlist workingDirectory(String workingDirectory) {
		if (!workingDirectory.startsWith("/")) {
			throw new IllegalArgumentException("WorkingDirectory must be absolute: " + workingDirectory);
		}
		return new LaunchdPlist(this.kind, this.label, this.programArguments, this.machServices, this.userName,
				this.bundleProgram, this.associatedBundleIdentifiers, workingDirectory);
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
				bundleProgram, associatedBundleIdentifiers, this.workingDirectory);
	}

	/** The job kind. */
	public Kind kind() {
		return this.kind;
	}

	/** The job's label. */
	public String label() {
		return this.label;
	}

	/** The command launchd runs, program first. */
	public List<String> programArguments() {
		return this.programArguments;
	}

	/** The declared Mach service names, in declaration order. */
	public List<String> machServices() {
		return this.machServices;
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
		if (this.workingDirectory != null) {
			key(xml, "WorkingDirectory").append("\t<string>")
				.append(escape(this.workingDirectory))
				.append("</string>\n");
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
		// XML 1.0 cannot carry most control characters, not even as character references: refuse them rather than
		// write a plist launchd cannot read.
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				throw new IllegalArgumentException(
						"A launchd plist cannot contain control character U+" + String.format("%04X", (int) c)
								+ ": " + value.replace(c, '?'));
			}
		}
		return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
