package dev.peergate.inprocess;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.Evaluation;
import dev.peergate.core.Gate;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.core.VerdictSink;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The handler model, exercised end to end through the in-process transport. */
class InProcessDispatchTests {

	private final TestHandlers handlers = new TestHandlers();

	private InProcessListener listener;

	private Dispatcher dispatcher;

	@BeforeEach
	void startListener() {
		this.dispatcher = new Dispatcher(MethodRegistry.of(List.of(this.handlers)), HandlerExecutor.platform(4, 4),
				Duration.ofSeconds(20), CallObserver.none());
		PeerRequirement onlyUid1000 = PeerRequirement.of("uid 1000", peer -> (peer.uid() == 1000)
				? Evaluation.satisfied("uid 1000")
				: Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED, "uid: expected 1000, peer has " + peer.uid()));
		this.listener = new InProcessListener("test", new Gate("test", Mechanism.STATED, onlyUid1000, VerdictSink.none()),
				this.dispatcher);
		this.listener.start();
	}

	@AfterEach
	void stopListener() {
		this.handlers.release.countDown();
		this.listener.stop(Duration.ofSeconds(5));
		this.dispatcher.close();
	}

	private InProcessConnection connectAs(long uid) {
		return this.listener.connect(PeerCredentials.builder("in-process").uid(uid).gid(uid).build());
	}

	@Test
	void bindsParametersToRecordAndRepliesWithRecord() {
		Map<String, Object> reply = connectAs(1000).call("com.example.test.Greet",
				Map.of("name", "Ada", "times", 2, "punctuation", "."));
		assertThat(reply).containsEntry("text", "Hello Ada.Hello Ada.");
	}

	@Test
	void acceptsAbsentNullableParameter() {
		assertThat(connectAs(1000).call("com.example.test.Greet", Map.of("name", "Ada", "times", 1)))
			.containsEntry("text", "Hello Ada!");
	}

	@Test
	void injectsTheVerifiedPeer() {
		Map<String, Object> reply = connectAs(1000).call("com.example.test.WhoAmI", Map.of());
		assertThat(reply).containsEntry("uid", 1000L).containsEntry("listener", "test").containsEntry("transport",
				"in-process");
	}

	@Test
	void answersUnknownMethodWithMethodNotFound() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> connectAs(1000).call("com.example.test.Nope", Map.of()))
			.satisfies(error -> {
				assertThat(error.name()).isEqualTo(StandardErrors.METHOD_NOT_FOUND);
				assertThat(error.parameters()).containsEntry("method", "com.example.test.Nope");
			});
	}

	@Test
	void answersUnknownInterfaceWithInterfaceNotFound() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> connectAs(1000).call("com.example.other.Greet", Map.of()))
			.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.INTERFACE_NOT_FOUND));
	}

	@Test
	void answersWrongParameterTypeWithInvalidParameterNamingIt() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> connectAs(1000).call("com.example.test.Greet", Map.of("name", "Ada", "times", "two")))
			.satisfies(error -> {
				assertThat(error.name()).isEqualTo(StandardErrors.INVALID_PARAMETER);
				assertThat(error.parameters()).containsEntry("parameter", "times");
			});
	}

	@Test
	void answersMissingParameterWithInvalidParameterNamingIt() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> connectAs(1000).call("com.example.test.Greet", Map.of("times", 1)))
			.satisfies(error -> assertThat(error.parameters()).containsEntry("parameter", "name"));
	}

	@Test
	void turnsThrownIpcErrorIntoTypedErrorReply() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> connectAs(1000).call("com.example.test.Lookup", Map.of("path", "relative")))
			.satisfies(error -> {
				assertThat(error.name()).isEqualTo("com.example.test.NotFound");
				assertThat(error.parameters()).containsEntry("path", "relative");
			});
	}

	@Test
	void turnsHandlerExceptionIntoHandlerFailedWithoutItsMessage() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> connectAs(1000).call("com.example.test.Crash", Map.of()))
			.satisfies(error -> {
				assertThat(error.name()).isEqualTo(StandardErrors.HANDLER_FAILED);
				assertThat(error.parameters().toString()).doesNotContain("handler bug");
			});
	}

	@Test
	void streamsIntermediateRepliesThenTheFinalOne() {
		List<IpcReply> replies = connectAs(1000).exchange(
				new IpcRequest("com.example.test.Countdown", Map.of("from", 3), false, true, false),
				Duration.ofSeconds(10));
		assertThat(replies).extracting(reply -> reply.parameters().get("value")).containsExactly(3, 2, 1, 0);
		assertThat(replies).extracting(IpcReply::continues).containsExactly(true, true, true, false);
	}

	@Test
	void refusesStreamingMethodCalledWithoutMore() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> connectAs(1000).call("com.example.test.Countdown", Map.of("from", 3)))
			.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.EXPECTED_MORE));
	}

	@Test
	void refusesUpgradeWithMethodNotImplemented() {
		List<IpcReply> replies = connectAs(1000).exchange(
				new IpcRequest("com.example.test.WhoAmI", Map.of(), false, false, true), Duration.ofSeconds(10));
		assertThat(replies).singleElement().extracting(IpcReply::error).isEqualTo(StandardErrors.METHOD_NOT_IMPLEMENTED);
	}

	@Test
	void runsOnewayCallsWithoutReplying() throws InterruptedException {
		connectAs(1000).oneway("com.example.test.NotifyMe", Map.of());
		assertThat(this.handlers.notified.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void slowHandlerDoesNotBlockOtherCalls() throws Exception {
		InProcessConnection connection = connectAs(1000);
		CompletableFuture<Map<String, Object>> slow = CompletableFuture
			.supplyAsync(() -> connection.call("com.example.test.Slow", Map.of()));
		assertThat(connectAs(1000).call("com.example.test.WhoAmI", Map.of())).containsEntry("uid", 1000L);
		assertThat(slow).isNotDone();
		this.handlers.release.countDown();
		assertThat(slow.get(10, TimeUnit.SECONDS)).containsEntry("text", "finally");
	}

	@Test
	void refusedPeerGetsPermissionDeniedForEveryCall() {
		InProcessConnection connection = connectAs(1001);
		assertThat(connection.verdict().accepted()).isFalse();
		assertThat(connection.verdict().explanation()).isEqualTo("uid: expected 1000, peer has 1001");
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> connection.call("com.example.test.WhoAmI", Map.of()))
			.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
	}

	@Test
	void callsPackagePrivateHandlerMethodsOfAPackagePrivateBean() {
		try (Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(new Hidden())),
				HandlerExecutor.platform(1, 1), Duration.ofSeconds(10), CallObserver.none())) {
			InProcessListener hidden = new InProcessListener("hidden",
					new Gate("hidden", Mechanism.STATED, PeerRequirement.anyPeer(), VerdictSink.none()), dispatcher);
			hidden.start();
			try {
				InProcessConnection connection = hidden.connect(PeerCredentials.builder("in-process").uid(1000).build());
				assertThat(connection.call("com.example.hidden.Echo", Map.of("text", "hi"))).isEqualTo(Map.of("text", "hi"));
				assertThat(connection.call("com.example.hidden.Quick", Map.of("text", "ho"))).isEqualTo(Map.of("text", "ho"));
			}
			finally {
				hidden.stop(Duration.ofSeconds(5));
			}
		}
	}

	@Test
	void refusedPeerIsNotCountedAsActiveConnection() {
		connectAs(1001);
		connectAs(1000);
		assertThat(this.listener.activeConnections()).isEqualTo(1);
	}

	record Text(String text) {
	}

	/** As a Spring bean may be: neither the class nor its methods are public. */
	@IpcInterface("com.example.hidden")
	static final class Hidden {

		@IpcMethod
		Text echo(Text text) {
			return text;
		}

		@IpcMethod(blocking = false)
		Text quick(Text text) {
			return text;
		}

	}

}
