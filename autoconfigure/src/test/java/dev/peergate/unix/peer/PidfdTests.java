package dev.peergate.unix.peer;

import dev.peergate.unix.LinuxAssumptions;
import dev.peergate.unix.jna.LinuxNative;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** pidfd primitives against real processes. */
class PidfdTests {

	@BeforeAll
	static void needsPidfd() {
		LinuxAssumptions.assumePidfd();
	}

	@Test
	void resolvesThePidOfALiveProcessBothWays() throws Exception {
		LinuxNative linux = LinuxNative.get();
		try (Pidfd self = new Pidfd(linux, linux.pidfdOpen(linux.getpid()))) {
			assertThat(self.pid()).isEqualTo(linux.getpid());
			assertThat(linux.pidOfPidfdFromFdinfo(self.fd())).isEqualTo(linux.getpid());
			assertThat(self.isAlive()).isTrue();
		}
	}

	@Test
	void reportsAReapedProcessAsGone() throws Exception {
		LinuxNative linux = LinuxNative.get();
		Process child = new ProcessBuilder("sleep", "30").start();
		try (Pidfd pidfd = new Pidfd(linux, linux.pidfdOpen((int) child.pid()))) {
			assertThat(pidfd.isAlive()).isTrue();
			child.destroyForcibly().waitFor();
			assertThat(pidfd.isAlive()).isFalse();
			assertThat(pidfd.pid()).isEqualTo(-1);
			assertThat(linux.pidOfPidfdFromFdinfo(pidfd.fd())).isEqualTo(-1);
		}
	}

	@Test
	void stillNamesItsProcessOnlyUntilItIsReaped() throws Exception {
		LinuxNative linux = LinuxNative.get();
		Process child = new ProcessBuilder("sleep", "30").start();
		int pid = (int) child.pid();
		try (Pidfd pidfd = new Pidfd(linux, linux.pidfdOpen(pid))) {
			assertThat(pidfd.stillNames(pid)).isTrue();
			assertThat(pidfd.stillNames(pid + 1)).isFalse();
			child.destroyForcibly().waitFor();
			assertThat(pidfd.stillNames(pid)).isFalse();
		}
	}

}
