package dev.peergate.unix.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import dev.peergate.core.FactNames;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.PeerRequirement;
import dev.peergate.unix.jna.LinuxNative;
import dev.peergate.unix.jna.NativeCallException;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.channel.unix.UnixChannel;
import org.jspecify.annotations.Nullable;

/**
 * Identifies Linux peers with {@code SO_PEERCRED}, {@code SO_PEERPIDFD}, {@code SO_PEERGROUPS} and
 * {@code SO_PEERSEC}, and reads {@code /proc/<pid>} for the executable, its SHA-256, the systemd unit and, from
 * {@code status}, the real and saved uid, {@code no_new_privs} and the seccomp mode.
 * <p>
 * uid, gid, groups and the security label come from the kernel's record of the {@code connect()} call and are
 * verified facts. Facts read from {@code /proc} are verified only when the pidfd from {@code SO_PEERPIDFD} still
 * names the same PID <em>after</em> the read (systemd's {@code pidref_verify}): a PID cannot be recycled while its
 * process is alive, so the read saw the peer. Without a pidfd (kernel before 6.5, or the peer already gone) they
 * are recorded as unverified with the reason, and any requirement that needs them fails closed.
 * <p>
 * {@link #forRequirement} narrows the work to the facts a requirement reads: the executable is hashed, the
 * cgroup and {@code status} read, supplementary groups and the security label asked for only when the requirement
 * names them. The uid, gid, user and group names and the executable path (when {@code /proc} is read at all) are
 * always recorded, to say who the peer was.
 *
 * <pre>{@code
 * LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(256));
 * try (PeerInspector.PeerCapture capture = inspector.capture(channel)) {
 *     PeerCredentials peer = capture.verify();
 * }
 * }</pre>
 */
public final class LinuxPeerInspector implements PeerInspector {

	/** Fact names recorded by this inspector: {@link FactNames#LINUX}. */
	public static final String UID = FactNames.UID, GID = FactNames.GID, GROUPS = FactNames.GROUPS,
			USER = FactNames.USER, GROUP = FactNames.GROUP, SECURITY_LABEL = FactNames.SECURITY_LABEL,
			EXECUTABLE_PATH = FactNames.EXECUTABLE_PATH, EXECUTABLE_SHA256 = FactNames.EXECUTABLE_SHA256,
			SYSTEMD_UNIT = FactNames.SYSTEMD_UNIT, REAL_UID = FactNames.REAL_UID, SAVED_UID = FactNames.SAVED_UID,
			NO_NEW_PRIVS = FactNames.NO_NEW_PRIVS, SECCOMP = FactNames.SECCOMP;

	private static final List<String> PROCESS_FACTS = List.of(EXECUTABLE_PATH, EXECUTABLE_SHA256, SYSTEMD_UNIT,
			REAL_UID, SAVED_UID, NO_NEW_PRIVS, SECCOMP);

	private static final String DELETED_SUFFIX = " (deleted)";

	private static final BeforeProcRead NO_PAUSE = pid -> {
	};

	private final LinuxNative linux;

	private final ExecutableDigests digests;

	private final Mechanism mechanism;

	private final Path procRoot;

	private final PeerNames names;

	/** Facts to gather; {@code null} for every fact this inspector knows. */
	private final @Nullable Set<String> wanted;

	private final AtomicReference<BeforeProcRead> beforeProcRead;

	/** An inspector for this kernel, caching executable digests in {@code digests}. */
	public LinuxPeerInspector(ExecutableDigests digests) {
		this(LinuxNative.get(), digests, detectMechanism(), Path.of("/proc"));
	}

	/**
	 * An inspector with an explicit mechanism and {@code /proc} root (a host's {@code /proc} mounted elsewhere,
	 * or the {@code peercred} mechanism on a kernel with pidfds, to compare them).
	 */
	public LinuxPeerInspector(LinuxNative linux, ExecutableDigests digests, Mechanism mechanism, Path procRoot) {
		this(linux, digests, mechanism, procRoot, new PeerNames(linux::userName, linux::groupName), null,
				new AtomicReference<>(NO_PAUSE));
	}

	private LinuxPeerInspector(LinuxNative linux, ExecutableDigests digests, Mechanism mechanism, Path procRoot,
			PeerNames names, @Nullable Set<String> wanted, AtomicReference<BeforeProcRead> beforeProcRead) {
		this.linux = linux;
		this.digests = digests;
		this.mechanism = mechanism;
		this.procRoot = procRoot;
		this.names = names;
		this.wanted = wanted;
		this.beforeProcRead = beforeProcRead;
	}

