package dev.peergate.security;

import java.time.Clock;
import java.util.function.Supplier;

import dev.peergate.core.CallVerdict;
import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.handler.CallContext;
import dev.peergate.handler.CallInterceptor;
import dev.peergate.handler.MethodDescriptor;
import dev.peergate.handler.StandardErrors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Puts a {@link PeerAuthentication} for the calling peer into the {@code SecurityContext} while its handler runs,
 * and restores what was there afterwards, on whichever thread runs the handler. A handler refused by method security
 * ({@code AccessDeniedException}, e.g. {@code AuthorizationDeniedException} from {@code @PreAuthorize}) is answered
 * {@value StandardErrors#PERMISSION_DENIED} and reported as a {@link CallVerdict} with authority
 * {@value #AUTHORITY}; Spring Security publishes its own {@code AuthorizationDeniedEvent} as configured.
 *
 * <pre>{@code
 * Dispatcher dispatcher = new Dispatcher(registry, executor, limits, observer, logLimiter, events, authorizer,
 *         List.of(new SecurityContextCallInterceptor(PeerAuthoritiesMapper.fromVerifiedFacts(), () -> callSink)));
 * }</pre>
 */
public final class SecurityContextCallInterceptor implements CallInterceptor {

	/** The authority of Spring Security's decisions in call verdicts. */
	public static final String AUTHORITY = "spring-security";

	private final PeerAuthoritiesMapper authorities;

	private final Supplier<CallVerdictSink> sink;

	private final SecurityContextHolderStrategy holder;

	private final Clock clock = Clock.systemUTC();

	/** An interceptor mapping authorities with {@code authorities}, reporting denials to {@code sink}. */
	public SecurityContextCallInterceptor(PeerAuthoritiesMapper authorities, Supplier<CallVerdictSink> sink) {
		this(authorities, sink, SecurityContextHolder.getContextHolderStrategy());
	}

	/** An interceptor over an explicit context holder strategy. */
	public SecurityContextCallInterceptor(PeerAuthoritiesMapper authorities, Supplier<CallVerdictSink> sink,
			SecurityContextHolderStrategy holder) {
		this.authorities = authorities;
		this.sink = sink;
		this.holder = holder;
	}

	@Override
	public @Nullable Object intercept(CallContext context, MethodDescriptor method, Invocation invocation)
			throws Exception {
		SecurityContext previous = this.holder.getContext();
		SecurityContext own = this.holder.createEmptyContext();
		own.setAuthentication(new PeerAuthentication(context.peer(), this.authorities.authorities(context.peer())));
		this.holder.setContext(own);
		try {
			return invocation.proceed();
		}
		catch (AccessDeniedException ex) {
			this.sink.get()
				.accept(new CallVerdict(Outcome.REJECTED, Reason.REQUIREMENT_NOT_SATISFIED, AUTHORITY,
						"Spring Security denied the call: " + ex.getMessage(), context.peer(), context.listener(),
						method.qualifiedName(), this.clock.instant()));
			throw StandardErrors.permissionDenied();
		}
		finally {
			if (previous.getAuthentication() == null) {
				this.holder.clearContext(); // nothing was there: leave nothing behind on a pooled thread
			}
			else {
				this.holder.setContext(previous);
			}
		}
	}

}
