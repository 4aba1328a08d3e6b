package dev.peergate.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.peergate.core.Evaluation;
import dev.peergate.core.Outcome;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real peers in other processes, under other uids, groups and cgroups, accepted or rejected exactly per the
 * requirement.
 */
class PeerIdentityTest {

	private static final String ECHO = "dev.peergate.test.Echo";

	@TempDir
	Path dir;

	private Path socket;

	@BeforeAll
	static void needsRootAndTools() {
		LinuxAssumptions.assumeRoot();
		LinuxAssumptions.assumePidfd();
		LinuxAssumptions.assumeTool(PythonPeer.PYTHON);
		LinuxAssumptions.assumeTool(PythonPeer.SETPRIV);
	}

	@BeforeEach
	void openDirectory() throws IOException {
		// Peers under other uids must traverse the directory and write to the socket.
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.socket = this.dir.resolve("s.sock");
	}

	private ListenerFixture listener(PeerRequirement requirement) throws Exception {
		return new ListenerFixture(UnixListenerOptions.defaults(this.socket).withMode("0666"), requirement,
				Duration.ofSeconds(5));
	}

	private static PeerRequirement inGroup(long gid) {
		return PeerRequirement.of("groups contains " + gid, peer -> peer.groups().contains(gid)
				? Evaluation.satisfied("in group " + gid)
				: Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED,
						"groups: expected to contain " + gid + ", peer has " + peer.groups()));
	}

	@Test
	void acceptsPeerRunningUnderTheAllowedUid() throws Exception {
		try (ListenerFixture fixture = listener(ListenerFixture.uidIs(1234))) {
			assertThat(PythonPeer.as(1234, 1234).call(this.socket, ECHO)).containsEntry("parameters", Map.of("text", "hi"));
			Verdict verdict = fixture.verdicts.peek();
			assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(verdict.peer().uid()).isEqualTo(1234);
			assertThat(verdict.peer().gid()).isEqualTo(1234);
		}
	}

	@Test
	void rejectsPeerWhoseUidIsNotListed() throws Exception {
		try (ListenerFixture fixture = listener(ListenerFixture.uidIs(1234))) {
			assertThat(PythonPeer.as(1235, 1235).call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
			assertThat(PythonPeer.asCurrentUser().call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
			assertThat(fixture.verdicts).extracting(Verdict::outcome).containsExactly(Outcome.REJECTED, Outcome.REJECTED);
			assertThat(fixture.verdicts.peek().explanation()).isEqualTo("uid: expected 1234, peer has 1235");
		}
	}

	@Test
	void acceptsPeerInTheRequiredSupplementaryGroupOnly() throws Exception {
		try (ListenerFixture fixture = listener(inGroup(4242))) {
			assertThat(PythonPeer.as(1234, 1234, 100, 4242).call(this.socket, ECHO)).doesNotContainKey("error");
			assertThat(PythonPeer.as(1234, 4242).call(this.socket, ECHO))
				.as("the primary gid is not a supplementary group")
				.containsEntry("error", StandardErrors.PERMISSION_DENIED);
			assertThat(PythonPeer.as(1234, 1234).call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
			assertThat(fixture.verdicts.peek().peer().groups()).containsExactly(100L, 4242L);
			assertThat(fixture.verdicts.peek().peer().facts()).containsEntry("groups", List.of(100L, 4242L));
		}
	}

	@Test
	void acceptsPeerRunningTheAllowedExecutableOnly() throws Exception {
		String python = Path.of(PythonPeer.PYTHON).toRealPath().toString();
		try (ListenerFixture fixture = listener(ListenerFixture.factIs("executable-path", python))) {
			assertThat(PythonPeer.as(1234, 1234).call(this.socket, ECHO)).doesNotContainKey("error");
			try (VarlinkTestClient java = fixture.connect()) {
				assertThat(java.call(ECHO, Map.of("text", "x"))).containsEntry("error", StandardErrors.PERMISSION_DENIED);
			}
			assertThat(fixture.verdicts.peek().peer().facts()).containsKey("executable-sha256");
		}
	}

	@Test
	void acceptsPeerRunningInTheRequiredSystemdUnitOnly() throws Exception {
		Path cgroupRoot = CgroupFixture.cgroup2Mount();
		assumeTrue(cgroupRoot != null, "needs a writable cgroup v2 hierarchy");
		try (CgroupFixture cgroup = CgroupFixture.create(cgroupRoot, "peergate-test.slice", "fake.service");
				ListenerFixture fixture = listener(ListenerFixture.factIs("systemd-unit", "fake.service"))) {
			assertThat(PythonPeer.asCurrentUser().inCgroup(cgroup.procs()).call(this.socket, ECHO))
				.doesNotContainKey("error");
			assertThat(fixture.verdicts.peek().peer().facts()).containsEntry("systemd-unit", "fake.service");
			assertThat(PythonPeer.asCurrentUser().call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
		}
	}

}
