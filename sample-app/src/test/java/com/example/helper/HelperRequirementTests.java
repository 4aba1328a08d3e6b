package com.example.helper;

import java.util.Map;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

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
