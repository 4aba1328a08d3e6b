package dev.peergate.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a transport captured about a peer, as it stated it, and the process handle the credentials own. */
class PeerCredentialsTests {

	@Test
	void keepsWhatTheTransportCaptured() {
		PeerFacts facts = PeerFacts.builder().verified("user", "alice").build();
		PeerCredentials credentials = PeerCredentials.builder("unix")
			.uid(1000)
			.gid(100)
			.groups(List.of(100L, 27L))
			.pidHint(4242)
			.facts(facts)
			.build();
		assertThat(credentials.transport()).isEqualTo("unix");
		assertThat(credentials.uid()).isEqualTo(1000);
		assertThat(credentials.gid()).isEqualTo(100);
		assertThat(credentials.groups()).containsExactly(100L, 27L);
		assertThat(credentials.pidHint()).hasValue(4242);
		assertThat(credentials.facts()).isSameAs(facts);
	}

	@Test
	void saysUnknownForWhatWasNotCaptured() {
		PeerCredentials credentials = PeerCredentials.builder("in-process").build();
		assertThat(credentials.uid()).isEqualTo(-1);
		assertThat(credentials.gid()).isEqualTo(-1);
		assertThat(credentials.groups()).isEmpty();
		assertThat(credentials.pidHint()).isEmpty();
		assertThat(credentials.auditToken()).isNull();
		assertThat(credentials.processHandle()).isNull();
		assertThat(credentials.facts().verified()).isEmpty();
	}

	@Test
	void hasNoPidHintForPidZero() {
		assertThat(PeerCredentials.builder("unix").pidHint(0).build().pidHint()).isEmpty();
		assertThat(PeerCredentials.builder("unix").pidHint(1).build().pidHint()).hasValue(1);
	}

	@Test
	void keepsItsOwnCopyOfTheAuditToken() {
		byte[] token = new byte[32];
		token[0] = 7;
		PeerCredentials credentials = PeerCredentials.builder("xpc").auditToken(token).build();
		token[0] = 8;
		byte[] read = credentials.auditToken();
		assertThat(read).hasSize(32).startsWith((byte) 7);
		read[0] = 9;
		assertThat(credentials.auditToken()).startsWith((byte) 7);
	}

	@Test
	void closesTheProcessHandleItOwns() {
		CountingHandle handle = new CountingHandle();
		try (PeerCredentials credentials = PeerCredentials.builder("unix").processHandle(handle).build()) {
			assertThat(credentials.processHandle()).isSameAs(handle);
			assertThat(handle.closed).hasValue(0);
		}
		assertThat(handle.closed).hasValue(1);
	}

	@Test
	void closesWithoutAProcessHandle() {
		PeerCredentials.builder("in-process").build().close();
	}

	@Test
	void describesItselfWithIdsPidHintAndFacts() {
		PeerFacts facts = PeerFacts.builder().verified("user", "alice").unverified("executable-path", "no pidfd").build();
		assertThat(PeerCredentials.builder("unix").uid(1000).gid(100).pidHint(4242).facts(facts).build())
			.hasToString("PeerCredentials{unix uid=1000 gid=100 pid~4242 PeerFacts{user=alice} "
					+ "unverified=[executable-path]}");
		assertThat(PeerCredentials.builder("unix").uid(0).gid(0).pidHint(0).build())
			.hasToString("PeerCredentials{unix uid=0 gid=0 PeerFacts{}}");
	}

	static final class CountingHandle implements ProcessHandleRef {

		final AtomicInteger closed = new AtomicInteger();

		@Override
		public boolean isAlive() {
			return this.closed.get() == 0;
		}

		@Override
		public String kind() {
			return "test";
		}

		@Override
		public void close() {
			this.closed.incrementAndGet();
		}

	}

}
