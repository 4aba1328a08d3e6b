package dev.peergate.unix;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.Verdict;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;

/**
 * The PID-reuse attack, run as PID 1 of a fresh PID namespace (see {@link PidReuseAttackTests}) so that PIDs are
 * allocated predictably through {@code /proc/sys/kernel/ns_last_pid}.
 * <ol>
 * <li>A rejected binary (python) connects; verification pauses right after the socket-level capture.</li>
 * <li>It hands the connection to a child and exits; its PID is free again.</li>
 * <li>The allowed binary ({@code sleep}) is started under the very same PID.</li>
 * <li>A naive check reads {@code /proc/<pid>/exe} and sees the allowed binary; Peergate resumes, reads the same,
 * but its pidfd says the connecting process is gone, so the facts are unverified and the peer is refused.</li>
 * </ol>
 * Prints {@code KEY=value} lines for the test to check.
 */
public final class PidReuseScenario {

	private static final String ATTACKER = """
			import json, os, socket, sys
			path, out = sys.argv[1], sys.argv[2]
			s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			s.connect(path)
			if os.fork() == 0:
			    s.sendall(json.dumps({"method": "dev.peergate.test.Echo", "parameters": {"text": "pwned"}}).encode() + b"\\0")
			    buf = b""
			    while b"\\0" not in buf:
			        chunk = s.recv(65536)
			        if not chunk:
			            break
			        buf += chunk
			    with open(out, "w") as f:
			        f.write(buf.split(b"\\0")[0].decode())
			    os._exit(0)
			sys.stdin.readline()
			os._exit(0)
			""";

	private PidReuseScenario() {
	}

	public static void main(String[] args) throws Exception {
		Path socket = Path.of(args[0]);
		Path replyFile = Path.of(args[1]);
		String allowed = Path.of("/usr/bin/sleep").toRealPath().toString();
		CountDownLatch paused = new CountDownLatch(1);
		CountDownLatch resume = new CountDownLatch(1);
		AtomicInteger pidSeen = new AtomicInteger();
		LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4));
		inspector.beforeProcRead(pid -> {
			pidSeen.set(pid);
			paused.countDown();
			try {
				resume.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		Process impostor = null;
		Process attacker = null;
		try (ListenerFixture fixture = new ListenerFixture(
				UnixListenerOptions.defaults(socket).withIdleTimeout(Duration.ofSeconds(60)),
				ListenerFixture.factIs("executable-path", allowed), Duration.ofSeconds(5), inspector)) {
			attacker = new ProcessBuilder(PythonPeer.PYTHON, "-c", ATTACKER, socket.toString(), replyFile.toString())
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			if (!paused.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the attacker's connection was never verified");
			}
			int pid = pidSeen.get();
			System.out.println("ATTACKER_PID=" + attacker.pid());
			System.out.println("PID=" + pid);
			try (OutputStream stdin = attacker.getOutputStream()) {
				stdin.write("exit\n".getBytes(StandardCharsets.UTF_8));
			}
			attacker.waitFor(); // exited and reaped: its PID can be handed out again
			for (int attempt = 0; attempt < 50 && impostor == null; attempt++) {
				Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Integer.toString(pid - 1));
				Process candidate = new ProcessBuilder("/usr/bin/sleep", "60").start();
				if (candidate.pid() == pid) {
					impostor = candidate;
				}
				else {
					candidate.destroyForcibly().waitFor();
				}
			}
			System.out.println("REUSED=" + (impostor != null));
			if (impostor != null) {
				String exe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
				System.out.println("NAIVE=" + (exe.equals(allowed) ? "accept" : "reject") + " " + exe);
			}
			resume.countDown();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (fixture.verdicts.isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			Verdict verdict = fixture.verdicts.peek();
			System.out.println("PEERGATE=" + ((verdict != null) ? verdict.outcome() + " " + verdict.reason().tag() : "none"));
			System.out.println("EXPLANATION=" + ((verdict != null) ? verdict.explanation() : ""));
			System.out.println("VERIFIED=" + ((verdict != null) ? new TreeSet<>(verdict.peer().facts().keySet()) : "[]"));
			while (!Files.exists(replyFile) && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			Thread.sleep(100);
			System.out.println("REPLY=" + (Files.exists(replyFile) ? Files.readString(replyFile) : ""));
		}
		finally {
			if (impostor != null) {
				impostor.destroyForcibly();
			}
			if (attacker != null) {
				attacker.destroyForcibly();
			}
		}
		System.out.flush();
		System.exit(0);
	}

}
