package dev.peergate.autoconfigure;

import java.time.Clock;

import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.Gate;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.VerdictSink;
import dev.peergate.handler.Dispatcher;

/**
 * What every listener shares, handed to each {@link PeerListenerFactory}: the dispatcher of the application's
 * handlers, the verdict fan-out and the transport events; and the one place where listeners' gates are built.
 *
 * <pre>{@code
 * Gate gate = services.gate(definition.name(), definition.mechanism(), definition.requirement());
 * return new UnixListener(definition.name(), definition.options(), gate, services.dispatcher(), services.events());
 * }</pre>
 *
 * @param dispatcher calls to handlers
 * @param sink verdicts to metrics, events, the endpoint and the log
 * @param events limits and protocol errors to metrics
 * @param callSink call verdicts (a transport that checks method requirements itself, like XPC, reports them here)
 */
public record ListenerServices(Dispatcher dispatcher, VerdictSink sink, TransportEvents events,
		CallVerdictSink callSink) {

	/** The gate of a listener, reporting to the shared verdict fan-out. */
	public Gate gate(String listener, Mechanism mechanism, PeerRequirement requirement) {
		return gate(listener, mechanism, requirement, false);
	}

	/** The gate of a listener; with {@code audit}, refusals of its requirement are recorded, not enforced. */
	public Gate gate(String listener, Mechanism mechanism, PeerRequirement requirement, boolean audit) {
		return new Gate(listener, mechanism, requirement, this.sink, Clock.systemUTC(), audit);
	}

}
