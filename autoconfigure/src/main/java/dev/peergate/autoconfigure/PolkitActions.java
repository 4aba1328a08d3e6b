package dev.peergate.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.peergate.core.CallVerdictSink;
import dev.peergate.handler.CallInterceptor;
import dev.peergate.handler.MethodDescriptor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.polkit.PolkitCallInterceptor;
import dev.peergate.polkit.PolkitClient;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The polkit actions of {@code peergate.listeners.<name>.methods[<method>].polkit-action}, checked at startup: a
 * unix listener (polkit needs the peer's pidfd), a blocking handler (the question blocks), dbus-java on the
 * classpath; each failure names the property.
 */
final class PolkitActions {

	private static final Duration TIMEOUT = Duration.ofSeconds(25);

	private PolkitActions() {
	}

	/** The interceptor asking polkit, when any method names an action. */
	static Optional<CallInterceptor> interceptor(PeergateProperties properties, List<ListenerDefinition> definitions,
			MethodRegistry registry, CallVerdictSink sink, @Nullable ClassLoader classLoader) {
		Map<String, Map<String, String>> actions = new LinkedHashMap<>();
		for (ListenerDefinition definition : definitions) {
			PeergateProperties.Listener listener = properties.getListeners().get(definition.name());
			listener.getMethods().forEach((method, settings) -> {
				String action = settings.getPolkitAction();
				if (action == null || action.isBlank()) {
					return;
				}
				String property = "peergate.listeners." + definition.name() + ".methods[" + method + "].polkit-action";
				if (!(definition instanceof ListenerDefinition.Unix)) {
					if (definition instanceof ListenerDefinition.Xpc && settings.getAuthorizationRight() != null) {
						return; // one configuration for both systems: the right decides on macOS
					}
					throw new ListenerConfigurationException(property,
							"polkit decides about processes of this host, identified through their pidfd, and this is "
									+ "not a unix listener",
							"Use polkit actions on a unix listener; on an xpc listener, an authorization-right beside it");
				}
				MethodDescriptor descriptor = registry.lookup(definition.name(), method);
				if (!descriptor.blocking()) {
					throw new ListenerConfigurationException(property,
							method + " is a non-blocking handler, but asking polkit blocks (a D-Bus round trip)",
							"Remove blocking = false from its @IpcMethod");
				}
				if (!action.matches("[A-Za-z0-9_.-]+")) {
					throw new ListenerConfigurationException(property, "'" + action + "' is not a polkit action id",
							"Write the action id of its .policy file, e.g. com.example.helper.install");
				}
				actions.computeIfAbsent(definition.name(), (name) -> new LinkedHashMap<>()).put(method, action);
			});
		}
		if (actions.isEmpty()) {
			return Optional.empty();
		}
		if (!ClassUtils.isPresent("org.freedesktop.dbus.connections.impl.DBusConnectionBuilder", classLoader)) {
			throw new ListenerConfigurationException("peergate.listeners.*.methods[*].polkit-action",
					"polkit actions need dbus-java, which is not on the classpath",
					"Add com.github.hypfvieh:dbus-java-core and dbus-java-transport-native-unixsocket 5.2.2");
		}
		return Optional.of(new PolkitCallInterceptor(actions, new PolkitClient(TIMEOUT), () -> sink));
	}

}
