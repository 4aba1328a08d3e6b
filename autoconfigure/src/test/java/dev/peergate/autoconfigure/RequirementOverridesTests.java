package dev.peergate.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A requirement set in {@code application.yml} is overridden from every property source an operator uses, with
 * Spring Boot's precedence, in every form the source can carry: a tree of keys, one JSON object, and for environment
 * variables single facts. An override replaces the requirement whole. Each test starts a real application (config
 * data files, profiles, {@code SPRING_APPLICATION_JSON}, command line); environment variables come through the
 * application's own environment, built on a variable map the test controls.
 */
class RequirementOverridesTests {

	private static final String BASE = "peergate.listeners.helper.requirement.linux";

	private static final String YAML = """
			peergate:
			  listeners:
			    helper:
			      transport: in-process
			      requirement:
			        linux:
			          uid: { $in: [1000, 1001] }
			          gid: 100
			""";

	@TempDir
	Path config;

	private final List<String> systemProperties = new ArrayList<>();

	@AfterEach
	void clearSystemProperties() {
		this.systemProperties.forEach(System::clearProperty);
	}

	@Test
	void usesTheRequirementOfApplicationYaml() throws Exception {
		assertThat(requirement(Map.of(), List.of())).isEqualTo("{\"gid\":100,\"uid\":{\"$in\":[1000,1001]}}");
	}

	@Test
	void aProfileYamlReplacesTheRequirementWhole() throws Exception {
		Files.writeString(this.config.resolve("application-ops.yml"), """
				peergate.listeners.helper.requirement.linux:
				  uid: 2000
				""");
		assertThat(requirement(Map.of(), List.of("--spring.profiles.active=ops"))).isEqualTo("{\"uid\":2000}");
	}

	@Test
	void anEnvironmentVariableWithJsonReplacesTheYamlRequirement() throws Exception {
		assertThat(requirement(Map.of("PEERGATE_LISTENERS_HELPER_REQUIREMENT_LINUX", "{\"uid\": 65534}"), List.of()))
			.isEqualTo("{\"uid\":65534}");
	}

	@Test
	void anEnvironmentVariableForOneFactReplacesTheYamlRequirement() throws Exception {
		assertThat(requirement(Map.of("PEERGATE_LISTENERS_HELPER_REQUIREMENT_LINUX_UID", "65534",
				"PEERGATE_LISTENERS_HELPER_REQUIREMENT_LINUX_EXECUTABLE_PATH", "/usr/bin/notes"), List.of()))
			.contains("\"uid\":65534")
			.contains("\"executable-path\":\"/usr/bin/notes\"")
			.doesNotContain("gid");
	}

	@Test
	void anEnvironmentVariableNamingNoFactStopsTheStartNamingIt() {
		assertThatException()
			.isThrownBy(() -> requirement(Map.of("PEERGATE_LISTENERS_HELPER_REQUIREMENT_LINUX_USERID", "0"), List.of()))
			.satisfies(ex -> assertThat(rootCause(ex)).isInstanceOf(ListenerConfigurationException.class)
				.hasMessageContaining("PEERGATE_LISTENERS_HELPER_REQUIREMENT_LINUX_USERID")
				.hasMessageContaining(BASE));
	}

	@Test
	void aMisspeltEnvironmentVariableStopsTheStartNamingItAndTheMeantOne() {
		assertThatException()
			.isThrownBy(() -> requirement(Map.of("PEERGATE_LISTENERS_HELPER_LIMITS_MAX_CONECTIONS", "1"), List.of()))
			.satisfies(ex -> assertThat(rootCause(ex)).isInstanceOf(ListenerConfigurationException.class)
				.hasMessageContaining("PEERGATE_LISTENERS_HELPER_LIMITS_MAX_CONECTIONS")
				.hasMessageContaining("is not a Peergate listener setting")
				.satisfies(error -> assertThat(((ListenerConfigurationException) error).action())
					.contains("Did you mean PEERGATE_LISTENERS_HELPER_LIMITS_MAXCONNECTIONS?")));
	}

	@Test
	void aSystemPropertyReplacesTheYamlRequirement() throws Exception {
		systemProperty(BASE + ".uid", "3000");
		assertThat(requirement(Map.of(), List.of())).isEqualTo("{\"uid\":3000}");
	}

