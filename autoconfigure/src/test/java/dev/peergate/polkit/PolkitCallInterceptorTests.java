package dev.peergate.polkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.Outcome;
import dev.peergate.core.Peer;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.ProcessHandleRef;
import dev.peergate.core.Reason;
import dev.peergate.handler.CallAuthorization;
import dev.peergate.handler.CallContext;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.MethodDescriptor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.handler.StandardErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How the polkit interceptor names the caller to polkit and when it refuses: the pid and start time of the peer,
 * proven through its process handle before the question and after the answer. (PolkitTests asks the real polkitd.)
 */
class PolkitCallInterceptorTests {

	private static final long PID = 4242;

	@TempDir
	Path proc;

	private final List<CallVerdict> verdicts = new CopyOnWriteArrayList<>();

	private final List<String> asked = new CopyOnWriteArrayList<>();

	private final MethodDescriptor install = MethodRegistry.of(List.of(new Helper()))
		.lookup("helper", "com.example.helper.Install");

	@Test
	void asksPolkitWithThePidStartTimeAndUidAndRunsTheCallWhenAuthorized() throws Exception {
		stat("4242 (py thon) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 987654 20 21");
		Object result = interceptor(answering(true)).intercept(call(new Handle(true, true)), this.install, () -> "ran");
		assertThat(result).isEqualTo("ran");
		assertThat(this.asked).containsExactly("com.example.helper.install pid=4242 start=987654 uid=1000");
		assertThat(this.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(verdict.authority()).isEqualTo("polkit-pid-verified");
			assertThat(verdict.method()).isEqualTo("com.example.helper.Install");
		});
	}

	@Test
	void refusesWhenPolkitDoesNotAuthorize() throws Exception {
		stat("4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 5 20");
		assertRefused(interceptor(answering(false)), new Handle(true, true), Outcome.REJECTED,
				Reason.REQUIREMENT_NOT_SATISFIED, "polkit did not authorize com.example.helper.install");
	}

	@Test
	void letsPolkitAskTheUserOnlyWhenTheCallAllowsInteraction() throws Exception {
		stat("4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 5 20");
		PolkitCallInterceptor interceptor = interceptor(answering(false));
		CallContext quiet = call(new Handle(true, true));
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> interceptor.intercept(quiet, this.install, () -> "ran"));
		CallContext interactive = quiet.withAuthorization(CallAuthorization.NONE.allowingInteraction());
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> interceptor.intercept(interactive, this.install, () -> "ran"));
		assertThat(this.asked).containsExactly("com.example.helper.install pid=4242 start=5 uid=1000",
				"com.example.helper.install pid=4242 start=5 uid=1000 interactive");
		assertThat(this.verdicts).extracting(CallVerdict::explanation)
			.containsExactly("polkit did not authorize com.example.helper.install (authentication would; the call "
					+ "did not allow interaction: allowInteractiveAuthentication)",
					"polkit did not authorize com.example.helper.install (authentication is required and did not "
							+ "succeed: no agent answered, or the user did not authenticate)");
	}

	@Test
	void refusesAPeerWithoutAPidClosedWithoutAskingPolkit() throws Exception {
		Peer pidless = Peer.of("helper", PeerCredentials.builder("unix").uid(1000).gid(1000).pidHint(0).build());
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> interceptor(answering(true))
			.intercept(new CallContext("helper", "unix", pidless, new Handle(true, true)), this.install, () -> "ran"));
		assertThat(this.asked).isEmpty();
		assertThat(this.verdicts).singleElement()
			.satisfies((verdict) -> assertThat(verdict.reason()).isEqualTo(Reason.FACT_UNVERIFIED));
	}

	@Test
	void refusesWhenThePeerExitedBeforeTheQuestion() throws Exception {
		stat("4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 5 20");
		assertRefused(interceptor(answering(true)), new Handle(false, false), Outcome.REJECTED, Reason.PEER_GONE,
				"the peer exited before polkit was asked");
		assertThat(this.asked).isEmpty();
	}

	@Test
	void refusesAnAuthorizationThatMayBeAboutAProcessThatReusedThePid() throws Exception {
		stat("4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 5 20");
		assertRefused(interceptor(answering(true)), new Handle(true, false), Outcome.REJECTED, Reason.PEER_GONE,
				"the peer exited while polkit was asked");
		assertThat(this.asked).hasSize(1);
	}

	@Test
	void refusesAsUnavailableWhenPolkitCannotBeAsked() throws Exception {
		stat("4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 5 20");
		PolkitQuestion down = (action, pid, start, uid, interactive) -> {
			throw new PolkitClient.PolkitUnavailableException("the system bus is not reachable", null);
		};
		assertRefused(interceptor(down), new Handle(true, true), Outcome.ERROR, Reason.AUTHORITY_UNAVAILABLE,
				"the system bus is not reachable");
	}

	@Test
	void refusesAConnectionWithoutAProcessHandle() throws Exception {
		PolkitCallInterceptor interceptor = interceptor(answering(true));
		CallContext call = new CallContext("helper", "unix", peer(), null);
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> interceptor.intercept(call, this.install, () -> "ran"))
			.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
		assertThat(this.verdicts).singleElement()
			.satisfies((verdict) -> assertThat(verdict.reason()).isEqualTo(Reason.FACT_UNVERIFIED));
	}

	@Test
	void refusesWhenTheStartTimeCannotBeRead() {
		assertRefused(interceptor(answering(true)), new Handle(true, true), Outcome.REJECTED, Reason.PEER_GONE,
				"could not read the start time of pid 4242");
	}

	@Test
	void leavesMethodsWithoutAnActionAlone() throws Exception {
		MethodDescriptor status = MethodRegistry.of(List.of(new Helper())).lookup("helper", "com.example.helper.Status");
		assertThat(interceptor(answering(false)).intercept(call(new Handle(true, true)), status, () -> "ran"))
			.isEqualTo("ran");
		assertThat(this.verdicts).isEmpty();
		assertThat(this.asked).isEmpty();
	}

	private void assertRefused(PolkitCallInterceptor interceptor, Handle handle, Outcome outcome, Reason reason,
			String explanation) {
		AtomicInteger ran = new AtomicInteger();
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> interceptor.intercept(call(handle), this.install, () -> ran.incrementAndGet()))
			.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
		assertThat(ran).hasValue(0);
		assertThat(this.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(outcome);
			assertThat(verdict.reason()).isEqualTo(reason);
			assertThat(verdict.explanation()).startsWith(explanation);
		});
	}

	private PolkitCallInterceptor interceptor(PolkitQuestion question) {
		return new PolkitCallInterceptor(Map.of("helper", Map.of("com.example.helper.Install", "com.example.helper.install")),
				question, () -> this.verdicts::add, this.proc);
	}

	private PolkitQuestion answering(boolean authorized) {
		return (action, pid, start, uid, interactive) -> {
			this.asked.add(action + " pid=" + pid + " start=" + start + " uid=" + uid + (interactive ? " interactive" : ""));
			return new PolkitClient.Answer(authorized, !authorized, Map.of());
		};
	}

	private void stat(String line) throws Exception {
		Files.createDirectories(this.proc.resolve(Long.toString(PID)));
		Files.writeString(this.proc.resolve(Long.toString(PID)).resolve("stat"), line + "\n");
	}

	private static CallContext call(Handle handle) {
		return new CallContext("helper", "unix", peer(), handle);
	}

	private static Peer peer() {
		return Peer.of("helper", PeerCredentials.builder("unix").uid(1000).gid(1000).pidHint(PID).build());
	}

	/** A process handle alive before the question and, as given, after it. */
	private static final class Handle implements ProcessHandleRef {

		private final boolean[] alive;

		private int asked;

		Handle(boolean before, boolean after) {
			this.alive = new boolean[] { before, after };
		}

		@Override
		public boolean isAlive() {
			return this.alive[Math.min(this.asked++, 1)];
		}

		@Override
		public String kind() {
			return "pidfd";
		}

		@Override
		public void close() {
		}

	}

	@IpcInterface("com.example.helper")
	static class Helper {

		@IpcMethod
		public Done install() {
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
