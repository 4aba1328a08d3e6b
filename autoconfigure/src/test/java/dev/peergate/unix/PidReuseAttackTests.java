package dev.peergate.unix;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reproduces the PID-reuse attack for real: a check by PID alone is fooled, Peergate's pidfd check is not. The
 * scenario runs in a child JVM that is PID 1 of its own PID namespace ({@link PidReuseScenario}).
 */
class PidReuseAttackTests {

	private static final String UNSHARE = "/usr/bin/unshare";

	@TempDir
	Path dir;

	@BeforeAll
	static void needsPidNamespaces() throws Exception {
		LinuxAssumptions.assumeRoot();
		LinuxAssumptions.assumePidfd();
		LinuxAssumptions.assumeTool(UNSHARE);
		LinuxAssumptions.assumeTool(PythonPeer.PYTHON);
		Process probe = new ProcessBuilder(UNSHARE, "--pid", "--fork", "--mount-proc", "true")
			.redirectErrorStream(true)
			.start();
		assumeTrue(probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0,
				"unshare --pid --fork --mount-proc is not permitted here");
	}

	@Test
	void naivePidCheckAcceptsTheImpostorWhilePeergateRefusesIt() throws Exception {
		String java = ProcessHandle.current().info().command().orElseThrow();
		List<String> command = List.of(UNSHARE, "--pid", "--fork", "--mount-proc", java, "-Xmx128m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				PidReuseScenario.class.getName(), this.dir.resolve("s.sock").toString(),
				this.dir.resolve("reply.json").toString());
		Process scenario = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		Map<String, String> result = new HashMap<>();
		try {
			assertThat(scenario.waitFor(120, TimeUnit.SECONDS)).as("scenario finished").isTrue();
			String output = new String(scenario.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			for (String line : output.split("\n")) {
				int equals = line.indexOf('=');
				if (equals > 0) {
					result.put(line.substring(0, equals), line.substring(equals + 1));
				}
			}
		}
		finally {
			scenario.destroyForcibly(); // killing PID 1 of the namespace kills every process in it
		}
		assertThat(result).containsKey("PID");
		assertThat(result.get("PID")).as("the pidfd named the connecting process").isEqualTo(result.get("ATTACKER_PID"));
		assumeTrue("true".equals(result.get("REUSED")), "could not get the attacker's PID reused within 50 attempts");
		assertThat(result.get("NAIVE")).as("a check by PID alone").startsWith("accept");
		assertThat(result.get("PEERGATE")).isEqualTo("REJECTED fact-unverified");
		assertThat(result.get("EXPLANATION")).contains("exited or was replaced");
		assertThat(result.get("VERIFIED")).as("facts verified for the refused peer")
			.contains("uid")
			.doesNotContain("executable-path", "executable-sha256", "real-uid", "saved-uid", "no-new-privs", "seccomp");
		assertThat(result.get("REPLY")).contains(StandardErrors.PERMISSION_DENIED).doesNotContain("pwned");
	}

}
