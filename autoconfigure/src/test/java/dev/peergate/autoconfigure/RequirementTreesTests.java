package dev.peergate.autoconfigure;

import java.util.List;
import java.util.Map;

import dev.peergate.requirement.facts.FactSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** Fact-dictionary requirements survive the trip through Spring's property sources with their keys intact. */
class RequirementTreesTests {

	private static final String PREFIX = "peergate.listeners.helper.requirement.linux";

	@Test
	void keepsDollarOperatorsAndListsFromFlattenedYaml() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("yaml", Map.of(PREFIX + ".uid.$in[0]", 0, PREFIX + ".uid.$in[1]", 1000,
					PREFIX + ".systemd-unit", "example-cli.service")));
		assertThat(RequirementTrees.read(environment, PREFIX, FactSet.LINUX.facts().keySet())).isEqualTo(
				Map.of("uid", Map.of("$in", List.of("0", "1000")), "systemd-unit", "example-cli.service"));
	}

	@Test
	void keepsBracketedKeysWithDots() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("yaml",
					Map.of(PREFIX + ".entitlements.$query.[com.apple.security.app-sandbox]", "true")));
		assertThat(RequirementTrees.read(environment, PREFIX, FactSet.LINUX.facts().keySet())).isEqualTo(
				Map.of("entitlements", Map.of("$query", Map.of("com.apple.security.app-sandbox", "true"))));
	}

	@Test
	void takesTheWholeRequirementFromTheHighestPrecedenceSourceWithoutMerging() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("low", Map.of(PREFIX + ".gid", 10)));
		environment.getPropertySources().addFirst(new MapPropertySource("high", Map.of(PREFIX + ".uid", 0)));
		assertThat(RequirementTrees.read(environment, PREFIX, FactSet.LINUX.facts().keySet())).isEqualTo(Map.of("uid", "0"));
	}

	@Test
	void acceptsTheRequirementAsOneJsonString() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("env", Map.of(PREFIX, "{\"uid\": {\"$in\": [0, 1000]}}")));
		assertThat(RequirementTrees.read(environment, PREFIX, FactSet.LINUX.facts().keySet())).isEqualTo(Map.of("uid", Map.of("$in", List.of(0, 1000))));
	}

	@Test
	void isEmptyWhenNothingIsConfigured() {
		assertThat(RequirementTrees.read(new StandardEnvironment(), PREFIX, FactSet.LINUX.facts().keySet())).isEmpty();
	}

}
