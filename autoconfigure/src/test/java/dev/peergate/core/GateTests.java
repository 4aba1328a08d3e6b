package dev.peergate.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
	void timesTheVerificationFromTheTransportsCaptureToTheVerdict() {
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.anyPeer(), this.reported::add);
		long captured = System.nanoTime() - java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);
		Verdict timed = gate.admit(PeerCredentials.builder("unix").uid(1001).capturedAt(captured).build());
		assertThat(timed.verification()).isBetween(java.time.Duration.ofMillis(50), java.time.Duration.ofSeconds(50));
		assertThat(gate.admit(this.peer).verification()).as("a transport that did not say when it began")
			.isEqualTo(java.time.Duration.ZERO);
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
	void describesTheVerificationFailureWhenTheRequirementThrows() {
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.of("broken", p -> {
			throw new IllegalStateException("/proc vanished");
		}), this.reported::add);
		Verdict verdict = gate.decide(this.peer);
		assertThat(verdict.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
		assertThat(verdict.explanation()).isEqualTo("verification failed: IllegalStateException: /proc vanished");
	}

	@Test
	void turnsAnUnsatisfiedVerificationIntoAnError() {
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.of("io",
				p -> Evaluation.unsatisfied(Reason.VERIFICATION_FAILED, "read failed")), this.reported::add);
		assertThat(gate.decide(this.peer).outcome()).isEqualTo(Outcome.ERROR);
	}

	@Test
	void stampsTheVerdictWithTheListenerPeerAndTimeOfItsClock() {
		Instant now = Instant.parse("2026-12-07T10:00:00Z");
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.anyPeer(), this.reported::add,
				Clock.fixed(now, ZoneOffset.UTC));
		Verdict verdict = gate.decide(this.peer);
		assertThat(verdict.listener()).isEqualTo("helper");
		assertThat(verdict.timestamp()).isEqualTo(now);
		assertThat(verdict.reason()).isEqualTo(Reason.ANY_PEER_ALLOWED);
		assertThat(verdict.peer()).isEqualTo(Peer.of("helper", this.peer));
	}

	@Test
	void reportsARefusalDecidedOutsideTheRequirement() {
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.anyPeer(), this.reported::add);
		Verdict refusal = gate.refuse(Reason.LIMIT_EXCEEDED, "max-connections", this.peer);
		assertThat(refusal.outcome()).isEqualTo(Outcome.REJECTED);
		assertThat(refusal.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
		assertThat(refusal.explanation()).isEqualTo("max-connections");
		assertThat(this.reported).containsExactly(refusal);
	}

	@Test
	void reportsARefusalForAFailedVerificationAsAnError() {
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.anyPeer(), this.reported::add);
		assertThat(gate.refusal(Reason.VERIFICATION_FAILED, "pidfd_open failed", this.peer).outcome())
			.isEqualTo(Outcome.ERROR);
	}

	@Test
	void namesItsListenerMechanismAndRequirement() {
		PeerRequirement requirement = PeerRequirement.anyPeer();
		Gate gate = new Gate("helper", Mechanism.PEERCRED, requirement, this.reported::add);
		assertThat(gate.listener()).isEqualTo("helper");
		assertThat(gate.mechanism()).isEqualTo(Mechanism.PEERCRED);
		assertThat(gate.requirement()).isSameAs(requirement);
	}

	@Test
	void describesARequirementByItsText() {
		PeerRequirement requirement = PeerRequirement.of("uid 1001", p -> Evaluation.satisfied("uid 1001"));
		assertThat(requirement.describe()).isEqualTo("uid 1001");
		assertThat(requirement).hasToString("uid 1001");
		assertThat(requirement.neededFacts()).isEmpty();
	}

	@Test
	void assumesAnOwnRequirementImplementationMayDoIo() {
		PeerRequirement own = new PeerRequirement() {

			@Override
			public Evaluation evaluate(PeerCredentials peer) {
				return Evaluation.satisfied("ok");
			}

			@Override
			public String describe() {
				return "own";
			}

		};
		assertThat(own.evaluatesInMemory()).isFalse();
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
	void ledgerCountsEachOutcomeAndKeepsRejectionsAndErrorsNewestFirst() {
		VerdictLedger ledger = new VerdictLedger(5);
		Gate gate = new Gate("helper", Mechanism.PIDFD, PeerRequirement.anyPeer(), ledger);
		gate.admit(this.peer);
		Verdict rejected = gate.refuse(Reason.LIMIT_EXCEEDED, "max-connections", this.peer);
		Verdict error = gate.refuse(Reason.VERIFICATION_FAILED, "pidfd_open failed", this.peer);
		gate.admit(this.peer);
		VerdictLedger.Summary summary = ledger.summary("helper");
		assertThat(summary.accepted()).isEqualTo(2);
		assertThat(summary.rejected()).isEqualTo(1);
		assertThat(summary.errors()).isEqualTo(1);
		assertThat(summary.recentRejections()).containsExactly(error, rejected);
	}

	@Test
	void ledgerOfCapacityZeroKeepsTotalsOnly() {
		VerdictLedger ledger = new VerdictLedger(0);
		new Gate("helper", Mechanism.PIDFD, PeerRequirement.anyPeer(), ledger).refuse(Reason.LIMIT_EXCEEDED, "limit",
				this.peer);
		assertThat(ledger.summary("helper").rejected()).isEqualTo(1);
		assertThat(ledger.summary("helper").recentRejections()).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> new VerdictLedger(-1))
			.withMessage("capacity must be >= 0");
	}

	@Test
	void tagsOutcomesAndMechanismsAndSaysWhichTheOsEnforces() {
		assertThat(Outcome.ACCEPTED.tag()).isEqualTo("accepted");
		assertThat(Outcome.ERROR.tag()).isEqualTo("error");
		assertThat(Mechanism.XPC_PEER_REQUIREMENT.tag()).isEqualTo("xpc-peer-requirement");
		assertThat(Mechanism.XPC_PEER_REQUIREMENT.enforcedByOs()).isTrue();
		assertThat(Mechanism.XPC_CODE_SIGNING_REQUIREMENT.enforcedByOs()).isTrue();
		assertThat(Mechanism.PIDFD.enforcedByOs()).isFalse();
		assertThat(Mechanism.SEC_CODE_XPC_MESSAGE.enforcedByOs()).isFalse();
	}

	@Test
	void transportEventsNoneIgnoresEverything() {
		TransportEvents none = TransportEvents.none();
		none.protocolError("helper", "malformed");
		none.limitExceeded("helper", "max-connections");
		assertThat(TransportEvents.none()).isNotNull();
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
