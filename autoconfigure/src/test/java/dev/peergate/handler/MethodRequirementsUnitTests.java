package dev.peergate.handler;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.Evaluation;
import dev.peergate.core.Outcome;
import dev.peergate.core.Peer;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each decision of a method's own requirement, and what is reported for it. */
class MethodRequirementsUnitTests {

	private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

	private final List<CallVerdict> verdicts = new CopyOnWriteArrayList<>();

	private final PeerRequirement uid1000 = PeerRequirement.inMemory("uid 1000",
			(peer) -> (peer.uid() == 1000) ? Evaluation.satisfied("uid 1000")
					: Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED, "uid: expected 1000, peer has " + peer.uid()));

	private final MethodDescriptor clearCache = method("ClearCache");

	@Test
	void allowsACallerTheRequirementAcceptsAndReportsIt() {
		MethodRequirements requirements = requirements(Set.of());
		assertThat(requirements.authorize(call("helper", 1000), this.clearCache)).isTrue();
		assertThat(this.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(verdict.reason()).isEqualTo(Reason.SATISFIED);
			assertThat(verdict.method()).isEqualTo("com.example.helper.ClearCache");
			assertThat(verdict.listener()).isEqualTo("helper");
			assertThat(verdict.authority()).isEqualTo("requirement");
			assertThat(verdict.timestamp()).isEqualTo(NOW);
			assertThat(verdict.peer().uid()).isEqualTo(1000);
		});
	}

	@Test
	void refusesACallerTheRequirementRefusesWithItsExplanation() {
		assertThat(requirements(Set.of()).authorize(call("helper", 1001), this.clearCache)).isFalse();
		assertThat(this.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
			assertThat(verdict.explanation()).isEqualTo("uid: expected 1000, peer has 1001");
			assertThat(verdict.allowed()).isFalse();
		});
	}

	@Test
	void auditRunsTheCallTheRequirementRefusesAndRecordsWouldReject() {
		assertThat(requirements(Set.of("helper/com.example.helper.ClearCache")).authorize(call("helper", 1001),
				this.clearCache)).isTrue();
		assertThat(this.verdicts).singleElement()
			.satisfies((verdict) -> assertThat(verdict.outcome()).isEqualTo(Outcome.WOULD_REJECT));
	}

	@Test
	void aRequirementThatThrowsRefusesAsAnError() {
		PeerRequirement broken = PeerRequirement.of("broken", (peer) -> {
			throw new IllegalStateException("no database");
		});
		MethodRequirements requirements = new MethodRequirements(
				Map.of("helper", Map.of("com.example.helper.ClearCache", broken)), Set.of(), this.verdicts::add,
				Clock.fixed(NOW, ZoneOffset.UTC));
		assertThat(requirements.authorize(call("helper", 1000), this.clearCache)).isFalse();
		assertThat(this.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(Outcome.ERROR);
			assertThat(verdict.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
			assertThat(verdict.explanation()).isEqualTo("evaluation failed: IllegalStateException: no database");
		});
	}

	@Test
	void aRequirementSeesTheCallersVerifiedFactsOnly() {
		PeerRequirement readsFacts = PeerRequirement.of("unit",
				(peer) -> (peer.facts().get("systemd-unit").orElse("").equals("admin.service") && peer.gid() == 27
						&& peer.groups().equals(List.of(27L, 4L)) && peer.transport().equals("unix"))
								? Evaluation.satisfied("ok") : Evaluation.unsatisfied(Reason.FACT_UNVERIFIED, "no"));
		MethodRequirements requirements = new MethodRequirements(
				Map.of("helper", Map.of("com.example.helper.ClearCache", readsFacts)), Set.of(), this.verdicts::add,
				Clock.fixed(NOW, ZoneOffset.UTC));
		Peer peer = new Peer("helper", "unix", 1000, 27, List.of(27L, 4L), Map.of("systemd-unit", "admin.service"), 42);
		assertThat(requirements.authorize(new CallContext("helper", "unix", peer), this.clearCache)).isTrue();
	}

	@Test
	void methodsWithoutARequirementAndOtherListenersAreNotAskedAbout() {
		MethodRequirements requirements = requirements(Set.of());
		assertThat(requirements.authorize(call("helper", 1001), method("Status"))).isTrue();
		assertThat(requirements.authorize(call("other", 1001), this.clearCache)).isTrue();
		assertThat(this.verdicts).isEmpty();
	}

	private MethodRequirements requirements(Set<String> audited) {
		return new MethodRequirements(Map.of("helper", Map.of("com.example.helper.ClearCache", this.uid1000)), audited,
				this.verdicts::add, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static CallContext call(String listener, long uid) {
		return new CallContext(listener, "unix",
				Peer.of(listener, PeerCredentials.builder("unix").uid(uid).gid(uid).build()));
	}

	private static MethodDescriptor method(String name) {
		return MethodRegistry.of(List.of(new Helper())).lookup("helper", "com.example.helper." + name);
	}

	@IpcInterface("com.example.helper")
	static class Helper {

		@IpcMethod
		public Done clearCache() {
			return new Done();
		}

		@IpcMethod
		public Done status() {
			return new Done();
		}

	}

	/** Nothing. */
	public record Done() {
	}

}
