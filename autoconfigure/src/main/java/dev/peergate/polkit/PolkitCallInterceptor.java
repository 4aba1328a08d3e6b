package dev.peergate.polkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.Outcome;
import dev.peergate.core.ProcessHandleRef;
import dev.peergate.core.Reason;
import dev.peergate.handler.AuthorityCallInterceptor;
import dev.peergate.handler.CallAuthorization;
import dev.peergate.handler.CallContext;

/**
 * Asks polkit, before a method with a polkit action runs, whether the calling process may perform the action. The
 * process is named to polkit by pid and start time (what polkit 122, Debian 12's, knows) and proven through the
 * connection's pidfd to be the peer both before the question and after the answer, as systemd's own varlink
 * services do; if not, or if polkit cannot be asked, the call is refused (fail closed). Runs on the handler thread:
 * methods with a polkit action must be blocking handlers.
 *
 * <pre>{@code
 * CallInterceptor polkit = new PolkitCallInterceptor(
 *         Map.of("helper", Map.of("com.example.helper.Install", "com.example.helper.install")),
 *         new PolkitClient(Duration.ofSeconds(25)), () -> callVerdictSink);
 * }</pre>
 */
public final class PolkitCallInterceptor extends AuthorityCallInterceptor {

	/** The authority tag of decisions made with the pid-and-start-time subject, verified through the pidfd. */
	public static final String AUTHORITY_PID_VERIFIED = "polkit-pid-verified";

	private final PolkitQuestion polkit;

	private final Path proc;

	/** Actions by listener, then by fully qualified method. */
	public PolkitCallInterceptor(Map<String, Map<String, String>> actions, PolkitQuestion polkit,
			Supplier<CallVerdictSink> sink) {
		this(actions, polkit, sink, Path.of("/proc"));
	}

	PolkitCallInterceptor(Map<String, Map<String, String>> actions, PolkitQuestion polkit, Supplier<CallVerdictSink> sink,
			Path proc) {
		super(AUTHORITY_PID_VERIFIED, actions, sink);
		this.polkit = polkit;
		this.proc = proc;
	}

	@Override
	protected Decision decide(CallContext context, String action) {
		ProcessHandleRef process = context.process();
		long pid = context.peer().pidHint().orElse(-1);
		if (process == null || pid <= 0) {
			return new Decision(Outcome.ERROR, Reason.FACT_UNVERIFIED,
					"polkit needs the calling process, and this connection has no pidfd for it");
		}
		long startTime;
		try {
			startTime = startTime(pid);
		}
		catch (IOException | RuntimeException ex) {
			return new Decision(Outcome.REJECTED, Reason.PEER_GONE,
					"could not read the start time of pid " + pid + ": " + ex.getMessage());
		}
		if (!process.isAlive()) { // the pid and start time read above may belong to another process now
			return new Decision(Outcome.REJECTED, Reason.PEER_GONE, "the peer exited before polkit was asked");
		}
		PolkitClient.Answer answer;
		try {
			answer = this.polkit.check(action, pid, startTime, context.peer().uid(),
					context.authorization().interactionAllowed());
		}
		catch (PolkitClient.PolkitUnavailableException ex) {
			return new Decision(Outcome.ERROR, Reason.AUTHORITY_UNAVAILABLE, ex.getMessage());
		}
		if (!process.isAlive()) { // polkit may have looked at a process that reused the pid
			return new Decision(Outcome.REJECTED, Reason.PEER_GONE,
					"the peer exited while polkit was asked: its answer may be about another process");
		}
		if (answer.authorized()) {
			return new Decision(Outcome.ACCEPTED, Reason.SATISFIED, "polkit authorized " + action);
		}
		return new Decision(Outcome.REJECTED, Reason.REQUIREMENT_NOT_SATISFIED, "polkit did not authorize " + action
				+ (answer.challenge() ? challenge(context) : "")
				+ (answer.details().isEmpty() ? "" : " " + answer.details()));
	}

	private static String challenge(CallContext context) {
		return context.authorization().interactionAllowed()
				? " (authentication is required and did not succeed: no agent answered, or the user did not authenticate)"
				: " (authentication would; the call did not allow interaction: " + CallAuthorization.INTERACTIVE_KEY
						+ ")";
	}

	/** Field 22 of {@code /proc/<pid>/stat}: start time in clock ticks after boot, as polkit reads it. */
	long startTime(long pid) throws IOException {
		String stat = Files.readString(this.proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[22 - 3]); // fields[0] is field 3 (state)
	}

}
