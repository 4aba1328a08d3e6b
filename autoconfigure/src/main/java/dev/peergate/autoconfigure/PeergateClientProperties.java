package dev.peergate.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configured clients under {@code peergate.clients}: one typed-client bean per name, calling a varlink server over
 * a Unix socket (or an XPC service on macOS) after verifying the process that serves it.
 *
 * <pre>{@code
 * peergate:
 *   clients:
 *     helper:
 *       unix:
 *         path: /run/example/helper.sock
 *       interface: com.example.helper.Helper
 *       server-requirement:
 *         linux: { uid: 0, executable-path: /usr/libexec/example-helper }
 * }</pre>
 */
@ConfigurationProperties("peergate")
public class PeergateClientProperties {

	/**
	 * Clients by name; each is a bean named '<name>PeergateClient' of its interface type, and the name is the metric
	 * tag.
	 */
	private Map<String, Client> clients = new LinkedHashMap<>();

	public Map<String, Client> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, Client> clients) {
		this.clients = clients;
	}

	/** One configured client. */
	public static class Client {

		/**
		 * Fully qualified name of the Java interface annotated with @IpcInterface that the bean implements.
		 */
		private @Nullable String interfaceName;

		/**
		 * How long a call may wait for its reply (and for the connection).
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Whether the client calls whatever process serves the address, without a server requirement.
		 */
		private boolean allowAnyServer;

		/**
		 * How the client reaches its server: auto (xpc on macOS when xpc.service-name is set, else unix), unix or
		 * xpc.
		 */
		private PeergateProperties.Transport transport = PeergateProperties.Transport.AUTO;

		private final ClientUnix unix = new ClientUnix();

		private final PeergateProperties.Xpc xpc = new PeergateProperties.Xpc();

		private final PeergateProperties.Requirement serverRequirement = new PeergateProperties.Requirement();

		public @Nullable String getInterface() {
			return this.interfaceName;
		}

		public void setInterface(@Nullable String interfaceName) {
			this.interfaceName = interfaceName;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public boolean isAllowAnyServer() {
			return this.allowAnyServer;
		}

		public void setAllowAnyServer(boolean allowAnyServer) {
			this.allowAnyServer = allowAnyServer;
		}

		public PeergateProperties.Transport getTransport() {
			return this.transport;
		}

		public void setTransport(PeergateProperties.Transport transport) {
			this.transport = transport;
		}

		public ClientUnix getUnix() {
			return this.unix;
		}

		public PeergateProperties.Xpc getXpc() {
			return this.xpc;
		}

		public PeergateProperties.Requirement getServerRequirement() {
			return this.serverRequirement;
		}

	}

	/** Where a client connects on Linux. */
	public static class ClientUnix {

		/**
		 * Path of the server's Unix socket.
		 */
		private @Nullable String path;

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

	}

	/** The settings of a client that names only its interface: what the bean registrar needs before binding. */
	static class Declared {

		private @Nullable String interfaceName;

		public @Nullable String getInterface() {
			return this.interfaceName;
		}

		public void setInterface(@Nullable String interfaceName) {
			this.interfaceName = interfaceName;
		}

	}

}
