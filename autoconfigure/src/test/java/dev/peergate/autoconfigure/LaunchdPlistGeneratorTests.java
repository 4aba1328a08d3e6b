package dev.peergate.autoconfigure;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.peergate.xpc.LaunchdPlist;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The launchd job generated from the configuration and the running process. */
class LaunchdPlistGeneratorTests {

	@Test
	void declaresTheServiceOfEveryListenerThatIsXpcOnMacOs() {
		LaunchdPlistGenerator generator = new LaunchdPlistGenerator(bind(Map.of(
				"peergate.listeners.both.xpc.service-name", "com.example.both",
				"peergate.listeners.both.unix.path", "/run/example/both.sock",
				"peergate.listeners.mac.transport", "xpc",
				"peergate.listeners.mac.xpc.service-name", "com.example.mac",
				"peergate.listeners.socket.transport", "unix",
				"peergate.listeners.socket.xpc.service-name", "com.example.never",
				"peergate.listeners.socket.unix.path", "/run/example/socket.sock",
				"peergate.listeners.local.transport", "in-process",
				"peergate.listeners.local.xpc.service-name", "com.example.local",
				"peergate.listeners.linux.unix.path", "/run/example/linux.sock")));
		assertThat(generator.machServices()).containsExactlyInAnyOrder("com.example.both", "com.example.mac");
		assertThat(machServices(parse(generator.plist().toXml()))).containsExactlyInAnyOrder("com.example.both",
				"com.example.mac");
	}

	@Test
	void declaresAServiceSharedByTwoListenersOnce() {
		LaunchdPlistGenerator generator = new LaunchdPlistGenerator(
				bind(Map.of("peergate.listeners.one.xpc.service-name", "com.example.helper",
						"peergate.listeners.two.xpc.service-name", "com.example.helper")));
		assertThat(generator.plist().machServices()).containsExactly("com.example.helper");
	}

	@Test
	void runsTheCommandOfThisProcessInItsCurrentDirectory() {
		LaunchdPlistGenerator generator = new LaunchdPlistGenerator(
				bind(Map.of("peergate.listeners.helper.xpc.service-name", "com.example.helper")));
		ProcessHandle.Info info = ProcessHandle.current().info();
		List<String> expected = new ArrayList<>();
		expected.add(info.command().orElseThrow());
		expected.addAll(Arrays.asList(info.arguments().orElseThrow()));
		Document plist = parse(generator.plist().toXml());
		assertThat(strings(value(plist, "ProgramArguments"))).isEqualTo(expected);
		assertThat(value(plist, "WorkingDirectory").getTextContent()).isEqualTo(System.getProperty("user.dir"));
	}

	@Test
	void labelDefaultsToTheFirstServiceName() {
		LaunchdPlistGenerator generator = new LaunchdPlistGenerator(ordered(
				"peergate.listeners.first.xpc.service-name", "com.example.first",
				"peergate.listeners.second.xpc.service-name", "com.example.second"));
		assertThat(value(parse(generator.plist().toXml()), "Label").getTextContent()).isEqualTo("com.example.first");
	}

	@Test
	void configuredLabelNamesTheJobAndItsFile() {
		LaunchdPlistGenerator generator = new LaunchdPlistGenerator(
				bind(Map.of("peergate.listeners.helper.xpc.service-name", "com.example.helper",
						"peergate.launchd.label", "com.example.helper-job")));
		LaunchdPlist plist = generator.plist();
		assertThat(value(parse(plist.toXml()), "Label").getTextContent()).isEqualTo("com.example.helper-job");
		assertThat(plist.installPath()).isEqualTo("~/Library/LaunchAgents/com.example.helper-job.plist");
	}

	@Test
	void daemonRunsAsTheConfiguredUser() {
		LaunchdPlistGenerator generator = new LaunchdPlistGenerator(
				bind(Map.of("peergate.listeners.helper.xpc.service-name", "com.example.helperd",
						"peergate.launchd.kind", "daemon", "peergate.launchd.user-name", "_helper")));
		LaunchdPlist plist = generator.plist();
		assertThat(plist.kind()).isEqualTo(LaunchdPlist.Kind.LAUNCH_DAEMON);
		assertThat(value(parse(plist.toXml()), "UserName").getTextContent()).isEqualTo("_helper");
		assertThat(plist.installPath()).isEqualTo("/Library/LaunchDaemons/com.example.helperd.plist");
	}

	@Test
	void refusesAUserNameForALaunchAgent() {
		LaunchdPlistGenerator generator = new LaunchdPlistGenerator(
				bind(Map.of("peergate.listeners.helper.xpc.service-name", "com.example.helper",
						"peergate.launchd.user-name", "_helper")));
		assertThatExceptionOfType(ListenerConfigurationException.class).isThrownBy(generator::plist)
			.satisfies(ex -> assertThat(ex.property()).isEqualTo("peergate.launchd.user-name"))
			.satisfies(ex -> assertThat(ex.action()).contains("kind: daemon"));
	}

