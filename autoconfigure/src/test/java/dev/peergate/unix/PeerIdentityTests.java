package dev.peergate.unix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.peergate.core.Outcome;
import dev.peergate.core.Verdict;
import dev.peergate.handler.StandardErrors;
import dev.peergate.requirement.facts.FactRequirements;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real peers in other processes, under other uids, groups and cgroups, accepted or rejected exactly per the
 * requirement, written as a user writes it ({@code requirement.linux}) and built by the production
 * {@link FactRequirements} — which also decides which facts the listener gathers.
 */
class PeerIdentityTests extends RealPeerListenerTests {

	@Test
	void acceptsPeerRunningUnderTheAllowedUid() throws Exception {
		try (ListenerFixture fixture = listener(Map.of("uid", 1234))) {
			assertThat(PythonPeer.as(1234, 1234).call(this.socket, ECHO)).containsEntry("parameters", Map.of("text", "hi"));
			Verdict verdict = fixture.verdicts.peek();
			assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(verdict.peer().uid()).isEqualTo(1234);
			assertThat(verdict.peer().gid()).isEqualTo(1234);
		}
	}

	@Test
	void rejectsPeerWhoseUidIsNotListed() throws Exception {
		try (ListenerFixture fixture = listener(Map.of("uid", 1234))) {
			assertThat(PythonPeer.as(1235, 1235).call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
			assertThat(PythonPeer.asCurrentUser().call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
			assertThat(fixture.verdicts).extracting(Verdict::outcome).containsExactly(Outcome.REJECTED, Outcome.REJECTED);
			assertThat(fixture.verdicts.peek().explanation()).contains("uid").contains("1234").contains("1235");
		}
	}

	@Test
	void acceptsPeerInTheRequiredGroupAsSupplementaryOrPrimaryGroup() throws Exception {
		try (ListenerFixture fixture = listener(Map.of("groups", 4242))) {
			assertThat(PythonPeer.as(1234, 1234, 100, 4242).call(this.socket, ECHO)).doesNotContainKey("error");
			assertThat(fixture.verdicts.peek().peer().groups()).containsExactly(100L, 4242L);
			assertThat(fixture.verdicts.peek().peer().facts()).containsEntry("groups", List.of(100L, 4242L));
			assertThat(PythonPeer.as(1234, 4242).call(this.socket, ECHO)).as("'groups' also holds for the primary gid")
				.doesNotContainKey("error");
			assertThat(PythonPeer.as(1234, 1234, 100).call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
		}
	}

	@Test
	void acceptsPeerWhoseUidAndGroupBothMatchOnly() throws Exception {
		try (ListenerFixture fixture = listener(Map.of("uid", 1234, "groups", Map.of("$in", List.of(4242, 4243))))) {
			assertThat(PythonPeer.as(1234, 1234, 4243).call(this.socket, ECHO)).doesNotContainKey("error");
			assertThat(PythonPeer.as(1235, 1235, 4243).call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
			assertThat(PythonPeer.as(1234, 1234).call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
			assertThat(fixture.verdicts).extracting(Verdict::outcome)
				.containsExactly(Outcome.ACCEPTED, Outcome.REJECTED, Outcome.REJECTED);
		}
	}

	@Test
	void acceptsPeerRunningTheAllowedExecutableOnly() throws Exception {
		Path python = Path.of(PythonPeer.PYTHON).toRealPath();
		String digest = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(python)));
		try (ListenerFixture fixture = listener(
				Map.of("executable-path", python.toString(), "executable-sha256", digest))) {
			assertThat(PythonPeer.as(1234, 1234).call(this.socket, ECHO)).doesNotContainKey("error");
			assertThat(fixture.verdicts.peek().peer().facts()).containsEntry("executable-sha256", digest);
			try (VarlinkTestClient java = fixture.connect()) {
				assertThat(java.call(ECHO, Map.of("text", "x"))).containsEntry("error", StandardErrors.PERMISSION_DENIED);
			}
		}
	}

	@Test
	void optionalTestOnAFactThatCannotBeDecidedDoesNotRefuse() throws Exception {
		// Outside a cgroup v2 unit the peer has no systemd-unit fact: the optional test is undecided, not false.
		try (ListenerFixture fixture = listener(
				Map.of("uid", 1234, "$optional", Map.of("systemd-unit", "never-this.service")))) {
			Map<String, Object> reply = PythonPeer.as(1234, 1234).call(this.socket, ECHO);
			assumeTrue(!fixture.verdicts.peek().peer().facts().containsKey("systemd-unit"),
					"the peer runs inside a systemd unit here, so the optional test is decided");
			assertThat(reply).doesNotContainKey("error");
			assertThat(PythonPeer.as(1235, 1235).call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
		}
	}

	@Test
	void acceptsPeerRunningInTheRequiredSystemdUnitOnly() throws Exception {
		Path cgroupRoot = CgroupFixture.cgroup2Mount();
		assumeTrue(cgroupRoot != null, "needs a writable cgroup v2 hierarchy");
		try (CgroupFixture cgroup = CgroupFixture.create(cgroupRoot, "peergate-test.slice", "fake.service");
				ListenerFixture fixture = listener(Map.of("systemd-unit", "fake.service"))) {
			assertThat(PythonPeer.asCurrentUser().inCgroup(cgroup.procs()).call(this.socket, ECHO))
				.doesNotContainKey("error");
			assertThat(fixture.verdicts.peek().peer().facts()).containsEntry("systemd-unit", "fake.service");
			assertThat(PythonPeer.asCurrentUser().call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
		}
	}

}
