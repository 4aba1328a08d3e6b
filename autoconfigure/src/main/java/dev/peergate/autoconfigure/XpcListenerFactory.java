package dev.peergate.autoconfigure;

import java.util.List;

import dev.peergate.core.PeerListener;
import dev.peergate.xpc.MechanismUnavailableException;
import dev.peergate.xpc.SameTeamUnavailableException;
import dev.peergate.xpc.XpcListener;
import dev.peergate.xpc.XpcListenerOptions;
import dev.peergate.xpc.XpcListenerSetup;

/**
 * Builds XPC Mach-service listeners; applies every {@link XpcListenerCustomizer} to the options first, then
 * chooses the mechanism for the running macOS. What this macOS cannot do fails the start naming the property.
 *
 * Declare a bean of this type (or a subclass) to replace the auto-configured one.
 *
 * <pre>{@code
 * PeerListener listener = new XpcListenerFactory(List.of()).create(definition, services);
 * }</pre>
 */
public class XpcListenerFactory implements PeerListenerFactory<ListenerDefinition.Xpc> {

	private final List<XpcListenerCustomizer> customizers;

	/** A factory applying the customizers in the given order. */
	public XpcListenerFactory(List<XpcListenerCustomizer> customizers) {
		this.customizers = List.copyOf(customizers);
	}

	@Override
	public Class<ListenerDefinition.Xpc> definitionType() {
		return ListenerDefinition.Xpc.class;
	}

	@Override
	public PeerListener create(ListenerDefinition.Xpc definition, ListenerServices services) {
		XpcListenerOptions options = definition.options();
		for (XpcListenerCustomizer customizer : this.customizers) {
			options = customizer.customize(definition.name(), options);
		}
		String base = "peergate.listeners." + definition.name();
		XpcListenerSetup setup;
		try {
			setup = XpcListenerSetup.prepare(options);
		}
		catch (MechanismUnavailableException ex) {
			throw new ListenerConfigurationException(base + ".enforcement", ex.reason(),
					"Alternatives: " + String.join("; ", ex.alternatives()));
		}
		catch (SameTeamUnavailableException ex) {
			throw new ListenerConfigurationException(base + ".requirement.same-team", ex.reason(), ex.action());
		}
		catch (UnsatisfiedLinkError | IllegalStateException ex) {
			if (ListenerDefinitions.isMac()) {
				throw ex;
			}
			throw new ListenerConfigurationException(base + ".transport",
					"the xpc transport needs macOS (libxpc could not be loaded: " + ex.getMessage() + ")",
					"On Linux set " + base + ".unix.path and remove transport: xpc");
		}
		// audit selects the mechanism as observed does: Peergate checks each message, or the start fails above
		return new XpcListener(setup,
				services.gate(definition.name(), setup.mechanism(), setup.gateRequirement(), definition.audit()),
				services.dispatcher(), services.events(), services.callSink());
	}

}
