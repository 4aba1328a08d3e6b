package dev.peergate.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.peergate.client.IpcCallers;
import dev.peergate.client.XpcClient;
import dev.peergate.handler.IpcClients;
import org.jspecify.annotations.Nullable;

/**
 * The caller of a configured XPC client (macOS): one connection, made at the first call, whose server libxpc checks
 * against the code-signing requirement before delivering anything; closed with the application context.
 */
final class XpcServerCaller implements IpcClients.Caller, AutoCloseable {

	private final XpcClient.Options options;

	private volatile @Nullable XpcClient client;

	XpcServerCaller(String serviceName, Duration timeout, @Nullable String requirement) {
		this.options = XpcClient.Options.of(serviceName).withTimeout(timeout).withServerRequirement(requirement);
	}

	@Override
	public Map<String, @Nullable Object> call(String method, Map<String, @Nullable Object> parameters) {
		return IpcCallers.of(client()).call(method, parameters);
	}

	@Override
	public Iterable<Map<String, @Nullable Object>> more(String method, Map<String, @Nullable Object> parameters) {
		return IpcCallers.of(client()).more(method, parameters);
	}

	private synchronized XpcClient client() {
		XpcClient current = this.client;
		if (current == null) {
			current = XpcClient.connect(this.options);
			this.client = current;
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