	@Test
	void configuredProgramArgumentsReplaceTheRunningCommand() {
		LaunchdPlistGenerator generator = new LaunchdPlistGenerator(bind(Map.of(
				"peergate.listeners.helper.xpc.service-name", "com.example.helper",
				"peergate.launchd.program-arguments[0]", "/Applications/Helper.app/Contents/MacOS/Helper",
				"peergate.launchd.program-arguments[1]", "--serve")));
		Document plist = parse(generator.plist().toXml());
		assertThat(strings(value(plist, "ProgramArguments")))
			.containsExactly("/Applications/Helper.app/Contents/MacOS/Helper", "--serve");
		assertThat(topLevelKeys(plist)).doesNotContain("WorkingDirectory");
	}

	@Test
	void refusesARelativeProgram() {
		LaunchdPlistGenerator generator = new LaunchdPlistGenerator(
				bind(Map.of("peergate.listeners.helper.xpc.service-name", "com.example.helper",
						"peergate.launchd.program-arguments[0]", "helper")));
		assertThatExceptionOfType(ListenerConfigurationException.class).isThrownBy(generator::plist)
			.satisfies(ex -> assertThat(ex.property()).isEqualTo("peergate.launchd.program-arguments"));
	}

	@Test
	void explainsThatNoListenerIsAnXpcService() {
		LaunchdPlistGenerator generator = new LaunchdPlistGenerator(
				bind(Map.of("peergate.listeners.helper.unix.path", "/run/example/helper.sock")));
		assertThat(generator.machServices()).isEmpty();
		assertThatExceptionOfType(ListenerConfigurationException.class).isThrownBy(generator::plist)
			.withMessageContaining("no listener is an XPC Mach service")
			.satisfies(ex -> assertThat(ex.action()).contains("xpc.service-name"));
	}

	@Test
	void commandOfAnotherProcessIsItsProgramAndArguments() throws Exception {
		Process sleep = new ProcessBuilder("sleep", "30").start();
		try {
			List<String> command = LaunchdPlistGenerator.commandOf(sleep.info());
			assertThat(command.get(0)).startsWith("/").endsWith("sleep");
			assertThat(command.subList(1, command.size())).containsExactly("30");
		}
		finally {
			sleep.destroy();
		}
	}

	private static PeergateProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bind("peergate", PeergateProperties.class)
			.get();
	}

	private static PeergateProperties ordered(String... keysAndValues) {
		Map<String, String> properties = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			properties.put(keysAndValues[i], keysAndValues[i + 1]);
		}
		return bind(properties);
	}

	static Document parse(String xml) {
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
			return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new AssertionError("not a well-formed plist: " + xml, ex);
		}
	}

	/** The value element following {@code <key>name</key>} in the top-level dictionary. */
	static Element value(Document plist, String name) {
		List<Element> children = elements(topLevelDict(plist));
		for (int i = 0; i + 1 < children.size(); i++) {
			if (children.get(i).getTagName().equals("key") && children.get(i).getTextContent().equals(name)) {
				return children.get(i + 1);
			}
		}
		throw new AssertionError("no key " + name + " in the plist");
	}

	static List<String> topLevelKeys(Document plist) {
		return elements(topLevelDict(plist)).stream()
			.filter(element -> element.getTagName().equals("key"))
			.map(Element::getTextContent)
			.toList();
	}

	static List<String> strings(Element array) {
		assertThat(array.getTagName()).isEqualTo("array");
		return elements(array).stream().map(Element::getTextContent).toList();
	}

	/** The keys of the MachServices dictionary, each of which must map to true. */
	static List<String> machServices(Document plist) {
		List<Element> entries = elements(value(plist, "MachServices"));
		List<String> services = new ArrayList<>();
		for (int i = 0; i < entries.size(); i += 2) {
			assertThat(entries.get(i).getTagName()).isEqualTo("key");
			assertThat(entries.get(i + 1).getTagName()).as("value of " + entries.get(i).getTextContent())
				.isEqualTo("true");
			services.add(entries.get(i).getTextContent());
		}
		return services;
	}

	private static Element topLevelDict(Document plist) {
		List<Element> roots = elements(plist.getDocumentElement());
		assertThat(roots).singleElement().satisfies(root -> assertThat(root.getTagName()).isEqualTo("dict"));
		return roots.get(0);
	}

	private static List<Element> elements(Element parent) {
		List<Element> elements = new ArrayList<>();
		for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
			if (child instanceof Element element) {
				elements.add(element);
			}
		}
		return elements;
	}

}
