package com.example.helper;

import java.util.Map;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A stricter requirement for the helper (one user, and only from the CLI's systemd unit), tested without a full
 * application or a socket: the peers' uid and unit are stated on the in-process transport.
 */
class HelperRequirementTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class))
		.withBean(HelperService.class)
		.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.linux.uid=1000",
				"peergate.listeners.helper.requirement.linux.systemd-unit=example-cli.service");

	private static InProcessConnection connect(AssertableApplicationContext context, PeerFacts facts) {
		InProcessListener helper = (InProcessListener) context.getBean(PeergateListeners.class)
			.listener("helper")
			.orElseThrow();
		return helper
			.connect(PeerCredentials.builder(InProcessListener.TRANSPORT).uid(1000).gid(1000).facts(facts).build());
	}

	@Test
	void servesTheListedUserFromTheCliUnit() {
		this.runner.run(context -> {
			try (InProcessConnection connection = connect(context,
					PeerFacts.builder().verified("systemd-unit", "example-cli.service").build())) {
				assertThat(connection.verdict().accepted()).isTrue();
				HelperService.Status status = connection.call("com.example.helper.Status", Map.of(),
						HelperService.Status.class);
				assertThat(status.callerUid()).isEqualTo(1000);
			}
		});
	}

	@Test
	void refusesTheListedUserFromAnotherUnitNamingIt() {
		this.runner.run(context -> {
			try (InProcessConnection connection = connect(context,
					PeerFacts.builder().verified("systemd-unit", "other.service").build())) {
				Verdict verdict = connection.verdict();
				assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
				assertThat(verdict.explanation()).contains("systemd-unit").contains("other.service");
			}
		});
	}

	@Test
	void clearCacheIsOnlyForTheAdminToolWhileStatusStaysOpenToTheSameConnection() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.methods[com.example.helper.ClearCache].requirement.linux"
					+ ".executable-path=/usr/local/bin/helper-admin")
			.run(context -> {
				try (InProcessConnection cli = connect(context, PeerFacts.builder()
					.verified("systemd-unit", "example-cli.service")
					.verified("executable-path", "/usr/bin/java")
					.build())) {
					assertThatExceptionOfType(IpcError.class)
						.isThrownBy(() -> cli.call("com.example.helper.ClearCache", Map.of()))
						.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
					assertThat(cli.call("com.example.helper.Status", Map.of(), HelperService.Status.class).callerUid())
						.isEqualTo(1000);
				}
				try (InProcessConnection admin = connect(context, PeerFacts.builder()
					.verified("systemd-unit", "example-cli.service")
					.verified("executable-path", "/usr/local/bin/helper-admin")
					.build())) {
					assertThat(admin.call("com.example.helper.ClearCache", Map.of(), HelperService.Cleared.class).entries())
						.isZero();
				}
			});
	}

	@Test
	void refusesWhenTheUnitCouldNotBeVerified() {
		this.runner.run(context -> {
			try (InProcessConnection connection = connect(context,
					PeerFacts.builder().unverified("systemd-unit", "no SO_PEERPIDFD on this kernel").build())) {
				Verdict verdict = connection.verdict();
				assertThat(verdict.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
				assertThat(verdict.explanation()).contains("no SO_PEERPIDFD on this kernel");
			}
		});
	}

}
