package dev.peergate.unix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.peergate.core.PeerRequirement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever bytes a peer writes, every frame it gets back is a varlink reply (or the connection is closed), and
 * the next client is served. The normal test run replays the
 * seed inputs next to this class; run with {@code JAZZER_FUZZ=1} to fuzz.
 */
class UnixListenerFuzzTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static Path dir;

	private static ListenerFixture fixture;

	@BeforeAll
	static void start() throws Exception {
		LinuxAssumptions.assumeLinuxTransport();
		dir = Files.createTempDirectory("peergate-fuzz");
		fixture = new ListenerFixture(UnixListenerOptions.defaults(dir.resolve("s.sock"))
			.withMaxMessageSize(4096)
			.withMaxDepth(16)
			.withMaxConnections(64), PeerRequirement.anyPeer(), Duration.ofSeconds(5));
	}

	@AfterAll
	static void stop() throws IOException {
		if (fixture != null) {
			fixture.close();
		}
		if (dir != null) {
			Files.deleteIfExists(dir.resolve("s.sock"));
			Files.deleteIfExists(dir);
		}
	}

	/** The next frame; {@code null} when the listener closed the connection or has said nothing for 1 s. */
	private static byte[] readOrQuiet(VarlinkTestClient client) {
		try {
			return client.readFrame(Duration.ofSeconds(1));
		}
		catch (IllegalStateException ex) {
			return null; // quiet: nothing more to answer (e.g. half a message or a oneway call)
		}
	}

	@FuzzTest
	void anyBytesEndInVarlinkRepliesOrCloseAndLeaveOthersServed(byte[] bytes) {
		try (VarlinkTestClient client = fixture.connect()) {
			try {
				client.sendRaw(bytes);
			}
			catch (UncheckedIOException ex) {
				// the listener may close before everything is written (e.g. after an oversize prefix)
			}
			byte[] frame;
			while ((frame = readOrQuiet(client)) != null) {
				Map<String, Object> reply = JSON.readValue(frame, new tools.jackson.core.type.TypeReference<>() {
				});
				assertThat(reply).containsKey("parameters");
			}
		}
		fixture.assertServesWellBehavedClient();
	}

}
