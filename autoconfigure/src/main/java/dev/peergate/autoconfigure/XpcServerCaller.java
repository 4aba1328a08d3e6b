package dev.peergate.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import dev.peergate.client.IpcCallers;
import dev.peergate.client.XpcClient;
import dev.peergate.core.ServerVerdict;
import dev.peergate.core.ServerVerdictSink;
import dev.peergate.handler.IpcClients;
import dev.peergate.handler.IpcError;
import org.jspecify.annotations.Nullable;

/**
 * The caller of a configured XPC client (macOS): one connection, made at the first call, whose server libxpc checks
 * against the code-signing requirement before delivering anything; closed with the application context. libxpc's
 * verdict on the server is reported to the server verdict sinks (metric, event) like a unix client's.
 */
final class XpcServerCaller implements IpcClients.Caller, AutoCloseable {

	private final String name;

	private final String serviceName;

	private final XpcClient.Options options;

	private final @Nullable String requirement;

	private final ServerVerdictSink sink;

	private volatile @Nullable XpcClient client;

	/** Whether the server of the current connection was reported accepted. */
	private volatile boolean reported;

	XpcServerCaller(String name, String serviceName, Duration timeout, @Nullable String requirement,
			ServerVerdictSink sink) {
		this.name = name;
		this.serviceName = serviceName;
		this.requirement = requirement;
		this.sink = sink;
		this.options = XpcClient.Options.of(serviceName).withTimeout(timeout).withServerRequirement(requirement);
	}

	@Override
	public Map<String, @Nullable Object> call(String method, Map<String, @Nullable Object> parameters) {
		return verified(() -> IpcCallers.of(client()).call(method, parameters));
	}

	@Override
	public Iterable<Map<String, @Nullable Object>> more(String method, Map<String, @Nullable Object> parameters) {
		return verified(() -> IpcCallers.of(client()).more(method, parameters));
	}

	/**
	 * A call, with libxpc's verdict on the server reported: the first reply proves the server satisfied the
	 * requirement libxpc holds on the connection; {@code XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT} proves it did not
	 * (libxpc delivered nothing, and names no clause).
	 */
	private <T> T verified(Supplier<T> call) {
		try {
			T result = call.get();
			reportAcceptedOnce();
			return result;
		}
		catch (IpcError ex) {
			reportAcceptedOnce(); // an error reply comes from the verified server too
			throw ex;
		}
		catch (RuntimeException ex) {
			if (this.requirement != null && XpcClient.isServerRefusal(ex)) {
				this.sink.accept(ServerVerdict.refused(this.name, this.serviceName,
						"libxpc refused the server: it does not satisfy " + this.requirement
								+ " (XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT)"));
			}
			throw ex;
		}
	}

	private void reportAcceptedOnce() {
		if (this.requirement != null && !this.reported) {
			this.reported = true;
			this.sink.accept(ServerVerdict.accepted(this.name, this.serviceName,
					"libxpc found the server satisfies " + this.requirement));
		}
	}

	private synchronized XpcClient client() {
		XpcClient current = this.client;
		if (current == null) {
			current = XpcClient.connect(this.options);
			this.client = current;
			this.reported = false;
		}
		return current;
	}

	@Override
	public synchronized void close() {
		XpcClient current = this.client;
		if (current != null) {
			current.close();
			this.client = null;
		}
	}

}
