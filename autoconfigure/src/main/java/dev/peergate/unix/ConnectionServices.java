package dev.peergate.unix;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import dev.peergate.core.Gate;
import dev.peergate.core.ListenerLifecycle;
import dev.peergate.core.LogLimiter;
import dev.peergate.core.TransportEvents;
import dev.peergate.handler.Dispatcher;
import dev.peergate.unix.peer.PeerInspector;
import dev.peergate.varlink.VarlinkCodec;
import io.netty.util.concurrent.EventExecutor;

/**
 * What every connection of one Unix listener shares: its settings, gate, dispatcher, counters and threads. Built
 * once per listener by {@link UnixListener}; the threads exist while the endpoint is open.
 */
final class ConnectionServices {

	final String listener;

	final UnixListenerOptions options;

	final Gate gate;

	final Dispatcher dispatcher;

	final TransportEvents events;

	final PeerInspector inspector;

	final VarlinkCodec codec;

	final Admission admission;

	final ListenerLifecycle lifecycle;

	final LogLimiter encodeFailures = new LogLimiter(Duration.ofMinutes(1));

	final Set<VarlinkConnection> connections = ConcurrentHashMap.newKeySet();

	/** Whether the requirement may be evaluated on the I/O thread. */
	final boolean verifiesOnLoop;

	/** Verifications that may block, and verdict reports. */
	volatile ExecutorService verifier;

	/** Decodes large messages away from the I/O thread. */
	volatile ExecutorService decoder;

	/**
	 * File descriptors a message may carry on this listener's connections; 0 when they pass none (no method
	 * served here takes or returns one). Set when the endpoint opens.
	 */
	volatile int maxFdsPerMessage;

	ConnectionServices(String listener, UnixListenerOptions options, Gate gate, Dispatcher dispatcher,
			TransportEvents events, PeerInspector inspector, ListenerLifecycle lifecycle) {
		this.listener = listener;
		this.options = options;
		this.gate = gate;
		this.dispatcher = dispatcher;
		this.events = events;
		this.inspector = inspector;
		this.lifecycle = lifecycle;
		this.codec = new VarlinkCodec(options.maxDepth());
		this.admission = new Admission(options.maxConnections(), options.maxConnectionsPerUid(),
				options.maxVerifying());
		this.verifiesOnLoop = gate.requirement().evaluatesInMemory();
		this.verifier = UnixSocketEndpoint.NO_THREADS;
		this.decoder = UnixSocketEndpoint.NO_THREADS;
	}

	/** Runs the task on the event loop; {@code false} if the loop is gone (the connection is closed). */
	static boolean runOnLoop(EventExecutor executor, Runnable task) {
		if (executor.inEventLoop()) {
			task.run();
			return true;
		}
		try {
			executor.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

}
