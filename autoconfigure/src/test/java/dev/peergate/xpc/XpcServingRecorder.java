package dev.peergate.xpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.core.TransportEvents;
import dev.peergate.core.Verdict;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.MethodRegistry;
import org.jspecify.annotations.Nullable;

/**
 * What an XPC listener of the tests serves and reports to: {@link HelperService} on a dispatcher, and the verdicts
 * and limits it reports, recorded. Shared by the simulator's {@link XpcFixture} and the two-backend
 * {@link XpcBackendFixture}.
 */
final class XpcServingRecorder implements AutoCloseable {

	final HelperService helper = new HelperService();

	final List<Verdict> verdicts = new CopyOnWriteArrayList<>();

	/** Limits the listener reported ({@code listener/limit}). */
	final List<String> limits = new CopyOnWriteArrayList<>();

	final Dispatcher dispatcher;

	final TransportEvents transportEvents = new TransportEvents() {

		@Override
		public void protocolError(String listener, String kind) {
		}

		@Override
		public void limitExceeded(String listener, String limit) {
			XpcServingRecorder.this.limits.add(listener + "/" + limit);
		}

	};

	/** Handlers time out after {@code handlerTimeout}. */
	XpcServingRecorder(Duration handlerTimeout) {
		this(handlerTimeout, List.of());
	}

	/** Serving {@code handlers} beside the test helper. */
	XpcServingRecorder(Duration handlerTimeout, List<Object> handlers) {
		List<Object> served = new ArrayList<>(handlers);
		served.add(this.helper);
		this.dispatcher = new Dispatcher(MethodRegistry.of(served), HandlerExecutor.create(8, 64), handlerTimeout,
				CallObserver.none());
	}

	/** A listener with these options, reporting here, not started (a test may expect its start to fail). */
	XpcListener listener(XpcListenerOptions options) {
		return new XpcListener(options, this.dispatcher, this.verdicts::add, this.transportEvents);
	}

	/** Releases a handler still waiting, stops the listener (if any) and closes the dispatcher. */
	void close(@Nullable XpcListener listener) {
		this.helper.release.countDown();
		if (listener != null) {
			listener.stop(Duration.ofSeconds(5));
		}
		this.dispatcher.close();
	}

	@Override
	public void close() {
		close(null);
	}

}
