package dev.peergate.core;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The verified view of a peer that handlers and verdicts carry. */
class PeerTests {

	@Test
	void showsOnlyVerifiedFactsOfTheCapturedCredentials() {
		PeerCredentials credentials = PeerCredentials.builder("unix")
			.uid(1000)
			.gid(100)
			.groups(List.of(27L))
			.pidHint(4242)
			.facts(PeerFacts.builder().verified("user", "alice").unverified("executable-path", "no pidfd").build())
			.build();
		Peer peer = Peer.of("helper", credentials);
		assertThat(peer).isEqualTo(new Peer("helper", "unix", 1000, 100, List.of(27L), Map.of("user", "alice"), 4242));
		assertThat(peer.fact("user")).isEqualTo("alice");
		assertThat(peer.fact("executable-path")).isNull();
	}

	@Test
	void givesAFactAsText() {
		Peer peer = new Peer("helper", "unix", 1000, 100, List.of(), Map.of("uid", 1000L), -1);
		assertThat(peer.fact("uid")).isEqualTo("1000");
	}

	@Test
	void hasNoPidHintForAnUnknownPidOrPidZero() {
		assertThat(peer(0, 0, 0).pidHint()).isEmpty();
		assertThat(peer(0, 0, -1).pidHint()).isEmpty();
		assertThat(peer(0, 0, 1).pidHint()).hasValue(1);
	}

	@Test
	void summarisesRootWithItsIdsAndLeavesPidZeroOut() {
		assertThat(peer(0, 0, 0).summary()).isEqualTo("uid=0 gid=0");
	}

	@Test
	void summarisesWithoutUnknownIds() {
		assertThat(peer(-1, -1, -1).summary()).isEmpty();
		assertThat(peer(1000, -1, 1).summary()).isEqualTo("uid=1000 pid~1");
	}

	@Test
	void summarisesTheIdentifyingFactsInAFixedOrderEscaped() {
		Peer peer = new Peer("helper", "unix", 1000, 100, List.of(),
				Map.of("systemd-unit", "evil\nunit.service", "user", "alice", "executable-path", "/usr/bin/cli",
						"cgroup", "/not/shown"),
				4242);
		assertThat(peer.summary())
			.isEqualTo("uid=1000 gid=100 user=alice executable-path=/usr/bin/cli systemd-unit=evil\\nunit.service pid~4242");
	}

	private static Peer peer(long uid, long gid, long pid) {
		return new Peer("helper", "unix", uid, gid, List.of(), Map.of(), pid);
	}

}