	/**
	 * An inspector gathering only what {@code requirement} reads (see the class description), sharing this one's
	 * digest and name caches; this inspector itself when the requirement does not say what it reads.
	 */
	@Override
	public LinuxPeerInspector forRequirement(PeerRequirement requirement) {
		Optional<Set<String>> needed = requirement.neededFacts();
		if (needed.isEmpty()) {
			return this;
		}
		return new LinuxPeerInspector(this.linux, this.digests, this.mechanism, this.procRoot, this.names,
				Set.copyOf(needed.get()), this.beforeProcRead);
	}

	private boolean wants(String fact) {
		Set<String> facts = this.wanted;
		return facts == null || facts.contains(fact);
	}

	private List<String> wantedProcessFacts() {
		return PROCESS_FACTS.stream().filter(this::wants).toList();
	}

	/**
	 * {@link Mechanism#PIDFD} when this kernel supports {@code SO_PEERPIDFD} (6.5+), else {@link Mechanism#PEERCRED}.
	 * Probed once on a socket pair.
	 */
	public static Mechanism detectMechanism() {
		LinuxNative linux = LinuxNative.get();
		int[] pair;
		try {
			pair = linux.socketPair();
		}
		catch (NativeCallException ex) {
			return Mechanism.PEERCRED;
		}
		try {
			OptionalInt pidfd = linux.peerPidfd(pair[0]);
			pidfd.ifPresent(linux::close);
			return pidfd.isPresent() ? Mechanism.PIDFD : Mechanism.PEERCRED;
		}
		catch (NativeCallException ex) {
			return Mechanism.PEERCRED;
		}
		finally {
			linux.close(pair[0]);
			linux.close(pair[1]);
		}
	}

	@Override
	public Mechanism mechanism() {
		return this.mechanism;
	}

	/**
	 * Runs {@code hook} between the socket-level capture and the first read of {@code /proc/<pid>}: the window in
	 * which a peer's PID can be reused, which tests widen to prove the pidfd closes it.
	 */
	public void beforeProcRead(BeforeProcRead hook) {
		this.beforeProcRead.set(hook);
	}

	@Override
	public PeerCapture capture(DomainSocketChannel channel) throws IOException {
		return capture(((UnixChannel) channel).fd().intValue());
	}

	/** Takes uid, gid and PID from {@code connector} when it read them: {@code SO_PEERCRED} is read once. */
	@Override
	public PeerCapture capture(DomainSocketChannel channel, Connector connector) throws IOException {
		int socketFd = ((UnixChannel) channel).fd().intValue();
		if (connector.gid() == Connector.UNKNOWN_GID) {
			return capture(socketFd);
		}
		return capture(socketFd, new LinuxNative.Ucred((int) connector.pidHint(), connector.uid(), connector.gid()));
	}

	@Override
	public Connector connector(DomainSocketChannel channel) throws NativeCallException {
		LinuxNative.Ucred ucred = this.linux.peerCredentials(((UnixChannel) channel).fd().intValue());
		return new Connector(ucred.uid(), ucred.gid(), ucred.pid());
	}

	/** Captures the credentials of the connected socket {@code socketFd}. */
	public LinuxCapture capture(int socketFd) throws NativeCallException {
		return capture(socketFd, this.linux.peerCredentials(socketFd));
	}

	/** Captures the rest of the credentials of {@code socketFd}, whose {@code SO_PEERCRED} is {@code ucred}. */
	private LinuxCapture capture(int socketFd, LinuxNative.Ucred ucred) throws NativeCallException {
		Pidfd pidfd = null;
		String noPidfd = null;
		if (this.mechanism == Mechanism.PIDFD) {
			try {
				OptionalInt fd = this.linux.peerPidfd(socketFd);
				if (fd.isPresent()) {
					pidfd = new Pidfd(this.linux, fd.getAsInt());
				}
				else {
					noPidfd = "kernel has no SO_PEERPIDFD (needs Linux 6.5+)";
				}
			}
			catch (NativeCallException ex) {
				noPidfd = "no pidfd for the peer: " + ex.getMessage() + " (the peer may have exited)";
			}
		}
		else {
			noPidfd = "kernel has no SO_PEERPIDFD (needs Linux 6.5+): the PID from SO_PEERCRED may have been recycled";
		}
		try {
			// Socket-level facts are cheap and part of the Peer handlers see: always read, whatever the requirement.
			List<Long> groups = this.linux.peerGroups(socketFd);
			Optional<String> label = this.linux.peerSecurityLabel(socketFd);
			return new LinuxCapture(ucred, groups, label.orElse(null), pidfd, noPidfd);
		}
		catch (NativeCallException | RuntimeException ex) {
			if (pidfd != null) {
				pidfd.close();
			}
			throw ex;
		}
	}

