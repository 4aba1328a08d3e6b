package dev.peergate.unix.peer;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerNamesTests {

	private final AtomicInteger userLookups = new AtomicInteger();

	private final AtomicInteger groupLookups = new AtomicInteger();

	private final PeerNames names = new PeerNames(uid -> {
		this.userLookups.incrementAndGet();
		return (uid == 0) ? Optional.of("root") : Optional.empty();
	}, gid -> {
		this.groupLookups.incrementAndGet();
		return Optional.of("group" + gid);
	});

	@Test
	void asksTheNameServiceOncePerUserWhileTheNameIsFresh() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.names.user(0)).contains("root");
		}
		assertThat(this.userLookups).hasValue(1);
	}

	@Test
	void remembersThatAnIdHasNoName() {
		assertThat(this.names.user(4242)).isEmpty();
		assertThat(this.names.user(4242)).isEmpty();
		assertThat(this.userLookups).hasValue(1);
	}

	@Test
	void keepsUsersAndGroupsApart() {
		assertThat(this.names.user(0)).contains("root");
		assertThat(this.names.group(0)).contains("group0");
		assertThat(this.userLookups).hasValue(1);
		assertThat(this.groupLookups).hasValue(1);
	}

	@Test
	void staysBoundedWhenPeersCycleThroughIds() {
		for (long gid = 0; gid < 5000; gid++) {
			assertThat(this.names.group(gid)).contains("group" + gid);
		}
		assertThat(this.names.size()).isLessThanOrEqualTo(PeerNames.MAX_ENTRIES);
		assertThat(this.names.group(4999)).contains("group4999");
		assertThat(this.groupLookups).hasValue(5000);
	}

}
