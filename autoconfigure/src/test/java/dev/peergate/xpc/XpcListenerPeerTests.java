package dev.peergate.xpc;

import java.util.Map;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Mechanism;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.XpcClientConnection.XpcErrorEventException;
import dev.peergate.xpc.jna.XpcEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Who an XPC listener serves, on the real libxpc and Security.framework on macOS and on the simulator elsewhere:
 * a peer satisfying the code-signing requirement is served and reported accepted once; one that does not is
 * refused, by Peergate ({@code observed}) or by libxpc ({@code os}).
 */
@XpcSpecification
class XpcListenerPeerTests {

	@Test
	void servesAPeerThatSatisfiesTheRequirementAndReportsItAcceptedOnce(XpcBackendFixture fixture) {
		assertThat(twoCallsOfOneClient(fixture, Enforcement.OBSERVED, Mechanism.SEC_CODE_XPC_MESSAGE))
			.containsEntry("caller", fixture.backend.clientIdentifier());
		assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(verdict.mechanism()).isEqualTo(Mechanism.SEC_CODE_XPC_MESSAGE);
			assertThat(verdict.peer().transport()).isEqualTo(XpcListener.TRANSPORT);
			assertThat(verdict.peer().fact("signing-identifier")).isEqualTo(fixture.backend.clientIdentifier());
		});
		fixture.stopWithoutLeaks();
	}

	@Test
	void refusesAPeerThatDoesNotSatisfyTheRequirementWithPermissionDenied(XpcBackendFixture fixture) {
		fixture.listen(fixture.backend.refusedRequirement(), Enforcement.OBSERVED);
		assertThat(refusedCall(fixture, IpcError.class).name()).isEqualTo(StandardErrors.PERMISSION_DENIED);
		assertThat(fixture.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
			// the rejected code's signing facts, read from Security.framework, explain the refusal
			assertThat(verdict.explanation()).contains(fixture.backend.clientIdentifier());
		});
		fixture.stopWithoutLeaks();
	}

	@Test
	void servesAPeerThatSatisfiesAnOsEnforcedRequirement(XpcBackendFixture fixture) {
		twoCallsOfOneClient(fixture, Enforcement.OS, Mechanism.XPC_CODE_SIGNING_REQUIREMENT);
		assertThat(fixture.verdicts).extracting(Verdict::outcome).containsExactly(Outcome.ACCEPTED);
		fixture.stopWithoutLeaks();
	}

	@Test
	void libxpcDropsTheMessagesOfAPeerThatDoesNotSatisfyAnOsEnforcedRequirement(XpcBackendFixture fixture) {
		fixture.listen(fixture.backend.refusedRequirement(), Enforcement.OS);
		// no reply, not even an error reply: the handler never ran. Which error event the client gets is libxpc's
		// business (its header names only the one of the connection holding the requirement), so none is pinned
		refusedCall(fixture, XpcErrorEventException.class);
		assertThat(fixture.verdicts).first().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(verdict.mechanism()).isEqualTo(Mechanism.XPC_CODE_SIGNING_REQUIREMENT);
		});
		fixture.stopWithoutLeaks();
	}

	@Test
	void anEndpointReachesItsListenerOnlyWhileTheListenerRuns(XpcBackendFixture fixture) {
		XpcListener listener = fixture.listen((options) -> options);
		assertThat(listener.address()).isEqualTo("anonymous:helper");
		XpcEndpoint endpoint = listener.endpoint();
		fixture.stopWithoutLeaks();
		assertThatIllegalStateException().isThrownBy(() -> XpcClient.connect(XpcClient.Options.of(endpoint)))
			.withMessageContaining("stopped");
		fixture.backend.assertNoLeaks();
	}

	/** A new client's call fails with {@code failure}, which is returned once the listener reported a verdict. */
	private static <T extends RuntimeException> T refusedCall(XpcBackendFixture fixture, Class<T> failure) {
		T thrown;
		try (XpcClient client = fixture.client()) {
			thrown = catchThrowableOfType(failure,
					() -> client.call("com.example.helper.Echo", Map.of("text", "refused")));
		}
		assertThat(thrown).as("the call's failure").isNotNull();
		await().until(() -> !fixture.verdicts.isEmpty());
		return thrown;
	}

	/**
	 * A listener requiring what the clients satisfy, with this enforcement, chose {@code mechanism} and answers two
	 * calls of one client; the first reply is returned.
	 */
	private static Map<String, Object> twoCallsOfOneClient(XpcBackendFixture fixture, Enforcement enforcement,
			Mechanism mechanism) {
		XpcListener listener = fixture.listen(fixture.backend.acceptedRequirement(), enforcement);
		assertThat(listener.mechanism()).isEqualTo(mechanism);
		try (XpcClient client = fixture.client()) {
			Map<String, Object> first = client.call("com.example.helper.Echo", Map.of("text", "first"));
			assertThat(first).containsEntry("text", "first");
			assertThat(client.call("com.example.helper.Echo", Map.of("text", "second"))).containsEntry("text", "second");
			return first;
		}
	}

}
