package dev.peergate.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of Peergate under {@code peergate}. Listeners are a map by name:
 *
 * <pre>{@code
 * peergate:
 *   listeners:
 *     helper:
 *       unix:
 *         path: /run/example/helper.sock
 *       requirement:
 *         linux: { uid: { $in: [0, 1000] } }
 * }</pre>
 */
@ConfigurationProperties("peergate")
public class PeergateProperties {

	/**
	 * Whether Peergate starts its listeners.
	 */
	private boolean enabled = true;

	/**
	 * Listeners by name; the name is the metric tag and the endpoint key.
	 */
	private Map<String, Listener> listeners = new LinkedHashMap<>();

	private final Service service = new Service();

	private final Handlers handlers = new Handlers();

	private final Shutdown shutdown = new Shutdown();

	private final Events events = new Events();

	private final Observation observation = new Observation();

	private final Endpoint endpoint = new Endpoint();

	private final Launchd launchd = new Launchd();

	private final Logging logging = new Logging();

	private final Systemd systemd = new Systemd();

	/**
	 * Shut down and exit 0 once no connection has been open for this long; only for an application its service
	 * manager starts on demand (systemd socket activation, launchd), which starts it again at the next connection.
	 */
	private @Nullable Duration exitOnIdle;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, Listener> getListeners() {
		return this.listeners;
	}

	public void setListeners(Map<String, Listener> listeners) {
		this.listeners = listeners;
	}

	public Service getService() {
		return this.service;
	}

