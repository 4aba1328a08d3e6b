package dev.peergate.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate decides, fails closed and reports every verdict once. */
class GateTests {

	private final List<Verdict> reported = new ArrayList<>();

	private final PeerCredentials peer = PeerCredentials.builder("unix").uid(1001).gid(1001).pidHint(4242).build();

	@Test
	void acceptsPeerSatisfyingTheRequirement() {
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.of("uid 1001",
				p -> Evaluation.satisfied("uid 1001")), this.reported::add);
		Verdict verdict = gate.admit(this.peer);
		assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
		assertThat(verdict.mechanism()).isEqualTo(Mechanism.PIDFD);
		assertThat(this.reported).containsExactly(verdict);
	}

	@Test
	void rejectsPeerWithTheRequirementsExplanation() {
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.of("uid 0",
				p -> Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED, "uid: expected 0, peer has 1001")),
				this.reported::add);
		Verdict verdict = gate.admit(this.peer);
		assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
		assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
		assertThat(verdict.explanation()).isEqualTo("uid: expected 0, peer has 1001");
	}

	@Test
	void failsClosedWhenTheRequirementThrows() {
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.of("broken", p -> {
			throw new IllegalStateException("/proc vanished");
		}), this.reported::add);
		Verdict verdict = gate.admit(this.peer);
		assertThat(verdict.outcome()).isEqualTo(Outcome.ERROR);
		assertThat(verdict.accepted()).isFalse();
		assertThat(verdict.explanation()).contains("/proc vanished");
	}

	@Test
	void decidesWithoutReportingUntilToldTo() {
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.anyPeer(), this.reported::add);
		Verdict verdict = gate.decide(this.peer);
		assertThat(verdict.accepted()).isTrue();
		assertThat(this.reported).isEmpty();
		gate.report(verdict);
		assertThat(this.reported).containsExactly(verdict);
	}

	@Test
	void buildsARefusalWithoutReportingIt() {
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.anyPeer(), this.reported::add);
		Verdict refusal = gate.refusal(Reason.LIMIT_EXCEEDED, "max-connections", this.peer);
		assertThat(refusal.outcome()).isEqualTo(Outcome.REJECTED);
		assertThat(this.reported).isEmpty();
	}

	@Test
	void claimsInMemoryEvaluationOnlyForRequirementsDeclaredSo() {
		assertThat(PeerRequirement.of("opaque", p -> Evaluation.satisfied("ok")).evaluatesInMemory()).isFalse();
		assertThat(PeerRequirement.inMemory("pure", p -> Evaluation.satisfied("ok")).evaluatesInMemory()).isTrue();
		assertThat(PeerRequirement.anyPeer().evaluatesInMemory()).isTrue();
	}

	@Test
	void peerViewKeepsThePidAsHintOnly() {
		Verdict verdict = new Gate("helper", Mechanism.PIDFD, PeerRequirement.anyPeer(), this.reported::add)
			.admit(this.peer);
		assertThat(verdict.peer().pidHint()).hasValue(4242);
		assertThat(verdict.peer().summary()).contains("pid~4242");
	}

	@Test
	void fanOutKeepsDeliveringWhenOneSinkFails() {
		VerdictSink failing = v -> {
			throw new IllegalStateException("sink bug");
		};
		VerdictSink sink = VerdictSink.fanOut(List.of(failing, this.reported::add));
		new Gate("helper", Mechanism.NONE, PeerRequirement.anyPeer(), sink).admit(this.peer);
		assertThat(this.reported).hasSize(1);
	}

	@Test
	void fanOutLogsAFailingSinkOnceWithItsMessageEscaped() {
		VerdictSink failing = v -> {
			throw new IllegalStateException("sink bug for " + v.peer().pidHint() + "\n2026-12-07T10:00:00.000Z forged");
		};
		VerdictSink sink = VerdictSink.fanOut(List.of(failing, this.reported::add));
		try (LogCapture log = LogCapture.of(VerdictSink.class)) {
			for (int i = 0; i < 100; i++) {
				new Gate("helper", Mechanism.NONE, PeerRequirement.anyPeer(), sink).admit(this.peer);
			}
			assertThat(log.records()).hasSize(1);
			assertThat(log.text()).contains("IllegalStateException: sink bug for OptionalLong[4242]\\n2026-12-07");
			assertThat(log.text().lines()).noneMatch((line) -> line.startsWith("2026-12-07"));
		}
		assertThat(this.reported).hasSize(100);
	}

	@Test
	void ledgerKeepsTotalsAndBoundedRecentRejections() {
		VerdictLedger ledger = new VerdictLedger(2);
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.of("never",
				p -> Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED, "no")), ledger);
		for (int i = 0; i < 3; i++) {
			gate.admit(this.peer);
		}
		assertThat(ledger.summary("helper").rejected()).isEqualTo(3);
		assertThat(ledger.summary("helper").recentRejections()).hasSize(2);
		assertThat(ledger.summary("other").rejected()).isZero();
	}

}
