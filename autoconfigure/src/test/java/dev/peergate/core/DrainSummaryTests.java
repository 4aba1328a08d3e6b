package dev.peergate.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one log line a listener's stop leaves. */
class DrainSummaryTests {

	@Test
	void describesWhatFinishedWhatWasCutAndWhatWasRefused() {
		assertThat(new DrainSummary(2, 5, 2, 4, Duration.ofMillis(1234)).describe())
			.isEqualTo("closed 2 connections in 1234 ms; 3 of 5 calls in flight finished, 2 cut short and 4 arriving "
					+ "during the drain answered dev.peergate.ShuttingDown");
	}

	@Test
	void saysConnectionForASingleOne() {
		assertThat(new DrainSummary(1, 0, 0, 0, Duration.ZERO).describe())
			.startsWith("closed 1 connection in 0 ms; 0 of 0 calls in flight finished");
	}

}
