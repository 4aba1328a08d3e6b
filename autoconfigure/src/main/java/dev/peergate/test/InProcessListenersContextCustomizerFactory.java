package dev.peergate.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * For a test annotated {@link AutoConfigurePeergate} (or {@link PeergateTest}): sets the transport of every listener
 * the environment configures to {@code in-process}, above every other source, once the application's configuration
 * is read. The requirement and every other setting stay as configured.
 */
final class InProcessListenersContextCustomizerFactory implements ContextCustomizerFactory {

	/** The property source that holds the overrides. */
	static final String SOURCE = "peergateTestInProcessListeners";

	private static final ConfigurationPropertyName LISTENERS = ConfigurationPropertyName.of("peergate.listeners");

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigurePeergate.class)
				? new InProcessListeners() : null;
	}

	private static final class InProcessListeners implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			ConfigurableEnvironment environment = context.getEnvironment();
			Map<String, Object> overrides = new LinkedHashMap<>();
			for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
				if (source instanceof IterableConfigurationPropertySource iterable) {
					iterable.stream()
						.filter(LISTENERS::isAncestorOf)
						.map((name) -> name.getElement(LISTENERS.getNumberOfElements(), Form.ORIGINAL))
						.forEach((listener) -> overrides.put("peergate.listeners[" + listener + "].transport",
								"in-process"));
				}
			}
			environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, overrides));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof InProcessListeners;
		}

		@Override
		public int hashCode() {
			return InProcessListeners.class.hashCode();
		}

	}

}
