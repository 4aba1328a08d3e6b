package dev.peergate.unix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.peergate.core.Outcome;
import dev.peergate.core.Peer;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Facts from {@code /proc/<pid>/status} of real peers in other processes (real and saved uid, no_new_privs, seccomp),
 * decided by a Linux fact requirement on a real {@link UnixListener}.
 */
class PeerStatusFactsTests extends RealPeerListenerTests {

	@Test
	void recordsTheRealAndSavedUidOfAPeerRunningUnderAnotherUid() throws Exception {
		try (ListenerFixture fixture = listener(Map.of("real-uid", 1234))) {
			assertThat(PythonPeer.as(1234, 1234).call(this.socket, ECHO)).containsEntry("parameters", Map.of("text", "hi"));
			Verdict verdict = fixture.verdicts.peek();
			assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(verdict.peer().facts()).containsEntry("real-uid", 1234L).containsEntry("uid", 1234L);
		}
	}

	@Test
	void acceptsASetuidStylePeerOnlyWhenItsInvokingUserIsAllowed() throws Exception {
		// Effective uid root, real uid 1234: what a setuid-root program started by uid 1234 looks like. SO_PEERCRED
		// alone sees root.
		try (ListenerFixture fixture = listener(Map.of("uid", 0, "saved-uid", 0, "real-uid", 1234))) {
			assertThat(PythonPeer.withRealUid(1234).call(this.socket, ECHO)).doesNotContainKey("error");
			Peer accepted = fixture.verdicts.poll().peer();
			assertThat(accepted.uid()).isZero();
			assertThat(accepted.facts()).containsEntry("real-uid", 1234L).containsEntry("saved-uid", 0L);
			assertThat(PythonPeer.withRealUid(1235).call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
			Verdict rejected = fixture.verdicts.poll();
			assertThat(rejected.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(rejected.peer().uid()).isZero();
			assertThat(rejected.explanation()).isEqualTo("real-uid: expected 1234, peer has 1235");
		}
	}

	@Test
	void acceptsOnlyPeersRunningWithNoNewPrivs() throws Exception {
		assumeFalse(Files.readAllLines(Path.of("/proc/self/status")).contains("NoNewPrivs:\t1"),
				"this JVM runs with no_new_privs, so every peer it starts does too");
		try (ListenerFixture fixture = listener(Map.of("no-new-privs", true))) {
			assertThat(PythonPeer.asCurrentUser().withNoNewPrivs().call(this.socket, ECHO)).doesNotContainKey("error");
			assertThat(fixture.verdicts.poll().outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(PythonPeer.asCurrentUser().call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
			Verdict rejected = fixture.verdicts.poll();
			assertThat(rejected.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
			assertThat(rejected.explanation()).isEqualTo("no-new-privs: expected true, peer has false");
		}
	}

	@Test
	void acceptsOnlyPeersUnderASeccompFilter() throws Exception {
		assumeFalse(Files.readAllLines(Path.of("/proc/self/status")).contains("Seccomp:\t2"),
				"this JVM runs under a seccomp filter, so every peer it starts does too");
		try (ListenerFixture fixture = listener(Map.of("seccomp", "filter"))) {
			assertThat(PythonPeer.asCurrentUser().withSeccompFilter().call(this.socket, ECHO)).doesNotContainKey("error");
			Verdict accepted = fixture.verdicts.poll();
			assertThat(accepted.outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(accepted.peer().facts()).containsEntry("seccomp", 2L);
			assertThat(PythonPeer.asCurrentUser().call(this.socket, ECHO)).containsEntry("error",
					StandardErrors.PERMISSION_DENIED);
			assertThat(fixture.verdicts.poll().explanation()).isEqualTo("seccomp: expected 2 (filter), peer has 0");
		}
	}

	@Test
	void readsNoStatusFactTheRequirementDoesNotUse() throws Exception {
		try (ListenerFixture fixture = listener(Map.of("no-new-privs", true))) {
			PythonPeer.as(1234, 1234).withNoNewPrivs().call(this.socket, ECHO);
			assertThat(fixture.verdicts.peek().peer().facts()).containsEntry("no-new-privs", true)
				.doesNotContainKeys("real-uid", "saved-uid", "seccomp", "executable-sha256", "systemd-unit");
		}
	}

}
