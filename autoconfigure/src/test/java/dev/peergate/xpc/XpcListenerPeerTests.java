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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
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
		XpcListener listener = fixture.listen(fixture.backend.acceptedRequirement(), Enforcement.OBSERVED);
		assertThat(listener.mechanism()).isEqualTo(Mechanism.SEC_CODE_XPC_MESSAGE);
		try (XpcClient client = fixture.client()) {
			assertThat(client.call("com.example.helper.Echo", Map.of("text", "first")))
				.containsEntry("text", "first")
				.containsEntry("caller", fixture.backend.clientIdentifier());
			assertThat(client.call("com.example.helper.Echo", Map.of("text", "second"))).containsEntry("text", "second");
		}
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
		try (XpcClient client = fixture.client()) {
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "no")))
				.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
		}
		await().until(() -> !fixture.verdicts.isEmpty());
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
		XpcListener listener = fixture.listen(fixture.backend.acceptedRequirement(), Enforcement.OS);
		assertThat(listener.mechanism()).isEqualTo(Mechanism.XPC_CODE_SIGNING_REQUIREMENT);
		try (XpcClient client = fixture.client()) {
			assertThat(client.call("com.example.helper.Echo", Map.of("text", "checked by libxpc")))
				.containsEntry("text", "checked by libxpc");
		}
		assertThat(fixture.verdicts).extracting(Verdict::outcome).containsExactly(Outcome.ACCEPTED);
		fixture.stopWithoutLeaks();
	}

	@Test
	void libxpcDropsTheMessagesOfAPeerThatDoesNotSatisfyAnOsEnforcedRequirement(XpcBackendFixture fixture) {
		fixture.listen(fixture.backend.refusedRequirement(), Enforcement.OS);
		try (XpcClient client = fixture.client()) {
			// no reply, not even an error reply: the handler never ran. Which error event the client gets is libxpc's
			// business (its header names only the one of the connection holding the requirement), so none is pinned
			assertThatExceptionOfType(XpcErrorEventException.class)
				.isThrownBy(() -> client.call("com.example.helper.Echo", Map.of("text", "dropped")));
		}
		await().until(() -> !fixture.verdicts.isEmpty());
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

}
