package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.peergate.autoconfigure.PeergateProperties.Listener;
import dev.peergate.autoconfigure.PeergateProperties.Transport;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerRequirement;
import dev.peergate.requirement.facts.IdResolver;
import dev.peergate.unix.UnixListener;
import dev.peergate.unix.UnixListenerOptions;
import dev.peergate.xpc.XpcListenerOptions;
import dev.peergate.xpc.XpcRequirement;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Reads one listener's properties into its {@link ListenerDefinition}, once: the transport for the running OS, the
 * requirement in the form the transport checks, the options with every setting validated (a bad one names its
 * property).
 */
final class ListenerDefinitions {

	private ListenerDefinitions() {
	}

	/** The listener's definition; fails naming the property when a setting is missing or invalid. */
	static ListenerDefinition resolve(String name, Listener listener, ConfigurableEnvironment environment) {
		ListenerRequirements requirements = ListenerRequirements.read(name, listener, environment, IdResolver.system());
		return switch (resolve(name, listener)) {
			case IN_PROCESS -> {
				ListenerRequirements.Resolved resolved = requirements.forCredentials(Mechanism.STATED,
						ProcessIdentity.uid());
				yield new ListenerDefinition.InProcess(name, resolved.mechanism(), resolved.requirement(),
						methodRequirements(name, listener, environment, Mechanism.STATED), audit(name, listener),
						auditedMethods(name, listener));
			}
			case UNIX -> {
				UnixListenerOptions options = unixOptions(name, listener);
				Mechanism mechanism = UnixListener.detectMechanism();
				ListenerRequirements.Resolved resolved = requirements.forCredentials(mechanism, ProcessIdentity.uid());
				Map<String, PeerRequirement> methods = methodRequirements(name, listener, environment, mechanism);
				// the facts the methods read are gathered and verified when the peer connects, with the listener's
				yield new ListenerDefinition.Unix(name, options, resolved.mechanism(),
						GatheringRequirement.of(resolved.requirement(), methods.values()), methods, audit(name, listener),
						auditedMethods(name, listener));
			}
			case XPC -> {
				Map<String, XpcRequirement> methods = xpcMethods(name, listener, environment);
				// audit applies to method requirements; an authority (a right) alone stays enforced: fail closed
				Set<String> audited = new LinkedHashSet<>(auditedMethods(name, listener));
				audited.retainAll(methods.keySet());
				yield new ListenerDefinition.Xpc(name,
						xpcOptions(name, listener, requirements).withMethodRequirements(methods)
							.withAuditedMethods(audited),
						listener.getEnforcement() == PeergateProperties.Enforcement.AUDIT);
			}
			case AUTO -> throw new IllegalStateException("transport was resolved");
		};
	}

	static boolean isMac() {
		return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
	}

	static Transport resolve(String name, Listener listener) {
		if (listener.getTransport() != Transport.AUTO) {
			return listener.getTransport();
		}
		if (isMac() && listener.getXpc().getServiceName() != null) {
			return Transport.XPC;
		}
		if (listener.getUnix().getPath() != null) {
			return Transport.UNIX;
		}
		String base = "peergate.listeners." + name;
		throw new ListenerConfigurationException(base, "listener '" + name + "' has no address for this platform ("
				+ System.getProperty("os.name") + ")",
				"Set " + base + ".unix.path (a socket path)" + (isMac() ? " or " + base + ".xpc.service-name" : "")
						+ ", or " + base + ".transport: in-process");
	}

	/** The requirement of each method of an XPC listener that has one: code-signing or lightweight. */
	private static Map<String, XpcRequirement> xpcMethods(String name, Listener listener, ConfigurableEnvironment environment) {
		Map<String, XpcRequirement> methods = new LinkedHashMap<>();
		listener.getMethods().forEach((method, settings) -> {
			ListenerRequirements requirements = ListenerRequirements.readMethod(name, method, settings, environment,
					IdResolver.system());
			if (requirements.isEmpty() && settings.hasAuthority()) {
				return;
			}
			methods.put(method, requirements.methodXpcRequirement());
		});
		return methods;
	}

	/** Whether the listener's requirement is only audited; {@code os} means nothing off macOS and is refused. */
	private static boolean audit(String name, Listener listener) {
		if (listener.getEnforcement() == PeergateProperties.Enforcement.OS) {
			throw new ListenerConfigurationException("peergate.listeners." + name + ".enforcement",
					"os (libxpc enforces) applies to xpc listeners only",
					"Use observed (the default) or audit, or set transport: xpc");
		}
		return listener.getEnforcement() == PeergateProperties.Enforcement.AUDIT;
	}

	/** The methods whose requirement is only audited. */
	private static Set<String> auditedMethods(String name, Listener listener) {
		Set<String> audited = new LinkedHashSet<>();
		listener.getMethods().forEach((method, settings) -> {
			if (settings.getEnforcement() == PeergateProperties.Enforcement.OS) {
				throw new ListenerConfigurationException(
						"peergate.listeners." + name + ".methods[" + method + "].enforcement",
						"os applies to whole xpc listeners, not to methods", "Use observed (the default) or audit");
			}
			if (settings.getEnforcement() == PeergateProperties.Enforcement.AUDIT) {
				audited.add(method);
				LogFactory.getLog(ListenerDefinitions.class).warn("Peergate listener '" + name + "': method " + method
						+ " is in AUDIT mode (enforcement: audit): calls its requirement refuses RUN and are recorded "
						+ "as would-reject");
			}
		});
		return audited;
	}

