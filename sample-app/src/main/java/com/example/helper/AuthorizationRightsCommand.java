package com.example.helper;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.peergate.autoconfigure.PeergateProperties;
import dev.peergate.xpc.AuthorizationRightsInstaller;
import dev.peergate.xpc.jna.NativeLibraries;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code sudo java -jar peergate-sample-app.jar authorization-rights [--rule=authenticate-admin] [--property=value
 * ...]} does what a helper's installer does on macOS: it defines in the system's rights database every
 * Authorization Services right the configuration's methods require
 * ({@code peergate.listeners.<name>.methods[<method>].authorization-right}), leaving rights already defined as they
 * are. {@code --rule} is a rule of the database ({@code authenticate-admin}, {@code allow}, ...) or
 * {@code group:<name>}. Exit status 0 on success, 1 when nothing is configured, off macOS, or when a right could
 * not be defined.
 */
final class AuthorizationRightsCommand {

	static final String NAME = "authorization-rights";

	private static final String RULE_OPTION = "--rule=";

	private AuthorizationRightsCommand() {
	}

	static int run(String[] arguments, NativeLibraries libraries, PrintStream out, PrintStream err) {
		String rule = "authenticate-admin";
		List<String> properties = new ArrayList<>();
		for (String argument : arguments) {
			if (argument.startsWith(RULE_OPTION)) {
				rule = argument.substring(RULE_OPTION.length());
			}
			else {
				properties.add(argument);
			}
		}
		Set<String> rights = configuredRights(properties.toArray(String[]::new));
		if (rights.isEmpty()) {
			err.println("failed: no method names an authorization-right "
					+ "(peergate.listeners.<name>.methods[<method>].authorization-right)");
			return 1;
		}
		try {
			AuthorizationRightsInstaller.of(libraries).install(rights, rule).forEach(out::println);
			return 0;
		}
		catch (LinkageError ex) {
			err.println("failed: Authorization Services need macOS (Security.framework could not be loaded: "
					+ ex.getMessage() + ")");
			return 1;
		}
		catch (IllegalStateException ex) {
			err.println("failed: " + ex.getMessage());
			return 1;
		}
	}

	private static Set<String> configuredRights(String[] arguments) {
		try (ConfigurableApplicationContext context = LaunchdPlistCommand.configuration(arguments)) {
			PeergateProperties properties = Binder.get(context.getEnvironment())
				.bindOrCreate("peergate", PeergateProperties.class);
			Set<String> rights = new LinkedHashSet<>();
			properties.getListeners()
				.values()
				.forEach((listener) -> listener.getMethods().values().forEach((method) -> {
					if (method.getAuthorizationRight() != null) {
						rights.add(method.getAuthorizationRight());
					}
				}));
			return rights;
		}
	}

	static int main(String[] args) {
		return run(Arrays.copyOfRange(args, 1, args.length), NativeLibraries.fromSystemProperties(), System.out,
				System.err);
	}

}
