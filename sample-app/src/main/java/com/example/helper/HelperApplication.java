package com.example.helper;

import java.util.Arrays;

import dev.peergate.autoconfigure.LaunchdPlistGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/**
 * The sample helper. {@code java -jar peergate-sample-app.jar} runs the service;
 * {@code java -jar peergate-sample-app.jar call <Method> [json]} runs the command-line client instead;
 * {@code java -jar peergate-sample-app.jar launchd-plist [--property=value ...]} prints the launchd plist that runs
 * the helper as an XPC service on macOS; {@code sudo java -jar peergate-sample-app.jar authorization-rights} defines
 * the Authorization Services rights the configuration's methods require, as a helper's installer would.
 */
@SpringBootApplication
@EnableMethodSecurity
public class HelperApplication {

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("call")) {
			System.exit(HelperCli.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
		}
		if (args.length > 0 && args[0].equals(LaunchdPlistCommand.NAME)) {
			int status;
			try {
				status = LaunchdPlistCommand.run(Arrays.copyOfRange(args, 1, args.length),
						LaunchdPlistCommand.serviceCommand(
								LaunchdPlistGenerator.commandOf(ProcessHandle.current().info()), args),
						System.getProperty("user.dir"), System.out, System.err);
			}
			catch (IllegalStateException ex) {
				System.err.println("failed: " + ex.getMessage());
				status = 1;
			}
			System.exit(status);
		}
		if (args.length > 0 && args[0].equals(AuthorizationRightsCommand.NAME)) {
			System.exit(AuthorizationRightsCommand.main(args));
		}
		SpringApplication.run(HelperApplication.class, args);
	}

}