	@Test
	void aSystemPropertyWithJsonReplacesTheYamlRequirement() throws Exception {
		systemProperty(BASE, "{\"uid\": {\"$in\": [3001, 3002]}}");
		assertThat(requirement(Map.of(), List.of())).isEqualTo("{\"uid\":{\"$in\":[3001,3002]}}");
	}

	@Test
	void aCommandLineArgumentReplacesTheYamlRequirement() throws Exception {
		assertThat(requirement(Map.of(), List.of("--" + BASE + ".uid=4000"))).isEqualTo("{\"uid\":4000}");
		assertThat(requirement(Map.of(), List.of("--" + BASE + "={\"uid\": 4001}"))).isEqualTo("{\"uid\":4001}");
	}

	@Test
	void springApplicationJsonReplacesTheYamlRequirement() throws Exception {
		String json = "{\"peergate\": {\"listeners\": {\"helper\": {\"requirement\": {\"linux\": "
				+ "{\"uid\": {\"$in\": [5000, 5001]}}}}}}}";
		assertThat(requirement(Map.of("SPRING_APPLICATION_JSON", json), List.of())).isEqualTo("{\"uid\":{\"$in\":[5000,5001]}}");
	}

	@Test
	void theCommandLineWinsOverTheEnvironmentWhichWinsOverSystemPropertiesAndYaml() throws Exception {
		systemProperty(BASE + ".uid", "3000");
		Map<String, String> environment = Map.of("PEERGATE_LISTENERS_HELPER_REQUIREMENT_LINUX", "{\"uid\": 65534}");
		assertThat(requirement(environment, List.of("--" + BASE + ".uid=4000"))).isEqualTo("{\"uid\":4000}");
		assertThat(requirement(environment, List.of())).isEqualTo("{\"uid\":3000}"); // Java system properties come first
		clearSystemProperties();
		this.systemProperties.clear();
		assertThat(requirement(environment, List.of())).isEqualTo("{\"uid\":65534}");
	}

	@Test
	void placeholdersInARequirementAreResolvedLikeAnyOtherProperty() throws Exception {
		Files.writeString(this.config.resolve("application-ops.yml"), """
				admin.uid: 6000
				peergate.listeners.helper.requirement.linux:
				  uid: ${admin.uid}
				  executable-path: ${admin.tool:/usr/local/bin/helper-admin}
				""");
		assertThat(requirement(Map.of(), List.of("--spring.profiles.active=ops")))
			.isEqualTo("{\"executable-path\":\"/usr/local/bin/helper-admin\",\"uid\":6000}");
		assertThat(requirement(Map.of(), List.of("--" + BASE + "={\"uid\": ${admin.uid:6001}}")))
			.isEqualTo("{\"uid\":6001}");
	}

	@Test
	void aPlaceholderThatCannotBeResolvedStopsTheStartNamingTheProperty() {
		assertThatThrownBy(() -> requirement(Map.of(), List.of("--" + BASE + ".uid=${nobody.defined.this}")))
			.satisfies(error -> assertThat(rootCause(error)).isInstanceOf(ListenerConfigurationException.class)
				.hasMessageContaining(BASE + ".uid")
				.hasMessageContaining("placeholder"));
	}

	private void systemProperty(String name, String value) {
		System.setProperty(name, value);
		this.systemProperties.add(name);
	}

	/** Starts the application with application.yml in the config directory and returns the listener's requirement. */
	private String requirement(Map<String, String> variables, List<String> arguments) throws Exception {
		Files.writeString(this.config.resolve("application.yml"), YAML);
		List<String> args = new ArrayList<>(arguments);
		args.add("--spring.config.location=optional:file:" + this.config + "/");
		StandardEnvironment environment = new StandardEnvironment() {

			@Override
			public Map<String, Object> getSystemEnvironment() {
				Map<String, Object> merged = new HashMap<>(super.getSystemEnvironment());
				merged.putAll(variables);
				return merged;
			}

		};
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.environment(environment)
			.run(args.toArray(String[]::new))) {
			return context.getBean(PeergateListeners.class)
				.listener("helper")
				.orElseThrow()
				.gate()
				.requirement()
				.describe();
		}
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(PeergateAutoConfiguration.class)
	static class Application {

	}

}
