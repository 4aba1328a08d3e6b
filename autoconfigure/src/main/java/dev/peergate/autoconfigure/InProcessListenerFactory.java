package dev.peergate.autoconfigure;

import dev.peergate.core.PeerListener;
import dev.peergate.inprocess.InProcessListener;

/**
 * Builds listeners reachable only from this JVM.
 *
 * Declare a bean of this type (or a subclass) to replace the auto-configured one.
 *
 * <pre>{@code
 * PeerListener listener = new InProcessListenerFactory().create(definition, services);
 * }</pre>
 */
public class InProcessListenerFactory implements PeerListenerFactory<ListenerDefinition.InProcess> {

	@Override
	public Class<ListenerDefinition.InProcess> definitionType() {
		return ListenerDefinition.InProcess.class;
	}

	@Override
	public PeerListener create(ListenerDefinition.InProcess definition, ListenerServices services) {
		return new InProcessListener(definition.name(),
				services.gate(definition.name(), definition.mechanism(), definition.requirement(), definition.audit()),
				services.dispatcher());
	}

}
