package dev.peergate.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting is described where a user looks: the generated metadata (what IDEs complete) for the global keys,
 * and the configuration reference for the keys of a listener, which the metadata format cannot list (they live in
 * the values of the {@code peergate.listeners} map; IDEs complete them from the type and show their Javadoc from
 * the sources jar).
 */
class ConfigurationMetadataTests {

	@Test
	void describesEveryGeneratedProperty() throws Exception {
		List<Map<String, Object>> properties = peergateProperties();
		assertThat(properties).extracting(property -> property.get("name"))
			.contains("peergate.listeners", "peergate.handlers.max-concurrent-per-uid", "peergate.logging.interval");
		assertThat(properties).allSatisfy(property -> assertThat(property.get("description"))
			.as("description of %s", property.get("name"))
			.asString()
			.isNotBlank());
	}

	@Test
	void theConfigurationReferenceDescribesEveryListenerSetting() throws Exception {
		String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
		assertThat(ListenerKeys.keys()).allSatisfy(key -> assertThat(reference).as("docs/configuration.md")
			.contains("| `" + key + "` |"));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> peergateProperties() throws Exception {
		List<Map<String, Object>> properties = new ArrayList<>();
		for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				Map<String, Object> metadata = JsonMapper.builder().build().readValue(in, Map.class);
				for (Map<String, Object> property : (List<Map<String, Object>>) metadata.get("properties")) {
					if (String.valueOf(property.get("name")).startsWith("peergate.")) {
						properties.add(property);
					}
				}
			}
		}
		return properties;
	}

}
