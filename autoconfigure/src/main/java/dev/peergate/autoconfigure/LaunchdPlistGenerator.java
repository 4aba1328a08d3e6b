package dev.peergate.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.peergate.autoconfigure.PeergateProperties.Launchd;
import dev.peergate.autoconfigure.PeergateProperties.LaunchdKind;
import dev.peergate.autoconfigure.PeergateProperties.Listener;
import dev.peergate.autoconfigure.PeergateProperties.Transport;
import dev.peergate.xpc.LaunchdPlist;
import org.jspecify.annotations.Nullable;

/**
 * Generates this application's launchd job from its configuration and the command it runs with:
 * <ul>
 * <li>{@code MachServices}: the {@code xpc.service-name} of every listener that is XPC on macOS — transport
 * {@code xpc}, or {@code auto} with a service name (on macOS {@code auto} resolves to xpc exactly then). The rule
 * does not depend on the OS this runs on, so the plist can be generated on Linux or in CI.</li>
 * <li>{@code ProgramArguments}: {@code peergate.launchd.program-arguments}, else the running process's command
 * and arguments ({@link ProcessHandle.Info}): for {@code java -jar app.jar} the {@code java} launcher and the jar;
 * for a {@code jpackage} app its launcher. The running command comes with {@code WorkingDirectory} set to the
 * current directory, so relative paths among the arguments resolve as they did.</li>
 * <li>{@code Label}: {@code peergate.launchd.label}, else the first service name.</li>
 * </ul>
 *
 * <pre>{@code
 * String xml = new LaunchdPlistGenerator(properties).plist().toXml();
 * }</pre>
 */
public final class LaunchdPlistGenerator {

	private static final String PREFIX = "peergate.launchd";

	private final PeergateProperties properties;

	private final Supplier<List<String>> runningCommand;

	private final Supplier<String> currentDirectory;

	/** A generator for the given configuration and the running process. */
	public LaunchdPlistGenerator(PeergateProperties properties) {
		this(properties, () -> commandOf(ProcessHandle.current().info()), () -> System.getProperty("user.dir"));
	}

	/**
	 * A generator for the given configuration and command, e.g. the running command without a CLI's own
	 * subcommand.
	 * @param properties the configuration
	 * @param runningCommand the command used when {@code peergate.launchd.program-arguments} is empty, program
	 * first
	 * @param currentDirectory the working directory of that command
	 */
	public LaunchdPlistGenerator(PeergateProperties properties, Supplier<List<String>> runningCommand,
			Supplier<String> currentDirectory) {
		this.properties = properties;
		this.runningCommand = runningCommand;
		this.currentDirectory = currentDirectory;
	}

	/**
	 * The command and arguments of a process, program first.
	 * @throws IllegalStateException when the OS does not report them (then set
	 * {@code peergate.launchd.program-arguments})
	 */
	public static List<String> commandOf(ProcessHandle.Info info) {
		String command = info.command()
			.orElseThrow(() -> new ListenerConfigurationException(PREFIX + ".program-arguments",
					"the OS does not report the command of this process",
					"Set " + PREFIX + ".program-arguments to the command launchd should run"));
		String[] arguments = info.arguments()
			.orElseThrow(() -> new ListenerConfigurationException(PREFIX + ".program-arguments",
					"the OS does not report the arguments of this process",
					"Set " + PREFIX + ".program-arguments to the command launchd should run"));
		List<String> commandLine = new ArrayList<>(arguments.length + 1);
		commandLine.add(command);
		commandLine.addAll(Arrays.asList(arguments));
		return commandLine;
	}

	/** The service names launchd must declare, in listener order, each once. */
	public List<String> machServices() {
		Set<String> services = new LinkedHashSet<>();
		for (Map.Entry<String, Listener> entry : this.properties.getListeners().entrySet()) {
			Listener listener = entry.getValue();
			String serviceName = listener.getXpc().getServiceName();
			boolean xpcOnMac = listener.getTransport() == Transport.XPC || listener.getTransport() == Transport.AUTO;
			if (xpcOnMac && serviceName != null && !serviceName.isBlank()) {
				services.add(serviceName);
			}
		}
		return List.copyOf(services);
	}

	/**
	 * The job.
	 * @throws ListenerConfigurationException when no listener is XPC on macOS or {@code peergate.launchd.*} is
	 * inconsistent
	 */
	public LaunchdPlist plist() {
		List<String> services = machServices();
		if (services.isEmpty()) {
			throw new ListenerConfigurationException("peergate.listeners", "no listener is an XPC Mach service on macOS",
					"Set peergate.listeners.<name>.xpc.service-name (transport auto or xpc) for the listeners "
							+ "launchd should declare");
		}
		Launchd launchd = this.properties.getLaunchd();
		String label = (launchd.getLabel() != null) ? launchd.getLabel() : services.get(0);
		boolean running = launchd.getProgramArguments().isEmpty();
		List<String> programArguments = running ? this.runningCommand.get() : launchd.getProgramArguments();
		if (programArguments.isEmpty() || !programArguments.get(0).startsWith("/")) {
			throw new ListenerConfigurationException(PREFIX + ".program-arguments",
					"launchd needs the absolute path of the program, not '"
							+ (programArguments.isEmpty() ? "" : programArguments.get(0)) + "'",
					"Start the program with " + PREFIX + ".program-arguments[0] as an absolute path");
		}
		LaunchdPlist plist;
		try {
			plist = LaunchdPlist.forApplication(kind(launchd.getKind()), label, programArguments, services);
		}
		catch (IllegalArgumentException ex) {
			throw new ListenerConfigurationException(PREFIX + ".label", ex.getMessage(),
					"Set " + PREFIX + ".label to a reverse-DNS name such as com.example.helper");
		}
		if (launchd.getUserName() != null) {
			if (launchd.getKind() != LaunchdKind.DAEMON) {
				throw new ListenerConfigurationException(PREFIX + ".user-name",
						"UserName applies to LaunchDaemons only; a LaunchAgent runs as the logged-in user",
						"Set " + PREFIX + ".kind: daemon, or remove " + PREFIX + ".user-name");
			}
			plist = plist.userName(launchd.getUserName());
		}
		String workingDirectory = workingDirectory(launchd, running);
		if (workingDirectory != null) {
			if (!workingDirectory.startsWith("/")) {
				throw new ListenerConfigurationException(PREFIX + ".working-directory",
						"launchd needs an absolute working directory, not '" + workingDirectory + "'",
						"Set " + PREFIX + ".working-directory to an absolute path");
			}
			plist = plist.workingDirectory(workingDirectory);
		}
		return plist;
	}

	private @Nullable String workingDirectory(Launchd launchd, boolean running) {
		if (launchd.getWorkingDirectory() != null) {
			return launchd.getWorkingDirectory();
		}
		// launchd starts jobs in '/': keep relative arguments of the running command (a jar) resolving as they did.
		return running ? this.currentDirectory.get() : null;
	}

	private static LaunchdPlist.Kind kind(LaunchdKind kind) {
		return switch (kind) {
			case AGENT -> LaunchdPlist.Kind.LAUNCH_AGENT;
			case DAEMON -> LaunchdPlist.Kind.LAUNCH_DAEMON;
		};
	}

}
