package dev.peergate.unix;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which connections a listener takes: per user, in all, and while their verdicts are pending. */
class AdmissionTests {

	@Test
	void refusesAUsersConnectionsBeyondItsShareAndAdmitsOtherUsers() {
		Admission admission = new Admission(10, 2, 10);
		assertThat(admission.admit(65534).refusedBy()).isNull();
		assertThat(admission.admit(65534).refusedBy()).isNull();
		Admission.Ticket third = admission.admit(65534);
		assertThat(third.refusedBy()).isEqualTo(Admission.MAX_PER_UID);
		assertThat(third.explanation()).isEqualTo("uid 65534 has 2 connections open (max-connections-per-uid)");
		assertThat(admission.admit(1000).refusedBy()).isNull();
	}

	@Test
	void aRefusedConnectionGivesItsSlotBackAtItsVerdictButKeepsItsUsersShareUntilItCloses() {
		Admission admission = new Admission(2, 2, 10);
		Admission.Ticket refused = admission.admit(65534);
		admission.admit(65534).decided(true);
		assertThat(admission.admit(1000).refusedBy()).isEqualTo(Admission.MAX_CONNECTIONS);
		refused.decided(false);
		assertThat(admission.admit(1000).refusedBy()).as("the slot is free again").isNull();
		assertThat(admission.admit(65534).refusedBy()).as("the user still holds two connections")
			.isEqualTo(Admission.MAX_PER_UID);
		refused.release();
		refused.release(); // once only
		assertThat(admission.admit(65534).refusedBy()).isEqualTo(Admission.MAX_CONNECTIONS);
	}

	@Test
	void boundsTheConnectionsAwaitingTheirVerdict() {
		Admission admission = new Admission(10, 10, 1);
		Admission.Ticket pending = admission.admit(1000);
		Admission.Ticket second = admission.admit(1001);
		assertThat(second.refusedBy()).isEqualTo(Admission.MAX_VERIFYING);
		assertThat(second.explanation()).contains("max-verifying");
		second.release(); // a refused ticket holds nothing
		assertThat(admission.admit(1002).refusedBy()).isEqualTo(Admission.MAX_VERIFYING);
		pending.decided(true);
		Admission.Ticket next = admission.admit(1003);
		assertThat(next.refusedBy()).isNull();
		next.release();
		assertThat(admission.admit(1004).refusedBy()).as("release ends the verification too").isNull();
	}

	@Test
	void anAcceptedConnectionKeepsItsSlotUntilItCloses() {
		Admission admission = new Admission(1, 10, 10);
		Admission.Ticket accepted = admission.admit(1000);
		accepted.decided(true);
		assertThat(admission.admit(1001).refusedBy()).isEqualTo(Admission.MAX_CONNECTIONS);
		accepted.release();
		assertThat(admission.admit(1001).refusedBy()).isNull();
	}

}
