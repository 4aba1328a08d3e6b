package com.example.helper;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample helper. {@code java -jar peergate-sample-app.jar} runs the service;
 * {@code java -jar peergate-sample-app.jar call <Method> [json]} runs the command-line client instead.
 */
@SpringBootApplication
public class HelperApplication {

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("call")) {
			System.exit(HelperCli.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
		}
		SpringApplication.run(HelperApplication.class, args);
	}

}
