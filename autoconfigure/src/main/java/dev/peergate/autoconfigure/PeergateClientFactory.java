package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.autoconfigure.PeergateClientProperties.Client;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.ServerVerdictSink;
import dev.peergate.handler.IpcClients;
import dev.peergate.handler.IpcInterface;
import dev.peergate.requirement.facts.IdResolver;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Builds the typed client of each {@code peergate.clients.<name>}, every setting validated (a bad one names its
 * property): the interface, the address for this platform, the timeout and the server requirement, which is
 * required unless {@code allow-any-server: true}.
 *
 * <pre>{@code
 * Helper helper = clientFactory.create("helper", Helper.class);
 * }</pre>
 */
final class PeergateClientFactory implements AutoCloseable {

	private final PeergateClientProperties properties;

	private final ConfigurableEnvironment environment;

	private final ServerVerdictSink sink;

	private final List<XpcServerCaller> xpcCallers = new CopyOnWriteArrayList<>();

	PeergateClientFactory(PeergateClientProperties properties, ConfigurableEnvironment environment,
			List<ServerVerdictSink> sinks) {
		this.properties = properties;
		this.environment = environment;
		this.sink = ServerVerdictSink.fanOut(sinks);
	}

	/** The typed client of the named client, of the interface its configuration names. */
	<T> T create(String name, Class<T> api) {
		Client client = this.properties.getClients().get(name);
		if (client == null) {
			throw new IllegalStateException("No peergate.clients." + name);
		}
		String base = "peergate.clients." + name;
		Duration timeout = client.getTimeout();
		if (timeout.isNegative() || timeout.isZero()) {
			throw new ListenerConfigurationException(base + ".timeout", "is " + timeout + ", must be positive",
					"Set " + base + ".timeout to the longest a call may wait, e.g. 30s");
		}
		PeergateProperties.Requirement settings = client.getServerRequirement();
		if (settings.isAllowAnyPeer()) {
			throw new ListenerConfigurationException(base + ".server-requirement.allow-any-peer",
					"is a listener setting; a client names the server it accepts",
					"To call whatever process serves the address, set " + base + ".allow-any-server: true");
		}
		ListenerRequirements requirements = ListenerRequirements.readServer(name, settings, this.environment,
				IdResolver.system());
		if (client.isAllowAnyServer() && !requirements.isEmpty()) {
			throw new ListenerConfigurationException(base + ".allow-any-server",
					"allow-any-server is set together with a server requirement",
					"Remove allow-any-server to verify the server, or remove " + base + ".server-requirement");
		}
		if (!client.isAllowAnyServer() && requirements.isEmpty()) {
			throw new ListenerConfigurationException(base + ".server-requirement",
					"client '" + name + "' has no server requirement, so it would send its calls to whatever process "
							+ "serves its address",
					"Set " + base + ".server-requirement.linux (for example linux: { uid: 0 }) or " + base
							+ ".server-requirement.same-user: true. To call any server deliberately, set " + base
							+ ".allow-any-server: true");
		}
		String serviceName = client.getXpc().getServiceName();
		if (usesXpc(base, client, serviceName)) {
			XpcServerCaller caller = new XpcServerCaller(name, Objects.requireNonNull(serviceName), timeout,
					client.isAllowAnyServer() ? null : codeSigning(base, settings), this.sink);
			this.xpcCallers.add(caller);
			return IpcClients.create(api, caller);
		}
		String path = client.getUnix().getPath();
		if (path == null || path.isBlank()) {
			throw new ListenerConfigurationException(base + ".unix.path", "client '" + name
					+ "' has no address for this platform (" + System.getProperty("os.name") + ")",
					"Set " + base + ".unix.path to the server's socket, e.g. /run/example/helper.sock"
							+ (ListenerDefinitions.isMac() ? ", or " + base + ".xpc.service-name" : ""));
		}
		PeerRequirement requirement = client.isAllowAnyServer() ? null
				: requirements.forCredentials(Mechanism.PIDFD, ProcessIdentity.uid()).requirement();
		int descriptors = IpcClients.passesDescriptors(api) ? VarlinkServerCaller.MAX_FDS_PER_MESSAGE : 0;
		return IpcClients.create(api,
				new VarlinkServerCaller(name, Path.of(path), timeout, requirement, descriptors, this.sink));
	}

	/** Whether the client calls over XPC: chosen, or on macOS with a service name; a choice it cannot honour fails. */
	private static boolean usesXpc(String base, PeergateClientProperties.Client client, @Nullable String serviceName) {
		boolean named = serviceName != null && !serviceName.isBlank();
		return switch (client.getTransport()) {
			case XPC -> {
				if (!named) {
					throw new ListenerConfigurationException(base + ".xpc.service-name",
							"an xpc client needs the Mach service name of its server", "Set " + base
									+ ".xpc.service-name, e.g. com.example.helper");
				}
				yield true;
			}
			case UNIX -> false;
			case AUTO -> ListenerDefinitions.isMac() && named;
			default -> throw new ListenerConfigurationException(base + ".transport",
					client.getTransport().name().toLowerCase(java.util.Locale.ROOT) + " is not a client transport",
					"Use auto, unix or xpc");
		};
	}

	/** Closes the XPC connections of the clients. */
	@Override
	public void close() {
		this.xpcCallers.forEach(XpcServerCaller::close);
	}

	private static String codeSigning(String base, PeergateProperties.Requirement settings) {
		if (!settings.getLightweight().isEmpty() || settings.getEntitlement() != null || settings.isSameTeam()) {
			throw new ListenerConfigurationException(base + ".server-requirement",
					"an xpc client takes its server requirement as code-signing only (lightweight, entitlement and "
							+ "same-team are listener forms)",
					"Write " + base + ".server-requirement.code-signing, e.g. 'identifier \"com.example.helper\" and "
							+ "anchor apple generic'");
		}
		if (settings.getCodeSigning() == null || settings.getCodeSigning().isBlank()) {
			throw new ListenerConfigurationException(base + ".server-requirement.code-signing",
					"an xpc client verifies its server by code signature, and none is set",
					"Write the requirement the server satisfies, e.g. 'identifier \"com.example.helper\" and anchor "
							+ "apple generic'");
		}
		return settings.getCodeSigning();
	}

	/**
	 * The interface a client's {@code interface} names, checked when the bean is registered.
	 * @throws ListenerConfigurationException naming the property when it is missing or not an
	 * {@link IpcInterface} interface
	 */
	static Class<?> api(String name, @Nullable String interfaceName, @Nullable ClassLoader classLoader) {
		String property = "peergate.clients." + name + ".interface";
		if (interfaceName == null || interfaceName.isBlank()) {
			throw new ListenerConfigurationException(property, "client '" + name + "' names no interface",
					"Set " + property + " to the fully qualified name of an interface annotated with @IpcInterface");
		}
		Class<?> api;
		try {
			api = ClassUtils.forName(interfaceName.trim(), classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new ListenerConfigurationException(property, "no class " + interfaceName + " on the class path",
					"Write the fully qualified name of an interface annotated with @IpcInterface, e.g. "
							+ "com.example.helper.Helper");
		}
		if (!api.isInterface() || !api.isAnnotationPresent(IpcInterface.class)) {
			throw new ListenerConfigurationException(property,
					interfaceName + " is not an interface annotated with @IpcInterface",
					"Name the client's view of the server: an interface annotated with @IpcInterface whose "
							+ "@IpcMethod methods the server implements");
		}
		return api;
	}

}
