package dev.peergate.requirement.facts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Name resolution through the system's name service ({@code getent}) and its fallback to the classic files.
 */
class SystemIdResolverTests {

	@TempDir
	Path directory;

	@Test
	void resolvesUserRootToUidZero() {
		assertThat(IdResolver.system().userId("root")).hasValue(0);
	}

	@Test
	void resolvesGroupRootToGidZero() {
		assertThat(IdResolver.system().groupId("root")).hasValue(0);
	}

	@Test
	void findsNoUnknownUser() {
		assertThat(IdResolver.system().userId("no-such-user-peergate")).isEmpty();
	}

	@Test
	void findsNoUnknownGroup() {
		assertThat(IdResolver.system().groupId("no-such-group-peergate")).isEmpty();
	}

	@Test
	void neverPassesOptionLikeNamesToGetent() {
		assertThat(IdResolver.system().userId("--help")).isEmpty();
	}

	@Test
	void readsPasswdFileWhenGetentIsMissing() throws IOException {
		SystemIdResolver resolver = filesOnly("peergate-no-such-getent");
		assertThat(resolver.userId("alice")).hasValue(1234);
	}

	@Test
	void readsGroupFileWhenGetentIsMissing() throws IOException {
		SystemIdResolver resolver = filesOnly("peergate-no-such-getent");
		assertThat(resolver.groupId("staff")).hasValue(50);
	}

	@Test
	void readsFilesWhenGetentFails() throws IOException {
		SystemIdResolver resolver = filesOnly(script("exit 1"));
		assertThat(resolver.userId("alice")).hasValue(1234);
	}

	@Test
	void trustsGetentWhenItSaysNotFound() throws IOException {
		SystemIdResolver resolver = filesOnly(script("exit 2"));
		assertThat(resolver.userId("alice")).isEmpty();
	}

	@Test
	void takesTheIdFromGetentOutput() throws IOException {
		SystemIdResolver resolver = filesOnly(script("echo \"$2:x:4321:4321::/home/$2:/bin/sh\""));
		assertThat(resolver.userId("alice")).hasValue(4321);
	}

	@Test
	void ignoresLinesOfOtherNamesWithTheSamePrefix() {
		assertThat(SystemIdResolver.idOf("alice2:x:5:5::/:/bin/sh", "alice")).isEqualTo(OptionalLong.empty());
	}

	@Test
	void takesIdZeroFromALine() {
		assertThat(SystemIdResolver.idOf("root:x:0:0:root:/root:/bin/sh", "root")).hasValue(0);
	}

	@Test
	void takesTheIdFromTheThirdFieldEvenWhenTheLineEndsThere() {
		assertThat(SystemIdResolver.idOf("alice:x:1234", "alice")).hasValue(1234);
		assertThat(SystemIdResolver.idOf("alice:x", "alice")).isEmpty();
	}

	@Test
	void findsNoNameThatIsNotInTheFile() throws IOException {
		assertThat(filesOnly("peergate-no-such-getent").userId("bob")).isEmpty();
	}

	@Test
	void findsNothingWhenTheFilesAreMissingToo() {
		Path missing = this.directory.resolve("missing");
		assertThat(new SystemIdResolver("peergate-no-such-getent", missing, missing).userId("alice")).isEmpty();
	}

	@Test
	void readsFilesWhenGetentAnswersWithAnotherName() throws IOException {
		SystemIdResolver resolver = filesOnly(script("echo \"mallory:x:4321:4321::/home/mallory:/bin/sh\""));
		assertThat(resolver.userId("alice")).hasValue(1234);
	}

	@Test
	void readsFilesAndKeepsTheInterruptWhenInterruptedWhileWaitingForGetent() throws IOException {
		SystemIdResolver resolver = filesOnly(script("sleep 1; echo \"$2:x:4321:4321::/home/$2:/bin/sh\""));
		Thread.currentThread().interrupt();
		try {
			assertThat(resolver.userId("alice")).hasValue(1234);
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	private SystemIdResolver filesOnly(String getent) throws IOException {
		Path passwd = Files.writeString(this.directory.resolve("passwd"),
				"root:x:0:0:root:/root:/bin/sh\nalice:x:1234:1234::/home/alice:/bin/sh\n");
		Path group = Files.writeString(this.directory.resolve("group"), "root:x:0:\nstaff:x:50:alice\n");
		return new SystemIdResolver(getent, passwd, group);
	}

	private String script(String body) throws IOException {
		assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh to run a stand-in getent");
		Path script = this.directory.resolve("getent");
		Files.writeString(script, "#!/bin/sh\n" + body + "\n");
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
		return script.toString();
	}

}
