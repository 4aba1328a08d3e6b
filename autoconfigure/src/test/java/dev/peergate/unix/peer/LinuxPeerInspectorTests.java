package dev.peergate.unix.peer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.peergate.core.Evaluation;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.unix.LinuxAssumptions;
import dev.peergate.unix.jna.LinuxNative;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The inspector on a socket pair whose peer is this JVM: every fact is known in advance. */
class LinuxPeerInspectorTests {

	private LinuxNative linux;

	private int[] pair;

	@BeforeAll
	static void needsPidfd() {
		LinuxAssumptions.assumePidfd();
	}

	@BeforeEach
	void socketPair() throws Exception {
		this.linux = LinuxNative.get();
		this.pair = this.linux.socketPair();
	}

	@AfterEach
	void closePair() {
		this.linux.close(this.pair[0]);
		this.linux.close(this.pair[1]);
	}

	@Test
	void takesUidGidAndPidFromTheConnectorInsteadOfAskingTheKernelAgain() throws Exception {
		LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4));
		EpollDomainSocketChannel channel = new EpollDomainSocketChannel(this.pair[0]);
		PeerInspector.Connector connector = inspector.connector(channel);
		assertThat(connector.uid()).isEqualTo(LinuxAssumptions.currentUid());
		assertThat(connector.pidHint()).isEqualTo(ProcessHandle.current().pid());
		long kernelGid = connector.gid();
		assertThat(kernelGid).isNotEqualTo(PeerInspector.Connector.UNKNOWN_GID);
		// a gid the kernel cannot have reported shows whether the capture read SO_PEERCRED again
		long marker = kernelGid + 4242;
		PeerInspector.Connector read = new PeerInspector.Connector(connector.uid(), marker, connector.pidHint());
		try (PeerCredentials peer = inspector.capture(channel, read).verify()) {
			assertThat(peer.facts().get("gid")).contains(marker);
			assertThat(peer.uid()).isEqualTo(LinuxAssumptions.currentUid());
			assertThat(peer.pidHint()).hasValue(ProcessHandle.current().pid());
		}
		PeerInspector.Connector unread = new PeerInspector.Connector(connector.uid(),
				PeerInspector.Connector.UNKNOWN_GID, connector.pidHint());
		try (PeerCredentials peer = inspector.capture(channel, unread).verify()) {
			assertThat(peer.facts().get("gid")).contains(kernelGid);
		}
	}

	@Test
	void recordsIdsAndGroupsAsVerifiedFacts() throws Exception {
		LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4));
		try (PeerCredentials peer = inspector.capture(this.pair[0]).verify()) {
			assertThat(peer.uid()).isEqualTo(LinuxAssumptions.currentUid());
			assertThat(peer.facts().get("uid")).contains(LinuxAssumptions.currentUid());
			assertThat(peer.facts().get("gid")).containsInstanceOf(Long.class);
			assertThat(peer.facts().get("groups")).containsInstanceOf(List.class);
			assertThat(peer.pidHint()).hasValue(ProcessHandle.current().pid());
			if (LinuxAssumptions.currentUid() == 0) {
				assertThat(peer.facts().get("user")).contains("root");
			}
		}
	}

	@Test
	void verifiesExecutablePathAndDigestAgainstThePidfd() throws Exception {
		LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4));
		String java = ProcessHandle.current().info().command().orElseThrow();
		String expected = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of(java))));
		try (PeerCredentials peer = inspector.capture(this.pair[0]).verify()) {
			assertThat(inspector.mechanism()).isEqualTo(Mechanism.PIDFD);
			assertThat(peer.facts().get("executable-path")).contains(java);
			assertThat(peer.facts().get("executable-sha256")).contains(expected);
			assertThat(peer.facts().unverified()).isEmpty();
		}
	}

	@Test
	void hashesEachExecutableOnceWhileItIsUnchanged() throws Exception {
		ExecutableDigests digests = new ExecutableDigests(4);
		LinuxPeerInspector inspector = new LinuxPeerInspector(digests);
		for (int i = 0; i < 3; i++) {
			inspector.capture(this.pair[0]).verify().close();
		}
		assertThat(digests.computedCount()).isEqualTo(1);
	}

	@Test
	void gathersOnlyTheFactsTheRequirementReads() throws Exception {
		ExecutableDigests digests = new ExecutableDigests(4);
		PeerInspector inspector = new LinuxPeerInspector(digests).forRequirement(needing("uid"));
		try (PeerCredentials peer = ((LinuxPeerInspector) inspector).capture(this.pair[0]).verify()) {
			assertThat(peer.facts().get("uid")).contains(LinuxAssumptions.currentUid());
			assertThat(peer.facts().verified()).containsKeys("uid", "gid", "groups")
				.doesNotContainKeys("executable-path", "executable-sha256",
					"systemd-unit", "real-uid", "saved-uid", "no-new-privs", "seccomp");
			assertThat(peer.facts().unverified()).isEmpty();
			assertThat(peer.processHandle()).isNotNull();
		}
		assertThat(digests.computedCount()).isZero();
	}

	@Test
	void hashesTheExecutableWhenTheRequirementReadsItsDigest() throws Exception {
		ExecutableDigests digests = new ExecutableDigests(4);
		PeerInspector inspector = new LinuxPeerInspector(digests).forRequirement(needing("executable-sha256"));
		String java = ProcessHandle.current().info().command().orElseThrow();
		try (PeerCredentials peer = ((LinuxPeerInspector) inspector).capture(this.pair[0]).verify()) {
			assertThat(peer.facts().get("executable-sha256")).isPresent();
			assertThat(peer.facts().get("executable-path")).contains(java);
			assertThat(peer.facts().verified()).doesNotContainKeys("systemd-unit", "real-uid");
		}
		assertThat(digests.computedCount()).isEqualTo(1);
	}

	@Test
	void defersVerificationThatWouldLookUpNamesNotYetCached() throws Exception {
		LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4)).forRequirement(needing("uid"));
		try (LinuxPeerInspector.LinuxCapture capture = inspector.capture(this.pair[0])) {
			assertThat(capture.verifyWithoutBlocking()).isNull();
			capture.verify().close(); // looks the names up
		}
		try (PeerCredentials peer = inspector.capture(this.pair[0]).verifyWithoutBlocking()) {
			assertThat(peer).isNotNull();
			assertThat(peer.facts().get("uid")).contains(LinuxAssumptions.currentUid());
		}
	}

	@Test
	void defersVerificationThatWouldHashAnExecutableNotYetCached() throws Exception {
		ExecutableDigests digests = new ExecutableDigests(4);
		LinuxPeerInspector inspector = new LinuxPeerInspector(digests);
		inspector.forRequirement(needing("uid")).capture(this.pair[0]).verify().close(); // caches the names only
		LinuxPeerInspector.LinuxCapture capture = inspector.forRequirement(needing("executable-sha256"))
			.capture(this.pair[0]);
		assertThat(capture.verifyWithoutBlocking()).isNull();
		assertThat(digests.computedCount()).isZero();
		try (PeerCredentials peer = capture.verify()) { // the capture is unchanged: its pidfd verifies the read
			assertThat(peer.facts().get("executable-sha256")).isPresent();
			assertThat(peer.facts().unverified()).isEmpty();
			assertThat(((Pidfd) peer.processHandle()).isAlive()).isTrue();
		}
		assertThat(digests.computedCount()).isEqualTo(1);
	}

	@Test
	void verifiesWithoutBlockingOnceNamesAndDigestAreCached() throws Exception {
		ExecutableDigests digests = new ExecutableDigests(4);
		LinuxPeerInspector inspector = new LinuxPeerInspector(digests).forRequirement(needing("executable-sha256"));
		inspector.capture(this.pair[0]).verify().close();
		String java = ProcessHandle.current().info().command().orElseThrow();
		try (PeerCredentials peer = inspector.capture(this.pair[0]).verifyWithoutBlocking()) {
			assertThat(peer).isNotNull();
			assertThat(peer.facts().get("executable-path")).contains(java);
			assertThat(peer.facts().get("executable-sha256")).isPresent();
			assertThat(peer.facts().unverified()).isEmpty();
		}
		assertThat(digests.computedCount()).isEqualTo(1);
	}

	@Test
	void gathersEveryFactForARequirementThatDoesNotSayWhatItReads() throws Exception {
		PeerRequirement opaque = PeerRequirement.of("opaque", peer -> Evaluation.satisfied("ok"));
		PeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4)).forRequirement(opaque);
		try (PeerCredentials peer = ((LinuxPeerInspector) inspector).capture(this.pair[0]).verify()) {
			assertThat(peer.facts().verified()).containsKeys("uid", "gid", "groups", "executable-path",
					"executable-sha256", "real-uid", "saved-uid", "no-new-privs", "seccomp");
		}
	}

	@Test
	void readsStatusFactsOfThePeerWhenTheRequirementReadsThem() throws Exception {
		PeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4))
			.forRequirement(needing("real-uid", "saved-uid", "no-new-privs", "seccomp"));
		Map<String, String> status = statusOfThisProcess();
		String[] uids = status.get("Uid").split("\t");
		try (PeerCredentials peer = ((LinuxPeerInspector) inspector).capture(this.pair[0]).verify()) {
			assertThat(peer.facts().verified()).containsEntry("real-uid", Long.parseLong(uids[0]))
				.containsEntry("saved-uid", Long.parseLong(uids[2]))
				.containsEntry("no-new-privs", "1".equals(status.get("NoNewPrivs")))
				.containsEntry("seccomp", Long.parseLong(status.get("Seccomp")));
			assertThat(peer.facts().unverified()).isEmpty();
		}
	}

	@Test
	void readsOnlyTheStatusFactsTheRequirementReads() throws Exception {
		ExecutableDigests digests = new ExecutableDigests(4);
		PeerInspector inspector = new LinuxPeerInspector(digests).forRequirement(needing("no-new-privs"));
		try (PeerCredentials peer = ((LinuxPeerInspector) inspector).capture(this.pair[0]).verify()) {
			assertThat(peer.facts().verified()).containsKey("no-new-privs")
				.doesNotContainKeys("real-uid", "saved-uid", "seccomp", "systemd-unit", "executable-sha256");
		}
		assertThat(digests.computedCount()).isZero();
	}

	@Test
	void marksStatusFactsUnverifiedWhenTheStatusFileCannotBeRead(@TempDir Path root) throws Exception {
		// A /proc whose <pid> directory has an exe link but no status file: the read itself fails.
		Path pidDir = fakeProcessDirectory(root);
		LinuxPeerInspector inspector = new LinuxPeerInspector(this.linux, new ExecutableDigests(4), Mechanism.PIDFD, root)
			.forRequirement(needing("real-uid", "seccomp"));
		try (PeerCredentials peer = inspector.capture(this.pair[0]).verify()) {
			assertThat(peer.facts().verified()).doesNotContainKeys("real-uid", "seccomp");
			assertThat(peer.facts().unverified()).containsOnlyKeys("real-uid", "seccomp");
			assertThat(peer.facts().unverifiedReason("real-uid")).startsWith("cannot read " + pidDir.resolve("status"))
				.contains("NoSuchFileException");
		}
	}

	@Test
	void marksAStatusFactUnverifiedWhenItsLineIsMissing(@TempDir Path root) throws Exception {
		// An old kernel's status file, without NoNewPrivs: and Seccomp: lines.
		Path pidDir = fakeProcessDirectory(root);
		Files.writeString(pidDir.resolve("status"), "Name:\tjava\nUid:\t7\t7\t8\t7\nGid:\t7\t7\t7\t7\n");
		LinuxPeerInspector inspector = new LinuxPeerInspector(this.linux, new ExecutableDigests(4), Mechanism.PIDFD, root)
			.forRequirement(needing("real-uid", "saved-uid", "no-new-privs", "seccomp"));
		try (PeerCredentials peer = inspector.capture(this.pair[0]).verify()) {
			assertThat(peer.facts().verified()).containsEntry("real-uid", 7L).containsEntry("saved-uid", 8L);
			assertThat(peer.facts().unverified()).containsOnlyKeys("no-new-privs", "seccomp");
			assertThat(peer.facts().unverifiedReason("no-new-privs")).contains("has no 'NoNewPrivs:' line");
		}
	}

	/** {@code root/<our pid>/exe} linking to our executable, as the inspector reads it instead of /proc. */
	private static Path fakeProcessDirectory(Path root) throws Exception {
		Path pidDir = Files.createDirectory(root.resolve(Long.toString(ProcessHandle.current().pid())));
		Files.createSymbolicLink(pidDir.resolve("exe"), Path.of(ProcessHandle.current().info().command().orElseThrow()));
		return pidDir;
	}

	private static Map<String, String> statusOfThisProcess() throws Exception {
		Map<String, String> lines = new HashMap<>();
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			int colon = line.indexOf(':');
			lines.put(line.substring(0, colon), line.substring(colon + 1).trim());
		}
		return lines;
	}

	private static PeerRequirement needing(String... facts) {
		return new PeerRequirement() {

			@Override
			public Evaluation evaluate(PeerCredentials peer) {
				return Evaluation.satisfied("test");
			}

			@Override
			public String describe() {
				return "needs " + String.join(", ", facts);
			}

			@Override
			public Optional<Set<String>> neededFacts() {
				return Optional.of(Set.of(facts));
			}

		};
	}

	@Test
	void closesThePidfdWithTheCredentials() throws Exception {
		LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4));
		PeerCredentials peer = inspector.capture(this.pair[0]).verify();
		Pidfd pidfd = (Pidfd) peer.processHandle();
		assertThat(pidfd).isNotNull();
		assertThat(pidfd.isAlive()).isTrue();
		assertThat(Files.exists(Path.of("/proc/self/fd/" + pidfd.fd()))).isTrue();
		peer.close();
		assertThat(pidfd.isClosed()).isTrue();
		assertThat(pidfd.isAlive()).isFalse();
	}

	@Test
	void marksProcessFactsUnverifiedWithoutPeerPidfd() throws Exception {
		LinuxPeerInspector inspector = new LinuxPeerInspector(this.linux, new ExecutableDigests(4), Mechanism.PEERCRED,
				Path.of("/proc"));
		try (PeerCredentials peer = inspector.capture(this.pair[0]).verify()) {
			assertThat(peer.processHandle()).isNull();
			assertThat(peer.facts().unverified()).containsOnlyKeys("executable-path", "executable-sha256", "systemd-unit",
					"real-uid", "saved-uid", "no-new-privs", "seccomp");
			assertThat(peer.facts().unverifiedReason("no-new-privs")).contains("SO_PEERPIDFD");
			assertThat(peer.facts().unverifiedReason("executable-path")).contains("SO_PEERPIDFD");
			assertThat(peer.facts().get("uid")).isPresent();
		}
	}

	@Test
	void marksProcessFactsUnverifiedWhenThePeerDiesDuringTheRead() throws Exception {
		Process child = new ProcessBuilder("sleep", "30").start();
		try {
			int pidfd = this.linux.pidfdOpen((int) child.pid());
			LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4));
			// A capture whose pidfd names the child; the child is killed and reaped while /proc is being read.
			LinuxPeerInspector.LinuxCapture capture = inspector.new LinuxCapture(
					new LinuxNative.Ucred((int) child.pid(), 0, 0), List.of(), null, new Pidfd(this.linux, pidfd), null);
			inspector.beforeProcRead(pid -> {
				child.destroyForcibly();
				try {
					child.waitFor();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			try (PeerCredentials peer = capture.verify()) {
				assertThat(peer.facts().verified()).doesNotContainKeys("executable-path", "executable-sha256");
				assertThat(peer.facts().unverifiedReason("executable-path")).contains("exited or was replaced");
				assertThat(peer.facts().verified()).doesNotContainKeys("real-uid", "saved-uid", "no-new-privs", "seccomp");
				assertThat(peer.facts().unverifiedReason("real-uid")).contains("exited or was replaced");
				assertThat(peer.facts().unverifiedReason("seccomp")).contains("exited or was replaced");
			}
		}
		finally {
			child.destroyForcibly();
		}
	}

	@Test
	void verifiesWithoutBlockingThatAPeerReapedBeforeTheReadHasNoProcessFacts() throws Exception {
		LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4));
		long uid;
		long gid;
		try (PeerCredentials self = inspector.capture(this.pair[0]).verify()) { // caches this user's names
			uid = self.uid();
			gid = self.gid();
		}
		Process child = new ProcessBuilder("sleep", "30").start();
		int pid = (int) child.pid();
		int pidfd = this.linux.pidfdOpen(pid);
		child.destroyForcibly().waitFor();
		LinuxPeerInspector.LinuxCapture capture = inspector.new LinuxCapture(
				new LinuxNative.Ucred(pid, uid, gid), List.of(), null, new Pidfd(this.linux, pidfd), null);
		try (PeerCredentials peer = capture.verifyWithoutBlocking()) {
			assertThat(peer).isNotNull();
			assertThat(peer.facts().verified()).doesNotContainKeys("executable-path", "executable-sha256");
			assertThat(peer.facts().unverifiedReason("executable-path")).contains("exited before it could be verified");
		}
	}

	@Test
	void detectsPidfdSupportOfThisKernel() {
		assertThat(LinuxPeerInspector.detectMechanism()).isEqualTo(Mechanism.PIDFD);
	}

}
