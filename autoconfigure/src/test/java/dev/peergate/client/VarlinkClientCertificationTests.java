package dev.peergate.client;

import java.nio.file.Path;
import java.util.List;

import dev.peergate.varlink.certification.CertificationClient;
import dev.peergate.varlink.certification.GoCertificationServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peergate's client drives the varlink project's certification server through every step, Start to End.
 */
class VarlinkClientCertificationTests {

	@TempDir
	Path directory;

	private GoCertificationServer server;

	@BeforeEach
	void startServer() throws Exception {
		this.server = GoCertificationServer.start(this.directory.resolve("cert.sock"), List.of());
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void passesEveryCertificationStepOfTheReferenceServer() {
		try (VarlinkClient client = VarlinkClient.builder(this.server.socket()).connect()) {
			assertThat(CertificationClient.run(client)).as("all_ok reported by End").isTrue();
		}
	}

}
