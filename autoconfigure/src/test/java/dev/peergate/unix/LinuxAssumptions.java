package dev.peergate.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.peergate.core.Mechanism;
import dev.peergate.unix.jna.LinuxNative;
import dev.peergate.unix.peer.LinuxPeerInspector;
import io.netty.channel.epoll.Epoll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Skips tests that need Linux, epoll, root or a kernel feature, with the reason. */
public final class LinuxAssumptions {

	private LinuxAssumptions() {
	}

	public static void assumeLinuxTransport() {
		assumeTrue(LinuxNative.isSupported(), "needs Linux on x86_64 or aarch64");
		assumeTrue(Epoll.isAvailable(), "needs Netty epoll: " + Epoll.unavailabilityCause());
	}

	public static void assumePidfd() {
		assumeLinuxTransport();
		assumeTrue(LinuxPeerInspector.detectMechanism() == Mechanism.PIDFD, "needs SO_PEERPIDFD (Linux 6.5+)");
	}

	public static void assumeRoot() {
		assumeLinuxTransport();
		assumeTrue(currentUid() == 0, "needs root to run peers under other uids");
	}

	public static void assumeTool(String path) {
		assumeTrue(Files.isExecutable(Path.of(path)), "needs " + path);
	}

	public static long currentUid() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("Uid:")) {
					return Long.parseLong(line.split("\\s+")[2]);
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		throw new IllegalStateException("no Uid: line");
	}

}
