package dev.peergate.autoconfigure;

import java.util.List;

import dev.peergate.core.PeerListener;
import dev.peergate.unix.UnixListener;
import dev.peergate.unix.UnixListenerOptions;

/**
 * Builds varlink listeners on Unix sockets; applies every {@link UnixListenerCustomizer} to the options first.
 *
 * Declare a bean of this type (or a subclass) to replace the auto-configured one.
 *
 * <pre>{@code
 * PeerListener listener = new UnixListenerFactory(List.of()).create(definition, services);
 * }</pre>
 */
public class UnixListenerFactory implements PeerListenerFactory<ListenerDefinition.Unix> {

	private final List<UnixListenerCustomizer> customizers;

	/** A factory applying the customizers in the given order. */
	public UnixListenerFactory(List<UnixListenerCustomizer> customizers) {
		this.customizers = List.copyOf(customizers);
	}

	@Override
	public Class<ListenerDefinition.Unix> definitionType() {
		return ListenerDefinition.Unix.class;
	}

	@Override
	public PeerListener create(ListenerDefinition.Unix definition, ListenerServices services) {
		UnixListenerOptions options = definition.options();
		for (UnixListenerCustomizer customizer : this.customizers) {
			options = customizer.customize(definition.name(), options);
		}
		return new UnixListener(definition.name(), options,
				services.gate(definition.name(), definition.mechanism(), definition.requirement(), definition.audit()),
				services.dispatcher(), services.events());
	}

}
