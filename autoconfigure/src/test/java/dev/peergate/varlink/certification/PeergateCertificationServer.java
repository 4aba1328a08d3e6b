package dev.peergate.varlink.certification;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.peergate.core.Gate;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.VerdictSink;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.unix.UnixListener;
import dev.peergate.unix.UnixListenerOptions;
import dev.peergate.varlink.VarlinkServiceInterface;

/**
 * Peergate's full server stack (Unix listener, gate, dispatcher) serving the {@link CertificationHandler} and
 * {@code org.varlink.service}, as an application would assemble it.
 */
public final class PeergateCertificationServer implements AutoCloseable {

	private final CertificationHandler handler = new CertificationHandler();

	private final Dispatcher dispatcher;

	private final UnixListener listener;

	private final Path socket;

	private PeergateCertificationServer(Path socket, PeerRequirement requirement) throws Exception {
		this.socket = socket;
		AtomicReference<MethodRegistry> registry = new AtomicReference<>();
		VarlinkServiceInterface service = new VarlinkServiceInterface("Peergate", "Certification", "1",
				"https://peergate.dev", registry::get);
		registry.set(MethodRegistry.of(List.of(this.handler)).with(List.of(service)));
		this.dispatcher = new Dispatcher(registry.get(), HandlerExecutor.platform(8, 64), Duration.ofSeconds(30),
				CallObserver.none());
		Gate gate = new Gate("certification", UnixListener.detectMechanism(), requirement, VerdictSink.none());
		this.listener = new UnixListener("certification",
				UnixListenerOptions.defaults(socket).withSocketActivation(false), gate, this.dispatcher,
				TransportEvents.none());
		this.listener.start();
	}

	/** Starts serving on {@code socket}, admitting peers that satisfy {@code requirement}. */
	public static PeergateCertificationServer start(Path socket, PeerRequirement requirement) throws Exception {
		return new PeergateCertificationServer(socket, requirement);
	}

	/** The socket. */
	public Path socket() {
		return this.socket;
	}

	/** The certification handler, to read what its clients achieved. */
	public CertificationHandler handler() {
		return this.handler;
	}

	@Override
	public void close() {
		this.listener.stop(Duration.ofSeconds(2));
		this.dispatcher.close();
	}

}
