package dev.peergate.requirement.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.peergate.core.Gate;
import dev.peergate.core.Mechanism;
import dev.peergate.core.Outcome;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.core.Reason;
import dev.peergate.core.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Linux fact requirement plugged into the engine's {@link Gate}: the verdict carries the evaluation's reason
 * and explanation unchanged.
 */
class LinuxRequirementGateTests {

	private final List<Verdict> verdicts = new ArrayList<>();

	private final Gate gate = new Gate("helper", Mechanism.PEERCRED,
			FactRequirements.linux(Map.of("uid", 0, "executable-path", "/usr/bin/cli"), "requirement.linux",
					IdResolver.system()),
			this.verdicts::add);

	@Test
	void gateRejectsPeerWithoutPidfdAsFactUnverified() {
		PeerCredentials peer = PeerCredentials.builder("unix")
			.uid(0)
			.gid(0)
			.facts(PeerFacts.builder().unverified("executable-path", "kernel has no SO_PEERPIDFD").build())
			.build();
		Verdict verdict = this.gate.admit(peer);
		assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
		assertThat(verdict.reason()).isEqualTo(Reason.FACT_UNVERIFIED);
		assertThat(verdict.explanation()).startsWith("executable-path: could not be verified (kernel has no SO_PEERPIDFD)");
		assertThat(this.verdicts).containsExactly(verdict);
	}

	@Test
	void gateAcceptsPeerWithVerifiedFacts() {
		PeerCredentials peer = PeerCredentials.builder("unix")
			.uid(0)
			.gid(0)
			.facts(PeerFacts.builder().verified("executable-path", "/usr/bin/cli").build())
			.build();
		assertThat(this.gate.admit(peer).outcome()).isEqualTo(Outcome.ACCEPTED);
	}

	@Test
	void factRequirementMayBeEvaluatedOnAnIoThread() {
		assertThat(this.gate.requirement().evaluatesInMemory()).isTrue();
	}

}
