package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.peergate.actuate.LaunchdEndpoint;
import dev.peergate.autoconfigure.actuate.PeergateLaunchdEndpointAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.w3c.dom.Document;

import static dev.peergate.autoconfigure.LaunchdPlistGeneratorTests.machServices;
import static dev.peergate.autoconfigure.LaunchdPlistGeneratorTests.parse;
import static dev.peergate.autoconfigure.LaunchdPlistGeneratorTests.strings;
import static dev.peergate.autoconfigure.LaunchdPlistGeneratorTests.value;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code launchd} endpoint serves the plist generated from the running application's configuration. */
class LaunchdEndpointAutoConfigurationTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(PeergateAutoConfiguration.class, PeergateLaunchdEndpointAutoConfiguration.class));

	@Test
	void servesThePlistOfTheListenersThatAreXpcOnMacOs() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=launchd",
					"peergate.listeners.helper.unix.path=" + this.directory.resolve("helper.sock"),
					"peergate.listeners.helper.xpc.service-name=com.example.helper",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> {
				assertThat(context).hasNotFailed();
				WebEndpointResponse<String> response = context.getBean(LaunchdEndpoint.class).plist();
				assertThat(response.getStatus()).isEqualTo(200);
				assertThat(response.getContentType().toString()).isEqualTo("application/xml");
				Document plist = parse(response.getBody());
				assertThat(value(plist, "Label").getTextContent()).isEqualTo("com.example.helper");
				assertThat(machServices(plist)).containsExactly("com.example.helper");
				assertThat(strings(value(plist, "ProgramArguments"))).isEqualTo(runningCommand());
			});
	}

	@Test
	void explainsWhyThereIsNoJobWhenNoListenerIsAnXpcService() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=launchd",
					"peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> {
				WebEndpointResponse<String> response = context.getBean(LaunchdEndpoint.class).plist();
				assertThat(response.getStatus()).isEqualTo(404);
				assertThat(response.getContentType().toString()).isEqualTo("text/plain");
				assertThat(response.getBody()).contains("no listener is an XPC Mach service")
					.contains("xpc.service-name");
			});
	}

	@Test
	void isAbsentUnlessExposed() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LaunchdEndpoint.class));
	}

	@Test
	void isAbsentWhenPeergateIsDisabled() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=launchd", "peergate.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LaunchdEndpoint.class));
	}

	private static List<String> runningCommand() {
		ProcessHandle.Info info = ProcessHandle.current().info();
		List<String> command = new ArrayList<>();
		command.add(info.command().orElseThrow());
		command.addAll(Arrays.asList(info.arguments().orElseThrow()));
		return command;
	}

}
