package dev.peergate.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.peergate.handler.IpcClients;
import org.jspecify.annotations.Nullable;

/**
 * The clients as callers of typed proxies ({@link IpcClients}), streaming included.
 *
 * <pre>{@code
 * Helper helper = IpcClients.create(Helper.class, IpcCallers.of(varlinkClient));
 * LoadSample last = helper.watchLoad(new LoadWatch(3, null), sample -> System.out.println(sample));
 * }</pre>
 */
public final class IpcCallers {

	private IpcCallers() {
	}

	/** Calls through a varlink connection; streamed replies are read as they arrive. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static IpcClients.Caller of(VarlinkClient client) {
		return new IpcClients.Caller() {

			@Override
			public Map<String, @Nullable Object> call(String method, Map<String, @Nullable Object> parameters) {
				return client.call(method, parameters);
			}

			@Override
			public Iterable<Map<String, @Nullable Object>> more(String method, Map<String, @Nullable Object> parameters) {
				return (Iterable) client.more(method, parameters, Map.class);
			}

			@Override
			public void oneway(String method, Map<String, @Nullable Object> parameters) {
				client.oneway(method, parameters);
			}

		};
	}

	/** Calls through an XPC connection. */
	public static IpcClients.Caller of(XpcClient client) {
		return new IpcClients.Caller() {

			@Override
			public Map<String, @Nullable Object> call(String method, Map<String, @Nullable Object> parameters) {
				return client.call(method, parameters);
			}

			@Override
			public Iterable<Map<String, @Nullable Object>> more(String method, Map<String, @Nullable Object> parameters) {
				// items arrive on libxpc's thread while this one waits for the final reply
				List<Map<String, @Nullable Object>> replies = Collections.synchronizedList(new ArrayList<>());
				replies.add(client.stream(method, parameters, replies::add));
				return replies;
			}

			@Override
			public void oneway(String method, Map<String, @Nullable Object> parameters) {
				client.oneway(method, parameters);
			}

		};
	}

}
