package dev.peergate.handler;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import org.jspecify.annotations.Nullable;

/**
 * An authority outside Peergate (polkit, Authorization Services) deciding about the calls of the methods that
 * name what the caller must be authorized for (an action, a right): each decision is a call verdict tagged with
 * the authority, and anything but an acceptance refuses the call with {@value StandardErrors#PERMISSION_DENIED}.
 * Methods that name nothing run unasked.
 *
 * <pre>{@code
 * class Allowlist extends AuthorityCallInterceptor {
 *     Allowlist(Supplier<CallVerdictSink> sink) {
 *         super("allowlist", Map.of("helper", Map.of("com.example.helper.Install", "install")), sink);
 *     }
 *     protected Decision decide(CallContext context, String permission) {
 *         return new Decision(Outcome.ACCEPTED, Reason.SATISFIED, "everybody may " + permission);
 *     }
 * }
 * }</pre>
 */
public abstract class AuthorityCallInterceptor implements CallInterceptor {

	private final String authority;

	private final Map<String, Map<String, String>> permissions;

	private final Supplier<CallVerdictSink> sink;

	private final Clock clock = Clock.systemUTC();

	/**
	 * @param authority the tag of the verdicts
	 * @param permissions what the caller must be authorized for, by listener, then by fully qualified method
	 * @param sink where call verdicts go
	 */
	protected AuthorityCallInterceptor(String authority, Map<String, Map<String, String>> permissions,
			Supplier<CallVerdictSink> sink) {
		Map<String, Map<String, String>> copy = new LinkedHashMap<>();
		permissions.forEach((listener, methods) -> copy.put(listener, Map.copyOf(methods)));
		this.authority = authority;
		this.permissions = Map.copyOf(copy);
		this.sink = sink;
	}

	@Override
	public final @Nullable Object intercept(CallContext context, MethodDescriptor method, Invocation invocation)
			throws Exception {
		String permission = this.permissions.getOrDefault(context.listener(), Map.of()).get(method.qualifiedName());
		if (permission == null) {
			return invocation.proceed();
		}
		Decision decision = decide(context, permission);
		this.sink.get()
			.accept(new CallVerdict(decision.outcome(), decision.reason(), this.authority, decision.explanation(),
					context.peer(), context.listener(), method.qualifiedName(), this.clock.instant()));
		if (decision.outcome() != Outcome.ACCEPTED) {
			throw StandardErrors.permissionDenied();
		}
		return invocation.proceed();
	}

	/** Asks the authority whether the caller is authorized for {@code permission}; never throws. */
	protected abstract Decision decide(CallContext context, String permission);

	/**
	 * The authority's decision about one call.
	 *
	 * @param outcome accepted, rejected, or error (the authority could not decide)
	 * @param reason why
	 * @param explanation for a human, in the authority's terms
	 */
	public record Decision(Outcome outcome, Reason reason, String explanation) {
	}

}