	/** Pauses verification before {@code /proc} is read (tests reproduce PID reuse with it). */
	@FunctionalInterface
	public interface BeforeProcRead {

		/** Called with the PID the socket reported, before {@code /proc} is read. */
		void pause(int pid);

	}

	/** What {@link #capture(int)} read from the socket. */
	public final class LinuxCapture implements PeerCapture {

		private final LinuxNative.Ucred ucred;

		private final List<Long> groups;

		private final @Nullable String label;

		private @Nullable Pidfd pidfd;

		private final @Nullable String noPidfd;

		/** When the peer's credentials were read: where its verification begins. */
		private final long capturedNanos = System.nanoTime();

		LinuxCapture(LinuxNative.Ucred ucred, List<Long> groups, @Nullable String label, @Nullable Pidfd pidfd,
				@Nullable String noPidfd) {
			this.ucred = ucred;
			this.groups = groups;
			this.label = label;
			this.pidfd = pidfd;
			this.noPidfd = noPidfd;
		}

		@Override
		public long pidHint() {
			return this.ucred.pid();
		}

		@Override
		public long uid() {
			return this.ucred.uid();
		}

		@Override
		public PeerCredentials verify() {
			return Objects.requireNonNull(verify(true));
		}

		/**
		 * Blocks for nothing when the user and group names are cached and, if the requirement reads
		 * {@code executable-sha256}, the executable's digest is cached for its current identity: what is left are
		 * reads of {@code /proc}, which the kernel answers from memory. A paused verification (the test hook)
		 * always runs on the verification thread.
		 */
		@Override
		public @Nullable PeerCredentials verifyWithoutBlocking() {
			if (LinuxPeerInspector.this.beforeProcRead.get() != NO_PAUSE) {
				return null;
			}
			return verify(false);
		}

		private @Nullable PeerCredentials verify(boolean mayBlock) {
			PeerNames names = LinuxPeerInspector.this.names;
			Optional<String> user = mayBlock ? names.user(this.ucred.uid()) : names.cachedUser(this.ucred.uid());
			Optional<String> group = mayBlock ? names.group(this.ucred.gid()) : names.cachedGroup(this.ucred.gid());
			if (user == null || group == null) {
				return null;
			}
			PeerFacts.Builder facts = PeerFacts.builder()
				.verified(UID, this.ucred.uid())
				.verified(GID, this.ucred.gid())
				.verified(GROUPS, this.groups);
			user.ifPresent(name -> facts.verified(USER, name));
			group.ifPresent(name -> facts.verified(GROUP, name));
			if (this.label != null) {
				facts.verified(SECURITY_LABEL, this.label);
			}
			Pidfd handle = this.pidfd;
			List<String> processFacts = wantedProcessFacts();
			if (handle == null) {
				String reason = (this.noPidfd != null) ? this.noPidfd : "no pidfd";
				processFacts.forEach(name -> facts.unverified(name, reason));
			}
			else if (!processFacts.isEmpty()) {
				try {
					if (!readProcessFacts(handle, facts, mayBlock)) {
						return null; // the pidfd stays with this capture for verify()
					}
				}
				catch (RuntimeException ex) {
					this.pidfd = null;
					handle.close(); // nobody else owns it yet
					throw ex;
				}
			}
			this.pidfd = null;
			return PeerCredentials.builder("unix")
				.uid(this.ucred.uid())
				.gid(this.ucred.gid())
				.groups(this.groups)
				.pidHint(this.ucred.pid())
				.processHandle(handle)
				.facts(facts.build())
				.capturedAt(this.capturedNanos)
				.build();
		}

