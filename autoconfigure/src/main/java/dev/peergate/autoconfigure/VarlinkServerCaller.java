package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

import dev.peergate.client.ServerVerificationException;
import dev.peergate.client.VarlinkClient;
import dev.peergate.client.VarlinkReplies;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.ServerVerdict;
import dev.peergate.core.ServerVerdictSink;
import dev.peergate.handler.IpcClients;
import org.jspecify.annotations.Nullable;

/**
 * The caller of a configured varlink client: each call connects, verifies the process serving the socket against
 * the server requirement (a restarted or replaced server is verified again), reports the verdict, and only then
 * sends. A refused server gets nothing; the caller gets the {@link ServerVerificationException} naming the clause.
 */
final class VarlinkServerCaller implements IpcClients.Caller {

	/** Descriptors a reply may carry to a configured client whose interface passes them (the listeners' default). */
	static final int MAX_FDS_PER_MESSAGE = 8;

	private final String name;

	private final Path socket;

	private final Duration timeout;

	private final @Nullable PeerRequirement requirement;

	private final ServerVerdictSink sink;

	/** 0 when the interface passes no file descriptors. */
	private final int maxFdsPerMessage;

	VarlinkServerCaller(String name, Path socket, Duration timeout, @Nullable PeerRequirement requirement,
			int maxFdsPerMessage, ServerVerdictSink sink) {
		this.maxFdsPerMessage = maxFdsPerMessage;
		this.name = name;
		this.socket = socket;
		this.timeout = timeout;
		this.requirement = requirement;
		this.sink = sink;
	}

	@Override
	public Map<String, @Nullable Object> call(String method, Map<String, @Nullable Object> parameters) {
		try (VarlinkClient client = connect()) {
			return client.call(method, parameters);
		}
	}

	@Override
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public Iterable<Map<String, @Nullable Object>> more(String method, Map<String, @Nullable Object> parameters) {
		VarlinkClient client = connect();
		try {
			VarlinkReplies<Map> replies = client.more(method, parameters, Map.class);
			return () -> new Closing(client, (Iterator) replies);
		}
		catch (RuntimeException ex) {
			client.close();
			throw ex;
		}
	}

	private VarlinkClient connect() {
		VarlinkClient.Builder builder = VarlinkClient.builder(this.socket)
			.connectTimeout(this.timeout)
			.callTimeout(this.timeout)
			.maxFdsPerMessage(this.maxFdsPerMessage);
		if (this.requirement == null) {
			return builder.connect();
		}
		VarlinkClient client;
		try {
			client = builder.serverRequirement(this.requirement).connect();
		}
		catch (ServerVerificationException ex) {
			this.sink.accept(ServerVerdict.refused(this.name, this.socket.toString(), ex.getMessage()));
			throw ex;
		}
		this.sink.accept(ServerVerdict.accepted(this.name, this.socket.toString(), this.requirement.describe()));
		return client;
	}

	/** The replies of a streaming call; the connection closes after the last one, or at the first failure. */
	private static final class Closing implements Iterator<Map<String, @Nullable Object>> {

		private final VarlinkClient client;

		private final Iterator<Map<String, @Nullable Object>> replies;

		Closing(VarlinkClient client, Iterator<Map<String, @Nullable Object>> replies) {
			this.client = client;
			this.replies = replies;
		}

		@Override
		public boolean hasNext() {
			try {
				boolean more = this.replies.hasNext();
				if (!more) {
					this.client.close();
				}
				return more;
			}
			catch (RuntimeException ex) {
				this.client.close();
				throw ex;
			}
		}

		@Override
		public Map<String, @Nullable Object> next() {
			if (!hasNext()) {
				throw new NoSuchElementException();
			}
			try {
				return this.replies.next();
			}
			catch (RuntimeException ex) {
				this.client.close();
				throw ex;
			}
		}

	}

}
