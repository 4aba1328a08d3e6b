package com.example.helper;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.peergate.autoconfigure.LaunchdPlistGenerator;
import dev.peergate.autoconfigure.ListenerConfigurationException;
import dev.peergate.autoconfigure.PeergateProperties;
import dev.peergate.xpc.LaunchdPlist;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar peergate-sample-app.jar launchd-plist [--property=value ...]} prints the launchd plist that runs
 * this helper as an XPC Mach service on macOS: the helper's configuration ({@code application.yml} plus the given
 * arguments) names the services, and the plist runs the same command without the word {@code launchd-plist}, so
 * the service launchd starts reads the configuration the plist was generated from. Where to install it goes to
 * standard error. Exit status 0 on success, 1 when the configuration has no XPC listener or is inconsistent.
 */
final class LaunchdPlistCommand {

	static final String NAME = "launchd-plist";

	private LaunchdPlistCommand() {
	}

	/**
	 * Prints the plist.
	 * @param arguments the arguments after {@code launchd-plist}, as Spring Boot command-line properties
	 * @param serviceCommand the command launchd runs, program first
	 * @param currentDirectory the directory it runs in
	 */
	static int run(String[] arguments, List<String> serviceCommand, String currentDirectory, PrintStream out,
			PrintStream err) {
		try (ConfigurableApplicationContext context = configuration(arguments)) {
			PeergateProperties properties = Binder.get(context.getEnvironment())
				.bindOrCreate("peergate", PeergateProperties.class);
			LaunchdPlist plist = new LaunchdPlistGenerator(properties, () -> serviceCommand, () -> currentDirectory)
				.plist();
			out.print(plist.toXml());
			err.println("Save as " + plist.installPath() + (plist.kind() == LaunchdPlist.Kind.LAUNCH_AGENT
					? ", then: launchctl bootstrap gui/$(id -u) " + plist.installPath()
					: ", then: sudo launchctl bootstrap system " + plist.installPath()));
			return 0;
		}
		catch (ListenerConfigurationException ex) {
			err.println("failed: " + ex.getMessage() + ". " + ex.action());
			return 1;
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			err.println("failed: " + ex.getMessage());
			return 1;
		}
	}

	/**
	 * The command that runs the service: the running command without the word {@code launchd-plist}.
	 * @param runningCommand this process's command, program first, ending with {@code mainArguments}
	 * @param mainArguments the arguments of {@code main}, starting with {@code launchd-plist}
	 * @throws IllegalStateException when the running command does not end with the main arguments (a launcher that
	 * rewrites them); then set {@code peergate.launchd.program-arguments}
	 */
	static List<String> serviceCommand(List<String> runningCommand, String[] mainArguments) {
		int start = runningCommand.size() - mainArguments.length;
		if (mainArguments.length == 0 || !mainArguments[0].equals(NAME) || start < 1
				|| !runningCommand.subList(start, runningCommand.size()).equals(Arrays.asList(mainArguments))) {
			throw new IllegalStateException("cannot find '" + String.join(" ", mainArguments) + "' at the end of "
					+ "this process's command " + runningCommand + "; set peergate.launchd.program-arguments");
		}
		List<String> command = new ArrayList<>(runningCommand);
		command.remove(start);
		return command;
	}

	/**
	 * The helper's configuration without the helper: application.yml, profiles and these arguments, no beans, no
	 * web server, log lines off standard output (a command prints its result there).
	 */
	static ConfigurableApplicationContext configuration(String[] arguments) {
		return new SpringApplicationBuilder(ConfigurationOnly.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("logging.level.root=warn")
			.run(arguments);
	}

	/** No beans: the command only needs the environment (application.yml, profiles, arguments). */
	static final class ConfigurationOnly {

	}

}
