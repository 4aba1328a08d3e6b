package dev.peergate.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting is described where a user looks: the generated metadata (what IDEs complete) for the global keys,
 * and the configuration reference for the keys of a listener, which the metadata format cannot list (they live in
 * the values of the {@code peergate.listeners} map; IDEs complete them from the type and show their Javadoc from
 * the sources jar). The configuration processor stops at maps by design, so a test reads the Javadoc of every
 * listener setting the way the processor and IDEs do: through the compiler's doc comments.
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

	@Test
	void theConfigurationReferenceDescribesEveryClientSetting() throws Exception {
		String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
		String clients = reference.substring(reference.indexOf("## Clients"));
		assertThat(ListenerKeys.clientKeys()).contains("interface", "unix.path", "xpc.service-name", "timeout",
				"allow-any-server", "server-requirement.linux", "server-requirement.same-user")
			.allSatisfy(key -> assertThat(clients).as("docs/configuration.md, section Clients").contains("| `" + key
					+ "` |"));
	}

	@Test
	void everyClientSettingHasTheJavadocAnIdeShowsAsItsDescription() throws Exception {
		Map<String, String> docs = fieldDocComments(
				Path.of("src/main/java/dev/peergate/autoconfigure/PeergateClientProperties.java"));
		assertThat(List.of("PeergateClientProperties.clients", "Client.interfaceName", "Client.timeout",
				"Client.allowAnyServer", "ClientUnix.path"))
			.allSatisfy(field -> assertThat(docs.get(field)).as("Javadoc of %s", field).isNotBlank());
	}

	@Test
	void everyListenerSettingHasTheJavadocAnIdeShowsAsItsDescription() throws Exception {
		Map<String, String> docs = fieldDocComments(
				Path.of("src/main/java/dev/peergate/autoconfigure/PeergateProperties.java"));
		assertThat(docs).containsKey("Unix.mode"); // the compiler did read the source
		assertThat(ListenerKeys.keys()).hasSizeGreaterThan(20).allSatisfy((key) -> {
			String field = declaringField(key);
			assertThat(docs.get(field)).as("Javadoc of %s (listener setting %s)", field, key).isNotBlank();
		});
	}

	/** {@code unix.io-threads} → {@code Unix.ioThreads}: the settings class that declares the key's last element. */
	private static String declaringField(String key) {
		Class<?> type = PeergateProperties.Listener.class;
		String[] elements = key.split("\\.");
		for (int i = 0; i < elements.length - 1; i++) {
			type = property(type, elements[i]).getPropertyType();
		}
		String name = property(type, elements[elements.length - 1]).getName();
		return type.getSimpleName() + "." + name;
	}

	private static PropertyDescriptor property(Class<?> type, String dashed) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getName().equalsIgnoreCase(dashed.replace("-", ""))) {
				return property;
			}
		}
		throw new AssertionError(type.getSimpleName() + " has no property " + dashed);
	}

	/** {@code SimpleClassName.field} → doc comment, for the fields of every class in {@code source}. */
	private static Map<String, String> fieldDocComments(Path source) throws Exception {
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DocCommentReader reader = new DocCommentReader();
		StringWriter diagnostics = new StringWriter();
		try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
			JavaCompiler.CompilationTask task = compiler.getTask(diagnostics, files, null,
					List.of("-proc:only", "-classpath", System.getProperty("java.class.path")), null,
					files.getJavaFileObjects(source.toFile()));
			task.setProcessors(List.of(reader));
			assertThat(task.call()).as(diagnostics.toString()).isTrue();
		}
		return reader.docs;
	}

	@SupportedAnnotationTypes("*")
	private static final class DocCommentReader extends AbstractProcessor {

		private final Map<String, String> docs = new HashMap<>();

		@Override
		public SourceVersion getSupportedSourceVersion() {
			return SourceVersion.latestSupported();
		}

		@Override
		public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
			for (Element root : round.getRootElements()) {
				read(root);
			}
			return false;
		}

		private void read(Element type) {
			for (Element member : type.getEnclosedElements()) {
				if (member.getKind() == ElementKind.FIELD) {
					String doc = this.processingEnv.getElementUtils().getDocComment(member);
					this.docs.put(type.getSimpleName() + "." + member.getSimpleName(), doc);
				}
				else if (member.getKind() == ElementKind.CLASS) {
					read(member);
				}
			}
		}

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
