package dev.peergate.xpc;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The launchd plist that declares the Mach service. */
class LaunchdPlistTests {

	@Test
	void agentDeclaresTheMachServiceAndTheProgram() throws Exception {
		LaunchdPlist plist = LaunchdPlist.agent("com.example.helper", List.of("/opt/helper/bin/helper", "--serve"))
			.machService("com.example.helper");
		Document document = parse(plist.toXml());
		List<String> keys = topLevelKeys(document);
		assertThat(keys).containsExactly("Label", "ProgramArguments", "MachServices", "ProcessType");
		assertThat(document.getElementsByTagName("string").item(0).getTextContent()).isEqualTo("com.example.helper");
		assertThat(plist.toXml()).contains("<key>com.example.helper</key>\n\t\t<true/>")
			.contains("<string>--serve</string>");
		assertThat(plist.installPath()).isEqualTo("~/Library/LaunchAgents/com.example.helper.plist");
	}

	@Test
	void daemonMayRunAsAnotherUserAndLivesInLibraryLaunchDaemons() throws Exception {
		LaunchdPlist plist = LaunchdPlist.daemon("com.example.helperd", List.of("/usr/local/libexec/helperd"))
			.machService("com.example.helperd")
			.userName("_helper");
		assertThat(topLevelKeys(parse(plist.toXml()))).contains("UserName");
		assertThat(plist.installPath()).isEqualTo("/Library/LaunchDaemons/com.example.helperd.plist");
	}

	@Test
	void appServiceJobUsesBundleProgramAndLivesInTheBundle() throws Exception {
		LaunchdPlist plist = LaunchdPlist.agent("com.example.helper", List.of("Contents/MacOS/Helper"))
			.machService("com.example.helper")
			.forAppService("Contents/MacOS/Helper", List.of("com.example.app"));
		assertThat(topLevelKeys(parse(plist.toXml()))).contains("BundleProgram", "AssociatedBundleIdentifiers");
		assertThat(plist.installPath()).isEqualTo("Contents/Library/LaunchAgents/com.example.helper.plist");
	}

	@Test
	void refusesAJobWithoutMachServiceOrWithARelativeProgram() {
		assertThatIllegalStateException()
			.isThrownBy(() -> LaunchdPlist.agent("com.example.helper", List.of("/bin/helper")).toXml())
			.withMessageContaining("Mach service");
		assertThatIllegalStateException()
			.isThrownBy(() -> LaunchdPlist.agent("com.example.helper", List.of("helper")).machService("x").toXml())
			.withMessageContaining("absolute");
	}

	@Test
	void escapesXml() throws Exception {
		String xml = LaunchdPlist.agent("com.example.helper", List.of("/bin/helper", "--name=<a&b>"))
			.machService("com.example.helper")
			.toXml();
		assertThat(xml).contains("--name=&lt;a&amp;b&gt;");
		parse(xml);
	}

	@Test
	void applicationJobDeclaresEveryServiceOnceInOrder() throws Exception {
		LaunchdPlist plist = LaunchdPlist.forApplication(LaunchdPlist.Kind.LAUNCH_AGENT, "com.example.helper",
				List.of("/usr/bin/java", "-jar", "helper.jar"),
				List.of("com.example.helper", "com.example.admin", "com.example.helper"));
		assertThat(plist.label()).isEqualTo("com.example.helper");
		assertThat(plist.programArguments()).containsExactly("/usr/bin/java", "-jar", "helper.jar");
		assertThat(plist.machServices()).containsExactly("com.example.helper", "com.example.admin");
		assertThat(plist.toXml()).contains("<key>com.example.helper</key>\n\t\t<true/>\n\t\t"
				+ "<key>com.example.admin</key>\n\t\t<true/>\n\t</dict>");
		parse(plist.toXml());
	}

	@Test
	void applicationJobNeedsAService() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LaunchdPlist.forApplication(LaunchdPlist.Kind.LAUNCH_AGENT, "com.example.helper",
					List.of("/bin/helper"), List.of()))
			.withMessageContaining("Mach service");
	}

	@Test
	void workingDirectoryIsDeclaredAndMustBeAbsolute() throws Exception {
		LaunchdPlist plist = LaunchdPlist.agent("com.example.helper", List.of("/usr/bin/java", "-jar", "helper.jar"))
			.machService("com.example.helper")
			.workingDirectory("/opt/helper");
		assertThat(topLevelKeys(parse(plist.toXml()))).contains("WorkingDirectory");
		assertThat(plist.toXml()).contains("<key>WorkingDirectory</key>\n\t<string>/opt/helper</string>");
		assertThatIllegalArgumentException().isThrownBy(() -> plist.workingDirectory("opt/helper"));
	}

	@Test
	void refusesControlCharactersXmlCannotCarry() {
		LaunchdPlist plist = LaunchdPlist.agent("com.example.helper", List.of("/bin/helper", "--name=a\u0001b"))
			.machService("com.example.helper");
		assertThatIllegalArgumentException().isThrownBy(plist::toXml).withMessageContaining("U+0001");
	}

	private static Document parse(String xml) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
		return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
	}

	private static List<String> topLevelKeys(Document document) {
		Element dict = (Element) document.getDocumentElement().getElementsByTagName("dict").item(0);
		NodeList children = dict.getChildNodes();
		List<String> keys = new java.util.ArrayList<>();
		for (int i = 0; i < children.getLength(); i++) {
			if (children.item(i) instanceof Element element && element.getTagName().equals("key")) {
				keys.add(element.getTextContent());
			}
		}
		return keys;
	}

}
