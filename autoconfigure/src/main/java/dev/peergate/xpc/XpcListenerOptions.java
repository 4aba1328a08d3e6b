package dev.peergate.xpc;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.peergate.xpc.jna.NativeLibraries;
import org.jspecify.annotations.Nullable;

/**
 * Everything an {@link XpcListener} needs besides the dispatcher and the verdict sink.
 *
 * <pre>{@code
 * XpcListenerOptions options = XpcListenerOptions.of("helper", "com.example.helper",
 *         XpcRequirement.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\""))
 *     .withEnforcement(Enforcement.OS);
 * XpcListenerOptions inProcess = XpcListenerOptions.anonymous("helper", XpcRequirement.sameTeam());
 * }</pre>
 *
 * @param name listener name (metric tag, endpoint key)
 * @param serviceName Mach service name declared in this process's launchd plist; {@code null} for an anonymous
 * listener ({@link #anonymous}), which launchd knows nothing of and clients reach through its endpoint
 * @param requirement what peers must be
 * @param enforcement who decides
 * @param allowPrivateApi on macOS older than 11, allow the private {@code xpc_dictionary_get_audit_token} to locate
 * the sender ({@code private-audit-token}); ignored on macOS 11+
 * @param allowInsecurePid on macOS older than 11 without the private route, allow locating the sender by PID
 * ({@code pid-unsafe}, racy: a reused PID passes as the sender); ignored on macOS 11+
 * @param explainer explains rejections
 * @param libraries where the native libraries are loaded from
 * @param maxInFlightPerConnection calls one peer connection may have in flight; more are answered
 * {@code dev.peergate.Overloaded} at once, so one peer cannot fill the shared handler executor
 * @param methodRequirements requirements of single methods, by fully qualified method name: each message calling
 * the method is checked against it, a code-signing one by Security.framework (macOS 11+), a lightweight one by
 * {@code xpc_peer_requirement_match_received_message} (macOS 26)
 * @param auditedMethods methods whose requirement is only audited ({@code enforcement: audit}): a call it refuses
 * runs and is recorded as {@code would-reject}
 * @param maxConnections peer connections open at once (being verified or accepted); a further peer connection is
 * cancelled before it is started, counted as {@code max-connections} and reported as a {@code limit-exceeded}
 * refusal
 * @param maxConnectionsPerUid peer connections one uid may have open at once; a further one of that uid is refused
 * as {@code max-connections} is, counted as {@code max-connections-per-uid}
 * @param idleTimeout how long a peer connection may stay without a message and without a call in flight before it
 * is cancelled (counted as {@code idle-timeout}); {@link Duration#ZERO} keeps idle connections open
 * @param maxFdsPerMessage file descriptors ({@code xpc_fd} values) one message may carry, 0 to
 * {@value #MAX_FDS_PER_MESSAGE}; a message with more is answered {@code dev.peergate.ProtocolError} without being
 * run, counted as {@code max-fds-per-message}, and none of its descriptors stays open
 */
