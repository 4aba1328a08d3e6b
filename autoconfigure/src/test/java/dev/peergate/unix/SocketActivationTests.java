package dev.peergate.unix;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Which inherited descriptor a listener adopts, per {@code sd_listen_fds} rules. */
class SocketActivationTests {

	@Test
	void adoptsTheOnlyPassedSocket() {
		assertThat(SocketActivation.find("helper", Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1"), 42)).hasValue(3);
	}

	@Test
	void ignoresSocketsMeantForAnotherProcess() {
		assertThat(SocketActivation.find("helper", Map.of("LISTEN_PID", "41", "LISTEN_FDS", "1"), 42)).isEmpty();
	}

	@Test
	void picksTheSocketNamedAfterTheListener() {
		Map<String, String> env = Map.of("LISTEN_PID", "42", "LISTEN_FDS", "3", "LISTEN_FDNAMES", "admin:helper:metrics");
		assertThat(SocketActivation.find("helper", env, 42)).hasValue(4);
		assertThat(SocketActivation.find("other", env, 42)).isEmpty();
	}

	@Test
	void acceptsTheUnitsDefaultNameForASingleSocket() {
		Map<String, String> env = Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1", "LISTEN_FDNAMES", "helper.socket");
		assertThat(SocketActivation.find("anything", env, 42)).hasValue(3);
	}

	@Test
	void refusesToGuessAmongSeveralUnnamedSockets() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SocketActivation.find("helper", Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2"), 42))
			.withMessageContaining("FileDescriptorName=helper");
	}

	@Test
	void ignoresAnEnvironmentWithoutActivation() {
		assertThat(SocketActivation.find("helper", Map.of(), 42)).isEmpty();
	}

}
