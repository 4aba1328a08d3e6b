package dev.peergate.varlink.certification;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.peergate.client.VarlinkClient;
import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.handler.IpcError;
import dev.peergate.varlink.GoPrograms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The varlink project's certification client ({@code varlink-go-certification --client}) against Peergate's
 * server: the Unix listener, the gate, the dispatcher and a handler written on Peergate's public API.
 */
class PeergateServerCertificationTests {

	private static final List<String> STEPS = List.of("Start", "Test01", "Test02", "Test03", "Test04", "Test05",
			"Test06", "Test07", "Test08", "Test09", "Test10", "Test11", "End");

	@TempDir
	Path directory;

	private PeergateCertificationServer server;

	@BeforeEach
	void startServer() throws Exception {
		long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
		PeerRequirement sameUser = PeerRequirement.of("uid = " + uid,
				peer -> (peer.uid() == uid) ? Evaluation.satisfied("uid " + uid)
						: Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED, "uid " + peer.uid()));
		this.server = PeergateCertificationServer.start(this.directory.resolve("peergate.sock"), sameUser);
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void referenceCertificationClientPassesEveryStep() throws Exception {
		GoPrograms.Result result = GoPrograms.run(
				List.of(GoPrograms.certification().toString(), "--client", "--varlink=unix:" + this.server.socket()),
				"");
		assertThat(result.output()).as(result.output()).doesNotContain("failed");
		for (String step : STEPS) {
			assertThat(result.output()).as(result.output()).containsPattern("(?m)^" + step + ":");
		}
		assertThat(result.output()).contains("End: 'true'")
			.contains("Test10: '[Reply number 1 Reply number 2 Reply number 3 Reply number 4 Reply number 5 "
					+ "Reply number 6 Reply number 7 Reply number 8 Reply number 9 Reply number 10]'");
		assertThat(result.exitCode()).isZero();
		assertThat(this.server.handler().ends()).as("all_ok of each End").containsExactly(true);
	}

	@Test
	void peergateClientPassesEveryStepOfPeergatesServer() {
		try (VarlinkClient client = VarlinkClient.builder(this.server.socket()).expectServerUid(currentUid()).connect()) {
			assertThat(CertificationClient.run(client)).isTrue();
		}
		assertThat(this.server.handler().ends()).containsExactly(true);
	}

	@Test
	void handlerReportsAWrongValueAsCertificationError() {
		try (VarlinkClient client = VarlinkClient.builder(this.server.socket()).connect()) {
			String id = client.call(Certification.INTERFACE + ".Start", null).get("client_id").toString();
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> client.call(Certification.INTERFACE + ".Test02", new Certification.Test02(id, false)))
				.satisfies(error -> {
					assertThat(error.name()).isEqualTo("org.varlink.certification.CertificationError");
					assertThat(error.parameters()).isEqualTo(Map.of("wants", true, "got", false));
				});
		}
	}

	@Test
	void servesTheGeneratedDescriptionOfTheCertificationInterface() throws Exception {
		try (VarlinkClient client = VarlinkClient.builder(this.server.socket()).connect()) {
			Map<String, Object> info = client.call("org.varlink.service.GetInfo", null);
			assertThat(info).containsEntry("vendor", "Peergate")
				.containsEntry("interfaces", List.of(Certification.INTERFACE, "org.varlink.service"));
			String idl = (String) client
				.call("org.varlink.service.GetInterfaceDescription", Map.of("interface", Certification.INTERFACE))
				.get("description");
			GoPrograms.Result parsed = GoPrograms.run(List.of(GoPrograms.idlcheck().toString()), idl);
			assertThat(parsed.exitCode()).as(idl + "\n" + parsed.output()).isZero();
			assertThat(parsed.output()).contains(
					"method Test09(client_id: string, set: [string]()) -> (mytype: MyType)",
					"method Test11(client_id: string, last_more_replies: []string) -> ()",
					"error CertificationError (wants: ?object, got: ?object)", "error ClientIdError ()");
		}
	}

	private static long currentUid() {
		try {
			return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
