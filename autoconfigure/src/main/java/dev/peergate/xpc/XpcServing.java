package dev.peergate.xpc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.Gate;
import dev.peergate.core.ListenerLifecycle;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.UidCounts;
import dev.peergate.handler.Dispatcher;

/**
 * What every peer connection of one XPC listener shares: its setup, requirement binding, gate, dispatcher, events,
 * lifecycle, the open sessions and the {@code max-connections} slots they hold, in all and per uid (a slot is
 * taken before a session starts and freed first thing when its connection ends).
 */
record XpcServing(XpcListenerSetup setup, XpcRequirementBinding binding, Gate gate, Dispatcher dispatcher,
		TransportEvents events, CallVerdictSink callSink, ListenerLifecycle lifecycle, Set<XpcPeerSession> sessions,
		AtomicInteger slots, UidCounts slotsPerUid) {

	XpcServing(XpcListenerSetup setup, Gate gate, Dispatcher dispatcher, TransportEvents events,
			CallVerdictSink callSink, ListenerLifecycle lifecycle) {
		this(setup, new XpcRequirementBinding(setup), gate, dispatcher, events, callSink, lifecycle,
				ConcurrentHashMap.newKeySet(), new AtomicInteger(),
				new UidCounts(setup.options().maxConnectionsPerUid()));
	}

	String name() {
		return this.setup.options().name();
	}

	/** Wakes a stop waiting for the sessions to end. */
	void sessionEnded(XpcPeerSession session) {
		this.sessions.remove(session);
		synchronized (this.sessions) {
			this.sessions.notifyAll();
		}
	}

}