	public Handlers getHandlers() {
		return this.handlers;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Events getEvents() {
		return this.events;
	}

	public Observation getObservation() {
		return this.observation;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public Launchd getLaunchd() {
		return this.launchd;
	}

	public Logging getLogging() {
		return this.logging;
	}

	public Systemd getSystemd() {
		return this.systemd;
	}

	public @Nullable Duration getExitOnIdle() {
		return this.exitOnIdle;
	}

	public void setExitOnIdle(@Nullable Duration exitOnIdle) {
		this.exitOnIdle = exitOnIdle;
	}

	/** Identity of the service as reported by {@code org.varlink.service.GetInfo}. */
	public static class Service {

		/**
		 * Vendor reported to clients; defaults to the group of the build info (META-INF/build-info.properties), else
		 * the product.
		 */
		private @Nullable String vendor;

		/**
		 * Product reported to clients; defaults to spring.application.name.
		 */
		private @Nullable String product;

		/**
		 * Version reported to clients; defaults to the version of the build info, else "unknown".
		 */
		private @Nullable String version;

		/**
		 * URL reported to clients; empty unless set.
		 */
		private String url = "";

		public @Nullable String getVendor() {
			return this.vendor;
		}

		public void setVendor(@Nullable String vendor) {
			this.vendor = vendor;
		}

		public @Nullable String getProduct() {
			return this.product;
		}

		public void setProduct(@Nullable String product) {
			this.product = product;
		}

		public @Nullable String getVersion() {
			return this.version;
		}

		public void setVersion(@Nullable String version) {
			this.version = version;
		}

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

	}

	/** The executor handlers run on. */
	public static class Handlers {

		/**
		 * Maximum number of handler calls running at once, across listeners.
		 */
		private int maxConcurrent = 64;

		/**
		 * Calls allowed to wait for a free handler slot before new calls are refused as overloaded.
		 */
		private int queueCapacity = 256;

		/**
		 * Longest wait for each reply of a handler, and the whole time a oneway call may run; 0 waits forever.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Whole time a streaming call may run, however often it replies; 0 lets streams run for as long as their
		 * peer stays.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxStreamDuration = Duration.ofMinutes(30);

		/**
		 * Blocking calls of one user (uid) admitted at once, running or waiting, so that one user cannot hold every
		 * handler thread; more are refused as overloaded.
		 */
		private int maxConcurrentPerUid = 16;

		/**
		 * Whether handlers run on virtual threads when the JVM has them (Java 21+). Off by default, as Spring Boot's
		 * spring.threads.virtual.enabled: the pool of platform threads, which hands each call to the worker idle
		 * last, served short blocking handlers 1.2-1.3 times as fast on the same JVM (docs/performance.md).
		 */
		private boolean virtualThreads;

		public int getMaxConcurrent() {
			return this.maxConcurrent;
		}

		public void setMaxConcurrent(int maxConcurrent) {
			this.maxConcurrent = maxConcurrent;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getMaxStreamDuration() {
			return this.maxStreamDuration;
		}

		public void setMaxStreamDuration(Duration maxStreamDuration) {
			this.maxStreamDuration = maxStreamDuration;
		}

		public int getMaxConcurrentPerUid() {
			return this.maxConcurrentPerUid;
		}

		public void setMaxConcurrentPerUid(int maxConcurrentPerUid) {
			this.maxConcurrentPerUid = maxConcurrentPerUid;
		}

		public boolean isVirtualThreads() {
			return this.virtualThreads;
		}

		public void setVirtualThreads(boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
		}

	}

	/** systemd's service manager. */
	public static class Systemd {

		private final Notify notify = new Notify();

		public Notify getNotify() {
			return this.notify;
		}

	}

	/** Readiness, status and watchdog notifications to systemd ({@code Type=notify}). */
	public static class Notify {

		/**
		 * Whether to notify systemd when NOTIFY_SOCKET is set: READY=1 once the listeners serve, STATUS=,
		 * STOPPING=1, and WATCHDOG=1 while listeners and handlers are healthy.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** Graceful shutdown. */
	public static class Shutdown {

		/**
		 * Longest wait for calls in flight when the application stops.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration drainTimeout = Duration.ofSeconds(10);

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

	/** Peergate's observations (peergate.request, peergate.peer.verification) as meters. */
	public static class Observation {

		/**
		 * Whether each observation also runs a '<name>.active' long task timer (calls and verifications in
		 * progress); off by default, it costs about half of a call's observation.
		 */
		private boolean longTaskTimer;

		public boolean isLongTaskTimer() {
			return this.longTaskTimer;
		}

		public void setLongTaskTimer(boolean longTaskTimer) {
			this.longTaskTimer = longTaskTimer;
		}

	}

	/** Spring application events. */
	public static class Events {

		/**
		 * Whether to publish a PeerAcceptedEvent for every accepted connection.
		 */
		private boolean publishAccepted = true;

		/**
		 * Whether to publish a CallAllowedEvent for every call a method requirement allowed (CallDeniedEvent is
		 * always published).
		 */
		private boolean publishAllowedCalls;

		public boolean isPublishAllowedCalls() {
			return this.publishAllowedCalls;
		}

		public void setPublishAllowedCalls(boolean publishAllowedCalls) {
			this.publishAllowedCalls = publishAllowedCalls;
		}

		public boolean isPublishAccepted() {
			return this.publishAccepted;
		}

		public void setPublishAccepted(boolean publishAccepted) {
			this.publishAccepted = publishAccepted;
		}

	}

	/** The actuator endpoint. */
	public static class Endpoint {

		/**
		 * Number of recent rejections kept per listener.
		 */
		private int recentRejections = 50;

		public int getRecentRejections() {
			return this.recentRejections;
		}

		public void setRecentRejections(int recentRejections) {
			this.recentRejections = recentRejections;
		}

	}

	/** Peergate's own log lines about peers (refusals, handler failures). */
	public static class Logging {

		/**
		 * Shortest time between two log lines of one kind (a refusal per listener, uid and reason; a handler
		 * failure per method and exception class); the lines held back are counted in the next one. 0 logs every
		 * line.
		 */
		private Duration interval = Duration.ofMinutes(1);

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * The launchd job (macOS) generated from the configuration: its MachServices are the service names of the
	 * listeners that are XPC on macOS.
	 */
	public static class Launchd {

		/**
		 * Label of the launchd job; defaults to the first XPC listener's service name.
		 */
		private @Nullable String label;

		/**
		 * Whether the job is a per-user LaunchAgent or a system LaunchDaemon.
		 */
		private LaunchdKind kind = LaunchdKind.AGENT;

		/**
		 * User a LaunchDaemon runs as (UserName); unset runs it as root.
		 */
		private @Nullable String userName;

		/**
		 * Command launchd runs, program first (absolute); empty uses the command of the running process.
		 */
		private List<String> programArguments = new ArrayList<>();

		/**
		 * Directory the job starts in; defaults to the current directory when the command is the running one.
		 */
		private @Nullable String workingDirectory;

		public @Nullable String getLabel() {
			return this.label;
		}

		public void setLabel(@Nullable String label) {
			this.label = label;
		}

		public LaunchdKind getKind() {
			return this.kind;
		}

		public void setKind(LaunchdKind kind) {
			this.kind = kind;
		}

		public @Nullable String getUserName() {
			return this.userName;
		}

		public void setUserName(@Nullable String userName) {
			this.userName = userName;
		}

		public List<String> getProgramArguments() {
			return this.programArguments;
		}

		public void setProgramArguments(List<String> programArguments) {
			this.programArguments = programArguments;
		}

		public @Nullable String getWorkingDirectory() {
			return this.workingDirectory;
		}

		public void setWorkingDirectory(@Nullable String workingDirectory) {
			this.workingDirectory = workingDirectory;
		}

	}

	/** Kinds of launchd job. */
	public enum LaunchdKind {

		/** A per-user LaunchAgent (~/Library/LaunchAgents), running in the user's session. */
		AGENT,

		/** A system LaunchDaemon (/Library/LaunchDaemons), running as root or user-name. */
		DAEMON

	}

	/** One listener. */
	public static class Listener {

		/**
		 * Transport; auto picks xpc on macOS when xpc.service-name is set, else unix when unix.path is set.
		 */
		private Transport transport = Transport.AUTO;

		/**
		 * Who decides: observed (Peergate, sees every rejection), os (libxpc on macOS, rejections invisible) or audit
		 * (unix and in-process: refusals are recorded as would-reject and the peer is served).
		 */
		private Enforcement enforcement = Enforcement.OBSERVED;

		private final Xpc xpc = new Xpc();

		private final Unix unix = new Unix();

		private final Limits limits = new Limits();

		private final Requirement requirement = new Requirement();

		/**
		 * Requirements of single methods, by fully qualified method name (in brackets, e.g.
		 * "[com.example.helper.ClearCache]"): a call of the method is allowed only when the peer satisfies both the
		 * listener's requirement and the method's; otherwise it is answered PermissionDenied and the connection
		 * stays open.
		 */
		private Map<String, Method> methods = new LinkedHashMap<>();

		public Map<String, Method> getMethods() {
			return this.methods;
		}

		public void setMethods(Map<String, Method> methods) {
			this.methods = methods;
		}

		public Transport getTransport() {
			return this.transport;
		}

		public void setTransport(Transport transport) {
			this.transport = transport;
		}

		public Enforcement getEnforcement() {
			return this.enforcement;
		}

		public void setEnforcement(Enforcement enforcement) {
			this.enforcement = enforcement;
		}

		public Xpc getXpc() {
			return this.xpc;
		}

		public Unix getUnix() {
			return this.unix;
		}

		public Limits getLimits() {
			return this.limits;
		}

		public Requirement getRequirement() {
			return this.requirement;
		}

	}

	/** Transports. */
	public enum Transport {

		/** xpc on macOS with a service name, else unix with a path. */
		AUTO,

		/** varlink over a Unix-domain socket (Linux; also works on macOS). */
		UNIX,

		/** XPC Mach service (macOS). */
		XPC,

		/** Reachable only inside this JVM; for tests and embedding. */
		IN_PROCESS

	}

	/** Who enforces the requirement on macOS. */
	public enum Enforcement {

		/** Peergate checks every message with Security.framework and sees every rejection. */
		OBSERVED,

		/** libxpc enforces the requirement; rejections are invisible to the process. */
		OS,

		/**
		 * Peergate checks as with observed, but a peer or call the requirement refuses is served and recorded as
		 * would-reject (metrics, events, audit, endpoint): to roll out a tighter requirement safely. Unix and
		 * in-process listeners and methods.
		 */
		AUDIT

	}

	/** XPC listener settings. */
	public static class Xpc {

		/**
		 * Mach service name declared in this process's launchd plist.
		 */
		private @Nullable String serviceName;

		public @Nullable String getServiceName() {
			return this.serviceName;
		}

		public void setServiceName(@Nullable String serviceName) {
			this.serviceName = serviceName;
		}

	}

	/** Unix-socket listener settings. */
	public static class Unix {

		/**
		 * Socket path; ignored when systemd socket activation hands over a socket for this listener.
		 */
		private @Nullable String path;

		/**
		 * Permission bits of the socket file, octal.
		 */
		private String mode = "0600";

		/**
		 * Event-loop threads doing this listener's socket I/O (and the verifications that need nothing that
		 * blocks). One suits most local services; more help with many busy peers on a machine with spare cores.
		 */
		private int ioThreads = 1;

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public String getMode() {
			return this.mode;
		}

		public void setMode(String mode) {
			this.mode = mode;
		}

		public int getIoThreads() {
			return this.ioThreads;
		}

		public void setIoThreads(int ioThreads) {
			this.ioThreads = ioThreads;
		}

	}

	/** Limits protecting the listener from misbehaving peers. */
	public static class Limits {

		/**
		 * Largest message accepted.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(1);

		/**
		 * Deepest JSON nesting accepted in a message.
		 */
		private int maxNestingDepth = 64;

		/**
		 * Most connections being verified or accepted at once; a refused connection gives its slot back as soon as
		 * its verdict is known.
		 */
		private int maxConnections = 256;

		/**
		 * Most connections of one user (uid) open at once, refused ones included, so that one user cannot take the
		 * connections of all others.
		 */
		private int maxConnectionsPerUid = 64;

		/**
		 * Most connections awaiting their verdict at once.
		 */
		private int maxVerifying = 128;

		/**
		 * Most calls in flight on one connection.
		 */
		private int maxInFlight = 16;

		/**
		 * Close connections idle for this long; 0 never closes.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration idleTimeout = Duration.ofMinutes(5);

		/**
		 * Time a message has to arrive completely, from its first byte; 0 never closes. Slow bytes do not count as
		 * activity for the idle timeout.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration frameTimeout = Duration.ofSeconds(5);

		/**
		 * Reply bytes held for a peer that does not read them before its connection is closed. Reading from the
		 * connection and its streams pause long before, at 64KB.
		 */
		private DataSize maxReplyBuffer = DataSize.ofMegabytes(8);

		/**
		 * File descriptors one message may carry (0 to 253; SCM_RIGHTS on Unix sockets, xpc_fd values over XPC);
		 * a message with more is refused and its descriptors closed. 0 turns descriptor passing off, which a
		 * listener serving a method that takes or returns a file descriptor refuses at startup.
		 */
		private int maxFdsPerMessage = 8;

		public int getMaxFdsPerMessage() {
			return this.maxFdsPerMessage;
		}

		public void setMaxFdsPerMessage(int maxFdsPerMessage) {
			this.maxFdsPerMessage = maxFdsPerMessage;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public int getMaxNestingDepth() {
			return this.maxNestingDepth;
		}

		public void setMaxNestingDepth(int maxNestingDepth) {
			this.maxNestingDepth = maxNestingDepth;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getMaxConnectionsPerUid() {
			return this.maxConnectionsPerUid;
		}

		public void setMaxConnectionsPerUid(int maxConnectionsPerUid) {
			this.maxConnectionsPerUid = maxConnectionsPerUid;
		}

		public int getMaxVerifying() {
			return this.maxVerifying;
		}

		public void setMaxVerifying(int maxVerifying) {
			this.maxVerifying = maxVerifying;
		}

		public Duration getFrameTimeout() {
			return this.frameTimeout;
		}

		public void setFrameTimeout(Duration frameTimeout) {
			this.frameTimeout = frameTimeout;
		}

		public DataSize getMaxReplyBuffer() {
			return this.maxReplyBuffer;
		}

		public void setMaxReplyBuffer(DataSize maxReplyBuffer) {
			this.maxReplyBuffer = maxReplyBuffer;
		}

		public int getMaxInFlight() {
			return this.maxInFlight;
		}

		public void setMaxInFlight(int maxInFlight) {
			this.maxInFlight = maxInFlight;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

	}

	/** Settings of one method of a listener. */
	public static class Method {

		/** What a peer must satisfy to call the method, besides the listener's requirement. */
		private final Requirement requirement = new Requirement();

		/**
		 * observed (a refused call gets PermissionDenied) or audit (a refused call runs and is recorded as
		 * would-reject).
		 */
		private Enforcement enforcement = Enforcement.OBSERVED;

		/**
		 * polkit action the caller must be authorized for (Linux, unix listeners, blocking handlers), e.g.
		 * com.example.helper.install; asked on the system bus for every call.
		 */
		private @Nullable String polkitAction;

		/**
		 * Authorization Services right the caller's authorization must hold (macOS, xpc listeners, blocking
		 * handlers), e.g. com.example.helper.install; the call carries the external form of its AuthorizationRef.
		 */
		private @Nullable String authorizationRight;

		public Requirement getRequirement() {
			return this.requirement;
		}

		public @Nullable String getPolkitAction() {
			return this.polkitAction;
		}

		public void setPolkitAction(@Nullable String polkitAction) {
			this.polkitAction = polkitAction;
		}

		public @Nullable String getAuthorizationRight() {
			return this.authorizationRight;
		}

		public void setAuthorizationRight(@Nullable String authorizationRight) {
			this.authorizationRight = authorizationRight;
		}

		/** Whether an authority (polkit, Authorization Services) decides about the method. */
		boolean hasAuthority() {
			return this.polkitAction != null || this.authorizationRight != null;
		}

		public Enforcement getEnforcement() {
			return this.enforcement;
		}

		public void setEnforcement(Enforcement enforcement) {
			this.enforcement = enforcement;
		}

	}

	/**
	 * What a peer must satisfy. Fact dictionaries (lightweight, linux) are read from the configuration with their
	 * '$' operator keys intact; write them as YAML maps or as one JSON string.
	 */
	public static class Requirement {

		/**
		 * Apple code-signing requirement, e.g. anchor apple generic and certificate leaf[subject.OU] = "ABCDE12345".
		 */
		private @Nullable String codeSigning;

		/**
		 * Lightweight code requirement (LWCR fact dictionary) for macOS 14.4+, as a map or one JSON object string.
		 */
		@FactDictionary
		private Map<String, Object> lightweight = new LinkedHashMap<>();

		/**
		 * Linux fact dictionary, e.g. uid: { $in: [0, 1000] }, as a map or one JSON object string.
		 */
		@FactDictionary
		private Map<String, Object> linux = new LinkedHashMap<>();

		/**
		 * Entitlement the peer must have (macOS 14.4+ with enforcement os, 26+ with observed), e.g.
		 * com.example.helper.client. Alone, any value passes; with entitlement-value, the value must match.
		 */
		private @Nullable String entitlement;

		/**
		 * Value the entitlement must have: a bool, a string or an integer within int64 (the types libxpc matches),
		 * compared with its type, so true does not match the string "true". Values from properties files and
		 * environment variables are strings; write a bool or an integer in YAML.
		 */
		private @Nullable Object entitlementValue;

		/**
		 * Whether to accept every peer; logs a warning at every start and tags verdicts mechanism=none.
		 */
		private boolean allowAnyPeer;

		/**
		 * Whether to require the peer to run as this process's user.
		 */
		private boolean sameUser;

		/**
		 * Whether to require the peer to be signed by this process's team (macOS).
		 */
		private boolean sameTeam;

		/**
		 * Whether the private xpc_dictionary_get_audit_token may locate the sender on macOS older than 11 (code-signing
		 * requirement, observed enforcement). Ignored on macOS 11 and later.
		 */
		private boolean allowPrivateApi;

		/**
		 * Whether a racy PID-based check may locate the sender on macOS older than 11 when the private API is not
		 * allowed (code-signing requirement, observed enforcement). Ignored on macOS 11 and later.
		 */
		private boolean allowInsecurePid;

		public @Nullable String getCodeSigning() {
			return this.codeSigning;
		}

		public void setCodeSigning(@Nullable String codeSigning) {
			this.codeSigning = codeSigning;
		}

		public Map<String, Object> getLightweight() {
			return this.lightweight;
		}

		public void setLightweight(Map<String, Object> lightweight) {
			this.lightweight = lightweight;
		}

		public Map<String, Object> getLinux() {
			return this.linux;
		}

		public void setLinux(Map<String, Object> linux) {
			this.linux = linux;
		}

		public @Nullable String getEntitlement() {
			return this.entitlement;
		}

		public void setEntitlement(@Nullable String entitlement) {
			this.entitlement = entitlement;
		}

		public @Nullable Object getEntitlementValue() {
			return this.entitlementValue;
		}

		public void setEntitlementValue(@Nullable Object entitlementValue) {
			this.entitlementValue = entitlementValue;
		}

		public boolean isAllowAnyPeer() {
			return this.allowAnyPeer;
		}

		public void setAllowAnyPeer(boolean allowAnyPeer) {
			this.allowAnyPeer = allowAnyPeer;
		}

		public boolean isSameUser() {
			return this.sameUser;
		}

		public void setSameUser(boolean sameUser) {
			this.sameUser = sameUser;
		}

		public boolean isSameTeam() {
			return this.sameTeam;
		}

		public void setSameTeam(boolean sameTeam) {
			this.sameTeam = sameTeam;
		}

		public boolean isAllowPrivateApi() {
			return this.allowPrivateApi;
		}

		public void setAllowPrivateApi(boolean allowPrivateApi) {
			this.allowPrivateApi = allowPrivateApi;
		}

		public boolean isAllowInsecurePid() {
			return this.allowInsecurePid;
		}

		public void setAllowInsecurePid(boolean allowInsecurePid) {
			this.allowInsecurePid = allowInsecurePid;
		}

	}

}
