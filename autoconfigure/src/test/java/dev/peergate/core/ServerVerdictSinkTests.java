package dev.peergate.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdicts of configured clients reach every sink, whatever one of them throws; the failure is logged once. */
class ServerVerdictSinkTests {

	@Test
	void fanOutKeepsDeliveringWhenOneSinkFailsAndLogsItOnce() {
		List<ServerVerdict> received = new CopyOnWriteArrayList<>();
		ServerVerdictSink failing = (verdict) -> {
			throw new IllegalStateException("sink bug");
		};
		ServerVerdictSink sink = ServerVerdictSink.fanOut(List.of(failing, received::add));
		try (LogCapture log = LogCapture.of(ServerVerdictSink.class)) {
			for (int i = 0; i < 10; i++) {
				sink.accept(ServerVerdict.refused("helper", "/run/helper.sock", "uid: expected 0, server has 1000"));
			}
			assertThat(log.records()).hasSize(1);
			assertThat(log.text()).contains("Server verdict sink").contains("IllegalStateException: sink bug");
		}
		assertThat(received).hasSize(10);
	}

}
