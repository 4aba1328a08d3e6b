package dev.peergate.xpc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.peergate.client.XpcClient;
import dev.peergate.handler.IpcError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What an accepted peer gets over the wire contract ({@code {method, parameters, more?, oneway?, id}}), on the real
 * libxpc on macOS and on the simulator elsewhere: a reply, a typed error, a streamed reply, nothing for a oneway call.
 */
@XpcSpecification
class XpcListenerCallTests {

	@Test
	void answersACallWithTheHandlersReply(XpcBackendFixture fixture) {
		fixture.listen((options) -> options);
		try (XpcClient client = fixture.client()) {
			Map<String, Object> reply = client.call("com.example.helper.Echo", Map.of("text", "hello"));
			assertThat(reply).containsEntry("text", "hello");
			// handlers run on the dispatcher's executor, never on libxpc's thread
			assertThat((String) reply.get("thread")).doesNotContain("peergate-xpc-callback");
		}
		fixture.stopWithoutLeaks();
	}

	@Test
	void answersWithTheTypedErrorTheHandlerThrows(XpcBackendFixture fixture) {
		fixture.listen((options) -> options);
		try (XpcClient client = fixture.client()) {
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> client.call("com.example.helper.Lookup", Map.of("text", "missing")))
				.satisfies((error) -> {
					assertThat(error.name()).isEqualTo("com.example.helper.NotFound");
					assertThat(error.parameters()).containsEntry("key", "missing");
				});
		}
		fixture.stopWithoutLeaks();
	}

	@Test
	void streamsItemsInOrderBeforeTheFinalReply(XpcBackendFixture fixture) {
		fixture.listen((options) -> options);
		List<Object> items = new CopyOnWriteArrayList<>();
		try (XpcClient client = fixture.client()) {
			Map<String, Object> last = client.stream("com.example.helper.Countdown", Map.of("from", 3),
					(item) -> items.add(item.get("n")));
			assertThat(items).containsExactly(3L, 2L, 1L);
			assertThat(last).containsEntry("n", 0L);
		}
		fixture.stopWithoutLeaks();
	}

	@Test
	void runsAOnewayCallAndSendsNothingBack(XpcBackendFixture fixture) throws InterruptedException {
		fixture.listen((options) -> options);
		try (XpcClient client = fixture.client()) {
			// Produce streams: called oneway it runs to its end without sending a single item
			client.oneway("com.example.helper.Produce", Map.of("from", 3));
			assertThat(fixture.helper.produceEnded.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(fixture.helper.produced).hasValue(3);
			// the connection is still served, and the next reply is the call's own
			assertThat(client.call("com.example.helper.Echo", Map.of("text", "after"))).containsEntry("text", "after");
		}
		fixture.stopWithoutLeaks();
	}

}