public record XpcListenerOptions(String name, @Nullable String serviceName, XpcRequirement requirement, Enforcement enforcement,
		boolean allowPrivateApi, boolean allowInsecurePid, RejectionExplainer explainer, NativeLibraries libraries,
		int maxInFlightPerConnection, Map<String, XpcRequirement> methodRequirements, Set<String> auditedMethods,
		int maxConnections, int maxConnectionsPerUid, Duration idleTimeout, int maxFdsPerMessage) {

	/** Default of {@link #maxInFlightPerConnection()}, as for Unix-socket listeners. */
	public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 16;

	/** Default of {@link #idleTimeout()}, as for Unix-socket listeners. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

	/** Default of {@link #maxConnectionsPerUid()}, as for Unix-socket listeners. */
	public static final int DEFAULT_MAX_CONNECTIONS_PER_UID = 64;

	/** Default of {@link #maxConnections()}, as for Unix-socket listeners. */
	public static final int DEFAULT_MAX_CONNECTIONS = 256;

	/** Default of {@link #maxFdsPerMessage()}, as for Unix-socket listeners. */
	public static final int DEFAULT_MAX_FDS_PER_MESSAGE = 8;

	/** Largest {@link #maxFdsPerMessage()}: the most one {@code SCM_RIGHTS} message carries on Linux. */
	public static final int MAX_FDS_PER_MESSAGE = 253;

	public XpcListenerOptions {
		Objects.requireNonNull(name, "'name' must not be null");
		Objects.requireNonNull(requirement, "'requirement' must not be null");
		Objects.requireNonNull(enforcement, "'enforcement' must not be null");
		Objects.requireNonNull(explainer, "'explainer' must not be null");
		Objects.requireNonNull(libraries, "'libraries' must not be null");
		if (serviceName != null && serviceName.isBlank()) {
			throw new IllegalArgumentException("'serviceName' must not be blank");
		}
		if (maxInFlightPerConnection < 1) {
			throw new IllegalArgumentException("'maxInFlightPerConnection' must be at least 1");
		}
		Objects.requireNonNull(idleTimeout, "'idleTimeout' must not be null");
		if (idleTimeout.isNegative()) {
			throw new IllegalArgumentException("'idleTimeout' must not be negative");
		}
		if (maxConnectionsPerUid < 1) {
			throw new IllegalArgumentException("'maxConnectionsPerUid' must be at least 1");
		}
		if (maxConnections < 1) {
			throw new IllegalArgumentException("'maxConnections' must be at least 1");
		}
		if (maxFdsPerMessage < 0 || maxFdsPerMessage > MAX_FDS_PER_MESSAGE) {
			throw new IllegalArgumentException("'maxFdsPerMessage' must be between 0 and " + MAX_FDS_PER_MESSAGE);
		}
		methodRequirements = Map.copyOf(methodRequirements);
		methodRequirements.forEach((method, required) -> {
			if (!(required instanceof XpcRequirement.CodeSigning || required instanceof XpcRequirement.Lightweight)) {
				throw new IllegalArgumentException("the requirement of method " + method + " is "
						+ required.describe() + "; a method requirement is a code-signing or lightweight one");
			}
		});
		auditedMethods = Set.copyOf(auditedMethods);
		for (String method : auditedMethods) {
			if (!methodRequirements.containsKey(method)) {
				throw new IllegalArgumentException("audited method " + method + " has no requirement to audit");
			}
		}
	}

	/** Observed enforcement, no private API, no PID check, the facts-summary explainer, the system libraries. */
	public static XpcListenerOptions of(String name, String serviceName, XpcRequirement requirement) {
		return defaults(name, Objects.requireNonNull(serviceName, "'serviceName' must not be null"), requirement);
	}

	/**
	 * The defaults of {@link #of} for an anonymous listener ({@code xpc_connection_create(NULL, queue)}): no
	 * launchd job is needed, and clients connect through {@link XpcListener#endpoint()} — in this process, or in
	 * another one the endpoint is sent to over an XPC connection both already have. Peers are verified exactly as
	 * on a Mach service.
	 */
	public static XpcListenerOptions anonymous(String name, XpcRequirement requirement) {
		return defaults(name, null, requirement);
	}

	private static XpcListenerOptions defaults(String name, @Nullable String serviceName, XpcRequirement requirement) {
		return new XpcListenerOptions(name, serviceName, requirement, Enforcement.OBSERVED, false, false,
				RejectionExplainer.factsSummary(), NativeLibraries.fromSystemProperties(),
				DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION, Map.of(), Set.of(), DEFAULT_MAX_CONNECTIONS,
				DEFAULT_MAX_CONNECTIONS_PER_UID, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_FDS_PER_MESSAGE);
	}

	/** Whether this is an anonymous listener (no Mach service name). */
	public boolean isAnonymous() {
		return this.serviceName == null;
	}

	/** A copy with another enforcement. */
	public XpcListenerOptions withEnforcement(Enforcement enforcement) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, enforcement, this.allowPrivateApi,
				this.allowInsecurePid, this.explainer, this.libraries, this.maxInFlightPerConnection,
				this.methodRequirements, this.auditedMethods, this.maxConnections,
				this.maxConnectionsPerUid, this.idleTimeout, this.maxFdsPerMessage);
	}

	/** A copy with another explainer. */
	public XpcListenerOptions withExplainer(RejectionExplainer explainer) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, this.enforcement,
				this.allowPrivateApi, this.allowInsecurePid, explainer, this.libraries, this.maxInFlightPerConnection,
				this.methodRequirements, this.auditedMethods, this.maxConnections,
				this.maxConnectionsPerUid, this.idleTimeout, this.maxFdsPerMessage);
	}

	/** A copy loading the native libraries from elsewhere. */
	public XpcListenerOptions withLibraries(NativeLibraries libraries) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, this.enforcement,
				this.allowPrivateApi, this.allowInsecurePid, this.explainer, libraries, this.maxInFlightPerConnection,
				this.methodRequirements, this.auditedMethods, this.maxConnections,
				this.maxConnectionsPerUid, this.idleTimeout, this.maxFdsPerMessage);
	}

	/**
	 * A copy with the macOS 10.x fallback flags: the private audit-token route and the PID route. Both only take
	 * effect below macOS 11, with a code-signing requirement and {@code enforcement: observed}.
	 */
	public XpcListenerOptions withFallbacks(boolean allowPrivateApi, boolean allowInsecurePid) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, this.enforcement, allowPrivateApi,
				allowInsecurePid, this.explainer, this.libraries, this.maxInFlightPerConnection,
				this.methodRequirements, this.auditedMethods, this.maxConnections,
				this.maxConnectionsPerUid, this.idleTimeout, this.maxFdsPerMessage);
	}

	/**
	 * A copy with requirements of single methods, e.g. {@code Map.of("com.example.helper.Install",
	 * XpcRequirement.codeSigning("anchor apple generic and identifier \"com.example.admin\""))}.
	 */
	public XpcListenerOptions withMethodRequirements(Map<String, ? extends XpcRequirement> methodRequirements) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, this.enforcement,
				this.allowPrivateApi, this.allowInsecurePid, this.explainer, this.libraries,
				this.maxInFlightPerConnection, Map.copyOf(methodRequirements), this.auditedMethods,
				this.maxConnections, this.maxConnectionsPerUid, this.idleTimeout, this.maxFdsPerMessage);
	}

	/** A copy auditing, not enforcing, the requirements of these methods (each must have one). */
	public XpcListenerOptions withAuditedMethods(Set<String> auditedMethods) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, this.enforcement,
				this.allowPrivateApi, this.allowInsecurePid, this.explainer, this.libraries,
				this.maxInFlightPerConnection, this.methodRequirements, auditedMethods, this.maxConnections,
				this.maxConnectionsPerUid, this.idleTimeout, this.maxFdsPerMessage);
	}

	/** A copy with another per-connection limit of calls in flight. */
	public XpcListenerOptions withMaxInFlightPerConnection(int maxInFlightPerConnection) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, this.enforcement,
				this.allowPrivateApi, this.allowInsecurePid, this.explainer, this.libraries, maxInFlightPerConnection,
				this.methodRequirements, this.auditedMethods, this.maxConnections,
				this.maxConnectionsPerUid, this.idleTimeout, this.maxFdsPerMessage);
	}

	/** A copy with another limit of peer connections open at once. */
	public XpcListenerOptions withMaxConnections(int maxConnections) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, this.enforcement,
				this.allowPrivateApi, this.allowInsecurePid, this.explainer, this.libraries,
				this.maxInFlightPerConnection, this.methodRequirements, this.auditedMethods, maxConnections,
				this.maxConnectionsPerUid, this.idleTimeout, this.maxFdsPerMessage);
	}

	/** A copy with another idle timeout ({@link Duration#ZERO}: none). */
	public XpcListenerOptions withIdleTimeout(Duration idleTimeout) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, this.enforcement,
				this.allowPrivateApi, this.allowInsecurePid, this.explainer, this.libraries,
				this.maxInFlightPerConnection, this.methodRequirements, this.auditedMethods, this.maxConnections,
				this.maxConnectionsPerUid, idleTimeout, this.maxFdsPerMessage);
	}

	/** A copy with another limit of peer connections one uid may have open at once. */
	public XpcListenerOptions withMaxConnectionsPerUid(int maxConnectionsPerUid) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, this.enforcement,
				this.allowPrivateApi, this.allowInsecurePid, this.explainer, this.libraries,
				this.maxInFlightPerConnection, this.methodRequirements, this.auditedMethods, this.maxConnections,
				maxConnectionsPerUid, this.idleTimeout, this.maxFdsPerMessage);
	}

	/** A copy with another limit of file descriptors per message. */
	public XpcListenerOptions withMaxFdsPerMessage(int maxFdsPerMessage) {
		return new XpcListenerOptions(this.name, this.serviceName, this.requirement, this.enforcement,
				this.allowPrivateApi, this.allowInsecurePid, this.explainer, this.libraries,
				this.maxInFlightPerConnection, this.methodRequirements, this.auditedMethods, this.maxConnections,
				this.maxConnectionsPerUid, this.idleTimeout, maxFdsPerMessage);
	}

}