	/** The requirement of each configured method, each validated like a listener's; a method can only narrow. */
	private static Map<String, PeerRequirement> methodRequirements(String name, Listener listener,
			ConfigurableEnvironment environment, Mechanism mechanism) {
		Map<String, PeerRequirement> methods = new LinkedHashMap<>();
		listener.getMethods().forEach((method, settings) -> {
			String base = "peergate.listeners." + name + ".methods[" + method + "].requirement";
			if (settings.getRequirement().isAllowAnyPeer()) {
				throw new ListenerConfigurationException(base + ".allow-any-peer",
						"a method requirement narrows the listener's; allowing any peer would change nothing",
						"Remove " + base + ".allow-any-peer, or remove the method's settings");
			}
			ListenerRequirements requirements = ListenerRequirements.readMethod(name, method, settings, environment,
					IdResolver.system());
			if (requirements.isEmpty() && settings.hasAuthority()) {
				return; // an authority alone decides about this method
			}
			methods.put(method, requirements.forCredentials(mechanism, ProcessIdentity.uid()).requirement());
		});
		return methods;
	}

	static UnixListenerOptions unixOptions(String name, Listener listener) {
		String base = "peergate.listeners." + name;
		String path = listener.getUnix().getPath();
		if (path == null || path.isBlank()) {
			throw new ListenerConfigurationException(base + ".unix.path", "the unix transport needs a socket path",
					"Set " + base + ".unix.path, e.g. /run/example/helper.sock");
		}
		String mode = listener.getUnix().getMode();
		if (!mode.matches("0?[0-7]{3}")) {
			throw new ListenerConfigurationException(base + ".unix.mode", "'" + mode + "' is not an octal file mode",
					"Write the mode as three or four octal digits in quotes, e.g. mode: \"0660\"");
		}
		int ioThreads = listener.getUnix().getIoThreads();
		if (ioThreads < 1) {
			throw new ListenerConfigurationException(base + ".unix.io-threads", ioThreads + " is not a thread count",
					"Set io-threads to 1 or more; 1 suits most local services");
		}
		PeergateProperties.Limits limits = listener.getLimits();
		String limit = base + ".limits.";
		long maxMessageSize = limits.getMaxMessageSize().toBytes();
		if (maxMessageSize < 64 || maxMessageSize > Integer.MAX_VALUE) {
			throw new ListenerConfigurationException(limit + "max-message-size", "must be between 64 bytes and 2GB",
					"Set a size such as 1MB");
		}
		long maxReplyBuffer = limits.getMaxReplyBuffer().toBytes();
		if (maxReplyBuffer < 65536) {
			throw new ListenerConfigurationException(limit + "max-reply-buffer",
					"is " + maxReplyBuffer + " bytes, must be at least 64KB (streams pause at 64KB)",
					"Set a size such as 8MB, larger than the largest reply a handler returns");
		}
		return UnixListenerOptions.defaults(Path.of(path))
			.withMode(mode)
			.withMaxMessageSize((int) maxMessageSize)
			.withMaxDepth(SettingChecks.atLeast(limits.getMaxNestingDepth(), 2, limit + "max-nesting-depth", "64"))
			.withMaxConnections(SettingChecks.atLeast(limits.getMaxConnections(), 1, limit + "max-connections", "256"))
			.withMaxConnectionsPerUid(
					SettingChecks.atLeast(limits.getMaxConnectionsPerUid(), 1, limit + "max-connections-per-uid", "64"))
			.withMaxVerifying(SettingChecks.atLeast(limits.getMaxVerifying(), 1, limit + "max-verifying", "128"))
			.withMaxInFlightPerConnection(SettingChecks.atLeast(limits.getMaxInFlight(), 1, limit + "max-in-flight", "16"))
			.withIdleTimeout(SettingChecks.notNegative(limits.getIdleTimeout(), limit + "idle-timeout", "5m"))
			.withFrameTimeout(SettingChecks.notNegative(limits.getFrameTimeout(), limit + "frame-timeout", "5s"))
			.withMaxReplyBuffer(maxReplyBuffer)
			.withMaxFdsPerMessage(SettingChecks.between(limits.getMaxFdsPerMessage(), 0,
					XpcListenerOptions.MAX_FDS_PER_MESSAGE, limit + "max-fds-per-message", "8"))
			.withIoThreads(ioThreads);
	}

	static XpcListenerOptions xpcOptions(String name, Listener listener, ListenerRequirements requirements) {
		String base = "peergate.listeners." + name;
		String serviceName = listener.getXpc().getServiceName();
		if (serviceName == null || serviceName.isBlank()) {
			throw new ListenerConfigurationException(base + ".xpc.service-name", "the xpc transport needs a Mach service name",
					"Set " + base + ".xpc.service-name to the MachServices key of this process's launchd plist");
		}
		int maxInFlight = listener.getLimits().getMaxInFlight();
		if (maxInFlight < 1) {
			throw new ListenerConfigurationException(base + ".limits.max-in-flight", "is " + maxInFlight
					+ ", must be at least 1", "Set " + base + ".limits.max-in-flight to a number such as 16");
		}
		String limit = base + ".limits.";
		return requirements.forXpc(serviceName, listener.getEnforcement())
			.withMaxInFlightPerConnection(maxInFlight)
			.withMaxConnections(SettingChecks.atLeast(listener.getLimits().getMaxConnections(), 1,
					limit + "max-connections", "256"))
			.withMaxConnectionsPerUid(SettingChecks.atLeast(listener.getLimits().getMaxConnectionsPerUid(), 1,
					limit + "max-connections-per-uid", "64"))
			.withIdleTimeout(SettingChecks.notNegative(listener.getLimits().getIdleTimeout(), limit + "idle-timeout",
					"5m"))
			.withMaxFdsPerMessage(SettingChecks.between(listener.getLimits().getMaxFdsPerMessage(), 0,
					XpcListenerOptions.MAX_FDS_PER_MESSAGE, limit + "max-fds-per-message", "8"));
	}

}