		/** Whether the facts were read; {@code false} if that would block and {@code mayBlock} is not set. */
		private boolean readProcessFacts(Pidfd handle, PeerFacts.Builder facts, boolean mayBlock) {
			List<String> processFacts = wantedProcessFacts();
			int pid;
			try {
				pid = handle.pid();
			}
			catch (NativeCallException ex) {
				processFacts.forEach(name -> facts.unverified(name, "cannot resolve the pidfd: " + ex.getMessage()));
				return true;
			}
			if (pid <= 0) {
				String reason = (pid < 0) ? "the peer process exited before it could be verified"
						: "the peer process is not visible in this PID namespace";
				processFacts.forEach(name -> facts.unverified(name, reason));
				return true;
			}
			LinuxPeerInspector.this.beforeProcRead.get().pause(pid);
			Map<String, Object> read = new LinkedHashMap<>();
			Map<String, String> failed = new LinkedHashMap<>();
			if (!readProc(pid, read, failed, mayBlock)) {
				return false;
			}
			// The read is trustworthy only if the pidfd still names that PID now: then the process was alive for
			// the whole read and its PID cannot have been handed to another process (systemd pidref_verify).
			String stale = null;
			try {
				if (!handle.stillNames(pid)) {
					stale = "the peer process (pid " + pid + ") exited or was replaced while /proc was read";
				}
			}
			catch (NativeCallException ex) {
				stale = "cannot re-check the pidfd after reading /proc: " + ex.getMessage();
			}
			for (String name : PROCESS_FACTS) {
				if (stale != null && (processFacts.contains(name) || read.containsKey(name))) {
					facts.unverified(name, stale);
				}
				else if (read.containsKey(name)) {
					facts.verified(name, read.get(name));
				}
				else if (failed.containsKey(name)) {
					facts.unverified(name, failed.get(name));
				}
			}
			return true;
		}

		private boolean readProc(int pid, Map<String, Object> read, Map<String, String> failed, boolean mayBlock) {
			Path dir = LinuxPeerInspector.this.procRoot.resolve(Integer.toString(pid));
			Path exe = dir.resolve("exe");
			try {
				String path = Files.readSymbolicLink(exe).toString();
				if (path.endsWith(DELETED_SUFFIX)) {
					failed.put(EXECUTABLE_PATH, "the executable " + path + " no longer exists at its path");
				}
				else {
					read.put(EXECUTABLE_PATH, path);
				}
			}
			catch (IOException | SecurityException ex) {
				failed.put(EXECUTABLE_PATH, "cannot read " + exe + ": " + describe(ex));
			}
			if (wants(EXECUTABLE_SHA256)) {
				try {
					ExecutableDigests digests = LinuxPeerInspector.this.digests;
					Optional<String> digest = mayBlock ? Optional.of(digests.sha256(exe)) : digests.cachedSha256(exe);
					if (digest.isEmpty()) {
						return false; // hashing reads the whole file: not on an I/O thread
					}
					read.put(EXECUTABLE_SHA256, digest.get());
				}
				catch (IOException | SecurityException ex) {
					failed.put(EXECUTABLE_SHA256, "cannot hash " + exe + ": " + describe(ex));
				}
			}
			if (wants(SYSTEMD_UNIT)) {
				Path cgroup = dir.resolve("cgroup");
				try {
					List<String> lines = new ArrayList<>(Files.readAllLines(cgroup, StandardCharsets.UTF_8));
					SystemdUnits.unitOf(lines).ifPresent(unit -> read.put(SYSTEMD_UNIT, unit));
				}
				catch (IOException | SecurityException ex) {
					failed.put(SYSTEMD_UNIT, "cannot read " + cgroup + ": " + describe(ex));
				}
			}
			List<String> statusFacts = ProcStatus.FACTS.stream().filter(LinuxPeerInspector.this::wants).toList();
			if (!statusFacts.isEmpty()) {
				// One read for all four facts, so they describe the same moment of the process.
				Path status = dir.resolve("status");
				try {
					ProcStatus parsed = ProcStatus.parse(Files.readAllBytes(status), status.toString());
					for (String name : statusFacts) {
						if (parsed.values().containsKey(name)) {
							read.put(name, parsed.values().get(name));
						}
						else {
							failed.put(name, Objects.requireNonNullElse(parsed.problems().get(name), "not in " + status));
						}
					}
				}
				catch (IOException | SecurityException ex) {
					statusFacts.forEach(name -> failed.put(name, "cannot read " + status + ": " + describe(ex)));
				}
			}
			return true;
		}

		@Override
		public void close() {
			Pidfd handle = this.pidfd;
			this.pidfd = null;
			if (handle != null) {
				handle.close();
			}
		}

	}

	private static String describe(Exception ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

}
