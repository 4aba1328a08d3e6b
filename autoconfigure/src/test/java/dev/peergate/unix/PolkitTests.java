package dev.peergate.unix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.Gate;
import dev.peergate.core.LogLimiter;
import dev.peergate.core.Outcome;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.core.TransportEvents;
import dev.peergate.handler.CallAuthorizer;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.HandlerLimits;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.handler.StandardErrors;
import dev.peergate.polkit.PolkitCallInterceptor;
import dev.peergate.polkit.PolkitClient;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * polkit decides per method, for real: a system bus ({@code dbus-daemon --system}) and {@code polkitd} run, a rules
 * file grants the test action to the members of a test group (polkit reads membership from the group database, so
 * a test user is created in it); peers started with {@code setpriv} call a method guarded by the action over a real
 * socket. The member is allowed, a peer outside the group is denied with polkit's answer, and an action polkit
 * refuses to answer for (not registered) denies too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PolkitTests {

	private static final String ACTION = "dev.peergate.test.echo";

	private static final Path POLICY = Path.of("/usr/share/polkit-1/actions/dev.peergate.test.policy");

	private static final Path RULES = Path.of("/etc/polkit-1/rules.d/49-peergate-test.rules");

	private static final String GROUP = "peergate-polkit";

	private static final String USER = "peergate-polkit-peer";

	private static long memberUid;

	private static long memberGid;

	private static SystemBus systemBus;

	@TempDir
	Path directory;

	private final List<CallVerdict> verdicts = new CopyOnWriteArrayList<>();

	private UnixListener listener;

	private Path socket;

	@BeforeAll
	static void runSystemBusAndPolkitd() throws Exception {
		LinuxAssumptions.assumeRoot();
		LinuxAssumptions.assumeTool("/usr/bin/dbus-daemon");
		LinuxAssumptions.assumeTool("/usr/lib/polkit-1/polkitd");
		LinuxAssumptions.assumeTool(PythonPeer.SETPRIV);
		Files.writeString(POLICY, """
				<?xml version="1.0" encoding="UTF-8"?>
				<!DOCTYPE policyconfig PUBLIC "-//freedesktop//DTD PolicyKit Policy Configuration 1.0//EN"
				 "http://www.freedesktop.org/standards/PolicyKit/1/policyconfig.dtd">
				<policyconfig>
				  <action id="dev.peergate.test.echo">
				    <description>Echo through the Peergate test listener</description>
				    <message>Authentication is required to echo</message>
				    <defaults><allow_any>no</allow_any><allow_inactive>no</allow_inactive><allow_active>auth_admin</allow_active></defaults>
				  </action>
				</policyconfig>
				""");
		Files.writeString(RULES, """
				polkit.addRule(function(action, subject) {
				    if (action.id == "dev.peergate.test.echo" && subject.isInGroup("peergate-polkit")) {
				        return polkit.Result.YES;
				    }
				});
				""");
		LinuxAssumptions.assumeTool("/usr/sbin/useradd");
		run("/usr/sbin/groupadd", "-f", GROUP);
		run("/usr/sbin/useradd", "-M", "-N", "-s", "/usr/sbin/nologin", "-G", GROUP, USER);
		memberUid = Long.parseLong(output("/usr/bin/id", "-u", USER));
		memberGid = Long.parseLong(output("/usr/bin/id", "-g", USER));
		systemBus = SystemBus.withPolkitd();
	}

	@AfterAll
	static void stopPolkitdAndRemoveTheTestAction() throws Exception {
		if (systemBus != null) {
			systemBus.stop();
		}
		Files.deleteIfExists(POLICY);
		Files.deleteIfExists(RULES);
		try {
			run("/usr/sbin/userdel", USER);
			run("/usr/sbin/groupdel", GROUP);
		}
		catch (Exception ex) {
			// a leftover test user harms nothing; the next run reuses it
		}
	}

	@BeforeEach
	void listen() throws Exception {
		this.socket = this.directory.resolve("polkit.sock");
		Files.setPosixFilePermissions(this.directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
		this.listener = listening(Map.of("dev.peergate.test.Echo", ACTION));
	}

	private UnixListener listening(Map<String, String> actions) throws Exception {
		return listening(actions, HandlerLimits.timeoutOnly(Duration.ofSeconds(30)), HandlerExecutor.platform(4, 16));
	}

	private UnixListener listening(Map<String, String> actions, HandlerLimits limits, HandlerExecutor executor)
			throws Exception {
		PolkitCallInterceptor polkit = new PolkitCallInterceptor(Map.of("test", actions),
				new PolkitClient(Duration.ofSeconds(10)), () -> this.verdicts::add);
		Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(new TestHandlers())), executor, limits,
				CallObserver.none(),
				new LogLimiter(Duration.ofMinutes(1)), TransportEvents.none(), CallAuthorizer.allowAll(), List.of(polkit));
		LinuxPeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4));
		UnixListener started = new UnixListener("test", UnixListenerOptions.defaults(this.socket).withMode("0666"),
				new Gate("test", inspector.mechanism(), PeerRequirement.anyPeer(), (verdict) -> {
				}), dispatcher, TransportEvents.none(), inspector);
		started.start();
		return started;
	}

	@AfterEach
	void stop() {
		this.listener.stop(Duration.ofSeconds(1));
	}

	@Test
	void allowsThePeerInTheGroupTheRuleGrantsTheAction() throws Exception {
		long group = Long.parseLong(output("/usr/bin/getent", "group", GROUP).split(":")[2]);
		Map<String, Object> reply = PythonPeer.as(memberUid, memberGid, group)
			.call(this.socket, "dev.peergate.test.Echo");
		assertThat(reply).doesNotContainKey("error");
		assertThat(this.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).as(verdict.explanation()).isEqualTo(Outcome.ACCEPTED);
			assertThat(verdict.authority()).isEqualTo(PolkitCallInterceptor.AUTHORITY_PID_VERIFIED);
			assertThat(verdict.peer().uid()).isEqualTo(memberUid);
		});
	}

	@Test
	void deniesThePeerOutsideTheGroupWithPolkitsAnswer() throws Exception {
		Map<String, Object> reply = PythonPeer.as(65534, 65534).call(this.socket, "dev.peergate.test.Echo");
		assertThat(reply).containsEntry("error", StandardErrors.PERMISSION_DENIED);
		assertThat(this.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
			assertThat(verdict.explanation()).startsWith("polkit did not authorize " + ACTION);
		});
		// methods without an action are not asked about
		assertThat(PythonPeer.as(65534, 65534).call(this.socket, "dev.peergate.test.Sleep")).isNotNull();
	}

	@Test
	void deniesWhenPolkitAnswersWithAnError() throws Exception {
		this.listener.stop(Duration.ofSeconds(1));
		this.listener = listening(Map.of("dev.peergate.test.Echo", "dev.peergate.test.unregistered"));
		Map<String, Object> reply = PythonPeer.as(memberUid, memberGid).call(this.socket, "dev.peergate.test.Echo");
		assertThat(reply).containsEntry("error", StandardErrors.PERMISSION_DENIED);
		assertThat(this.verdicts).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).as(verdict.explanation()).isEqualTo(Outcome.ERROR);
			assertThat(verdict.reason()).isEqualTo(Reason.AUTHORITY_UNAVAILABLE);
			assertThat(verdict.explanation()).contains("not registered");
		});
	}

	/**
	 * The attacker's strategy against an authority: keep many calls of a guarded method waiting on a polkit that
	 * does not answer (stopped with SIGSTOP), to hold every handler thread. The per-uid share bounds it: the
	 * attacker holds at most its share of the threads, the rest of its calls are answered Overloaded at once, and a
	 * bystander of another user calling every 20 ms is served throughout.
	 */
	@Test
	void aStalledPolkitHoldsOnlyTheAttackersShareOfHandlerThreads() throws Exception {
		this.listener.stop(Duration.ofSeconds(1));
		int share = 4;
		this.listener = listening(Map.of("dev.peergate.test.BlockingThreadName", ACTION),
				new HandlerLimits(Duration.ofSeconds(30), Duration.ofMinutes(30), share), HandlerExecutor.platform(8, 64));
		try (Bystander bystander = Bystander.measuring(this.socket)) {
			Thread.sleep(2000);
			bystander.beginWindow("quiet");
			Thread.sleep(2000);
			bystander.beginWindow("attack");
			systemBus.freezePolkitd(true);
			try {
				HostilePeer attacker = HostilePeer.start(this.socket, "reconnect", 32, Duration.ofSeconds(4),
						"dev.peergate.test.BlockingThreadName");
				Thread.sleep(3000);
				assertThat(this.verdicts).as("no answer while polkit is stopped").isEmpty();
				systemBus.freezePolkitd(false);
				attacker.await();
			}
			finally {
				systemBus.freezePolkitd(false);
			}
			bystander.beginWindow("after");
			Bystander.Stats quiet = bystander.stats("quiet");
			Bystander.Stats attack = bystander.stats("attack");
			assertThat(attack.failures()).as("bystander calls failed during the attack").isZero();
			assertThat(attack.p99()).as("p99 during the attack (quiet %s)", quiet.p99())
				.isLessThanOrEqualTo(Bystander.allowedP99(quiet));
		}
		// only the attacker's share of calls reached polkit, and polkit refused each of them
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> this.verdicts.size() == share);
		assertThat(this.verdicts).hasSize(share).allSatisfy((verdict) -> {
			assertThat(verdict.outcome()).isNotEqualTo(Outcome.ACCEPTED);
			assertThat(verdict.peer().uid()).isEqualTo(HostilePeer.NOBODY);
		});
	}

	private static String output(String... command) throws Exception {
		Process process = new ProcessBuilder(command).start();
		process.waitFor(20, TimeUnit.SECONDS);
		return new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
	}

	private static void run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		process.waitFor(20, TimeUnit.SECONDS);
	}

}
