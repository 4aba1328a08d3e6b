package dev.peergate.unix;

import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The event loop's select strategy: asleep when no handler runs, polling while one does. */
class SpinWhileHandlersRunTests {

	private final SpinWhileHandlersRun strategy = new SpinWhileHandlersRun();

	@AfterEach
	void noCallsLeft() {
		SpinWhileHandlersRun.handedOff().ended(Integer.MAX_VALUE);
	}

	@Test
	void sleepsInEpollWhenNoCallIsOnAHandlerThread() throws Exception {
		assertThat(this.strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
	}

	@Test
	void takesReadyEventsWithoutWaitingWhenTasksAreQueued() throws Exception {
		assertThat(this.strategy.calculateStrategy(() -> 3, true)).isEqualTo(3);
	}

	@Test
	void pollsInsteadOfSleepingWhileACallIsOnAHandlerThread() throws Exception {
		SpinWhileHandlersRun.handedOff().started();
		assertThat(this.strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
		assertThat(this.strategy.calculateStrategy(() -> 2, false)).isEqualTo(2);
	}

	@Test
	void sleepsAgainOnceTheCallsHaveEnded() throws Exception {
		SpinWhileHandlersRun.HandedOff calls = SpinWhileHandlersRun.handedOff();
		calls.started();
		calls.ended(1);
		assertThat(this.strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
	}

	@Test
	void countsNoCallsBelowNoneWhenAClosedConnectionEndsMoreThanItStarted() throws Exception {
		SpinWhileHandlersRun.HandedOff calls = SpinWhileHandlersRun.handedOff();
		calls.ended(3);
		calls.started();
		assertThat(this.strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
	}

}
