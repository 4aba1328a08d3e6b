package dev.peergate.systemd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What {@code sd_notify} reads from the environment and writes on the wire: the notify address as a
 * {@code sockaddr_un} (path or abstract), the watchdog interval at half {@code WATCHDOG_USEC} and only for the
 * process {@code WATCHDOG_PID} names, and a status that stays one assignment on one line. The datagrams themselves
 * reach a real socket in the sample's {@code HelperSystemdNotifyTests}.
 */
@Timeout(10)
class SystemdNotifierTests {

	private static final long PID = 4242;

	@Test
	void aPathAddressIsTheFamilyThePathAndATerminatingNul() {
		byte[] sockaddr = NotifyAddress.parse("/run/systemd/notify").sockaddr();
		assertThat(ByteBuffer.wrap(sockaddr).order(ByteOrder.nativeOrder()).getShort(0)).isEqualTo((short) 1);
		assertThat(Arrays.copyOfRange(sockaddr, 2, sockaddr.length))
			.isEqualTo("/run/systemd/notify\0".getBytes(StandardCharsets.US_ASCII));
	}

	@Test
	void anAbstractAddressStartsWithNulAndEndsWithTheName() {
		NotifyAddress address = NotifyAddress.parse("@/org/freedesktop/systemd1/notify/7");
		byte[] sockaddr = address.sockaddr();
		assertThat(address.abstractName()).isTrue();
		assertThat(sockaddr).hasSize(2 + "@/org/freedesktop/systemd1/notify/7".length());
		assertThat(Arrays.copyOfRange(sockaddr, 2, sockaddr.length))
			.isEqualTo("\0/org/freedesktop/systemd1/notify/7".getBytes(StandardCharsets.US_ASCII));
	}

	@Test
	void addressesPeergateCannotSendToAreRefusedNamingTheVariable() {
		assertThatIllegalArgumentException().isThrownBy(() -> NotifyAddress.parse("vsock:2:1234"))
			.withMessageContaining("NOTIFY_SOCKET");
		assertThatIllegalArgumentException().isThrownBy(() -> NotifyAddress.parse("relative/notify"));
		assertThatIllegalArgumentException().isThrownBy(() -> NotifyAddress.parse("@"));
		assertThatIllegalArgumentException().isThrownBy(() -> NotifyAddress.parse("/" + "x".repeat(107)))
			.withMessageContaining("107 bytes");
		assertThat(NotifyAddress.parse("/" + "x".repeat(106)).sockaddr()).hasSize(2 + 108);
	}

	@Test
	void noNotifySocketMeansNoNotifier() {
		assertThat(SystemdNotifier.fromEnvironment(Map.of(), PID)).isEmpty();
		assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", ""), PID)).isEmpty();
	}

	@Test
	void anUnusableNotifySocketStopsTheStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "vsock:2:1"), PID))
			.withMessageStartingWith("Cannot notify systemd: NOTIFY_SOCKET is 'vsock:2:1'");
	}

	@Test
	void theWatchdogIsPettedAtHalfItsTimeoutAndOnlyByTheProcessItWatches() {
		assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000"), PID))
			.contains(Duration.ofSeconds(15));
		assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "4242"), PID))
			.contains(Duration.ofSeconds(15));
		assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1"), PID))
			.isEmpty();
		assertThat(SystemdNotifier.watchdogInterval(Map.of(), PID)).isEmpty();
	}

	@Test
	void aWatchdogSettingThatIsNotANumberStopsTheStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "30s"), PID))
			.withMessageContaining("WATCHDOG_USEC=30s");
		assertThatIllegalStateException()
			.isThrownBy(() -> SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "0"), PID));
	}

	@Test
	void aStatusIsOneAssignmentOnOneLine() {
		assertThat(SystemdNotifier.statusLine("1/1 listeners serving\nREADY=1")).isEqualTo(
				"STATUS=1/1 listeners serving READY=1");
		assertThat(SystemdNotifier.statusLine("x".repeat(2000))).hasSize("STATUS=".length() + 512);
	}

}
