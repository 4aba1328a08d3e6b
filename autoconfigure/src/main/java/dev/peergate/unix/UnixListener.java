package dev.peergate.unix;

import java.time.Duration;
import java.util.Objects;

import dev.peergate.core.AbstractPeerListener;
import dev.peergate.core.Gate;
import dev.peergate.core.ListenerLifecycle;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.TransportEvents;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.StandardErrors;
import dev.peergate.unix.jna.LinuxNative;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;
import dev.peergate.unix.peer.NettyPeerInspector;
import dev.peergate.unix.peer.PeerInspector;
import io.netty.channel.epoll.Epoll;

/**
 * A varlink listener on a Unix-domain socket: Netty epoll on Linux (kqueue on macOS, chosen at runtime),
 * NUL-delimited JSON messages, one {@link Gate#decide} per connection before any message is read.
 * <p>
 * At accept the peer's socket credentials are captured on the I/O thread. When the rest needs nothing that may
 * block — the requirement {@linkplain PeerRequirement#evaluatesInMemory() evaluates in memory}, names and
 * executable digests are cached, what is left are reads of {@code /proc} — the gate decides right there; otherwise
 * on a verification thread, so a slow or paused verification never holds up other clients. Verdicts are reported
 * (metrics, events, endpoint) on a verification thread, and a peer gets no reply before its verdict is reported.
 * A refused peer gets {@value StandardErrors#PERMISSION_DENIED} as the reply to its first call and is disconnected. An accepted peer's
 * calls go to the {@link Dispatcher}; pipelined calls are answered in call order, as varlink requires.
 * <p>
 * Every breach of a limit or of the protocol ends in an error reply or a close, and a {@link TransportEvents}
 * call; it never affects other connections.
 *
 * <pre>{@code
 * UnixListener listener = new UnixListener("helper", UnixListenerOptions.defaults(Path.of("/run/helper/helper.sock")),
 *     new Gate("helper", UnixListener.detectMechanism(), requirement, sink), dispatcher, events);
 * listener.start();
 * ...
 * listener.stop(Duration.ofSeconds(10));
 * }</pre>
 * <p>
 * The pieces: {@link UnixSocketEndpoint} (the socket and threads), {@link ConnectionVerification} (who the peer
 * is, the verdict and its report), {@link VarlinkConnection} (calls and limits), {@link ReplyQueue} (replies in
 * call order, backpressure); the lifecycle is {@link ListenerLifecycle}, shared with every transport.
 */
public final class UnixListener extends AbstractPeerListener {

	private static final System.Logger logger = System.getLogger(UnixListener.class.getName());

	private final ConnectionServices services;

	private final UnixSocketEndpoint endpoint;

	/** A listener identifying peers with the platform's best inspector. */
	public UnixListener(String name, UnixListenerOptions options, Gate gate, Dispatcher dispatcher,
			TransportEvents events) {
		this(name, options, gate, dispatcher, events, defaultInspector());
	}

	/** A listener with an explicit peer inspector. */
	public UnixListener(String name, UnixListenerOptions options, Gate gate, Dispatcher dispatcher,
			TransportEvents events, PeerInspector inspector) {
		super(name, gate);
		Objects.requireNonNull(options, "'options' must not be null");
		Objects.requireNonNull(dispatcher, "'dispatcher' must not be null");
		Objects.requireNonNull(events, "'events' must not be null");
		Objects.requireNonNull(inspector, "'inspector' must not be null");
		this.services = new ConnectionServices(name, options, gate, dispatcher, events,
				inspector.forRequirement(gate.requirement()), lifecycle());
		this.endpoint = new UnixSocketEndpoint(this.services);
		if (gate.mechanism() != inspector.mechanism()) {
			logger.log(System.Logger.Level.WARNING, "Listener '" + name + "': gate reports mechanism "
					+ gate.mechanism().tag() + " but peers are identified with " + inspector.mechanism().tag());
		}
	}

	/** The mechanism peers are identified with on this machine: {@code pidfd}, or {@code peercred} without it. */
	public static Mechanism detectMechanism() {
		return LinuxNative.isSupported() ? LinuxPeerInspector.detectMechanism() : Mechanism.PEERCRED;
	}

	private static PeerInspector defaultInspector() {
		return (LinuxNative.isSupported() && Epoll.isAvailable()) ? new LinuxPeerInspector(new ExecutableDigests(256))
				: new NettyPeerInspector();
	}

	@Override
	public String transport() {
		return "unix";
	}

	@Override
	public String address() {
		return this.services.options.path().toString();
	}

	/** The options this listener was created with. */
	public UnixListenerOptions options() {
		return this.services.options;
	}

	/** Whether the socket was passed by systemd rather than bound by us. */
	public boolean isSocketActivated() {
		return this.endpoint.activated();
	}

	@Override
	public void start() throws Exception {
		lifecycle().start(this.endpoint);
		// DEBUG: the application's own start line (PeergateListeners) says the same at INFO
		logger.log(System.Logger.Level.DEBUG, "Peergate listener '" + name() + "' on " + address()
				+ (isSocketActivated() ? " (socket-activated)" : "") + ", peers identified by "
				+ this.services.inspector.mechanism().tag() + ", requirement: " + gate().requirement().describe());
	}

}
