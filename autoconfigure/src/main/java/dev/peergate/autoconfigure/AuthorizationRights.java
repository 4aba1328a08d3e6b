package dev.peergate.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.peergate.core.CallVerdictSink;
import dev.peergate.handler.CallInterceptor;
import dev.peergate.handler.MethodDescriptor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.xpc.AuthorizationRightsInterceptor;
import dev.peergate.xpc.XpcListenerOptions;

/**
 * The Authorization Services rights of {@code peergate.listeners.<name>.methods[<method>].authorization-right},
 * checked at startup: an xpc listener (the app sends its authorization in the XPC message), a blocking handler (the
 * question may wait for the user); each failure names the property. A method may name a right and a polkit action
 * so that one configuration serves macOS and Linux: each transport uses the authority it can ask, and a method
 * whose listener can ask none of those it names does not start (it would run unguarded).
 */
final class AuthorizationRights {

	private AuthorizationRights() {
	}

	/** The interceptor asking Authorization Services, when any method names a right. */
	static Optional<CallInterceptor> interceptor(PeergateProperties properties, List<ListenerDefinition> definitions,
			MethodRegistry registry, CallVerdictSink sink) {
		Map<String, Map<String, String>> rights = new LinkedHashMap<>();
		XpcListenerOptions options = null;
		for (ListenerDefinition definition : definitions) {
			PeergateProperties.Listener listener = properties.getListeners().get(definition.name());
			for (Map.Entry<String, PeergateProperties.Method> entry : listener.getMethods().entrySet()) {
				String method = entry.getKey();
				String right = entry.getValue().getAuthorizationRight();
				if (right == null) {
					continue;
				}
				String property = "peergate.listeners." + definition.name() + ".methods[" + method
						+ "].authorization-right";
				if (!(definition instanceof ListenerDefinition.Xpc xpc)) {
					if (definition instanceof ListenerDefinition.Unix && entry.getValue().getPolkitAction() != null) {
						continue; // one configuration for both systems: polkit decides on Linux
					}
					throw new ListenerConfigurationException(property,
							"Authorization Services rights are checked for calls of an xpc listener (the app sends "
									+ "its authorization in the XPC message), and this is not one",
							"Use authorization rights on an xpc listener; on a unix listener, a polkit-action beside it");
				}
				MethodDescriptor descriptor = registry.lookup(definition.name(), method);
				if (!descriptor.blocking()) {
					throw new ListenerConfigurationException(property, method
							+ " is a non-blocking handler, but asking Authorization Services blocks (it may wait for "
							+ "the user)", "Remove blocking = false from its @IpcMethod");
				}
				if (!right.matches("[A-Za-z0-9_.-]+")) {
					throw new ListenerConfigurationException(property, "'" + right + "' is not a right name",
							"Write the right's name in reverse-DNS form, e.g. com.example.helper.install");
				}
				options = xpc.options();
				rights.computeIfAbsent(definition.name(), (name) -> new LinkedHashMap<>()).put(method, right);
			}
		}
		if (options == null) {
			return Optional.empty();
		}
		return Optional.of(AuthorizationRightsInterceptor.of(rights, options, () -> sink));
	}

}
