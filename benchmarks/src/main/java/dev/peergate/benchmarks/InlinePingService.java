package dev.peergate.benchmarks;

import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;

/**
 * {@link PingService} declared non-blocking: {@code Ping} runs on the listener's I/O thread, without the hand-off
 * to a handler thread and back.
 */
@IpcInterface("org.example.bench")
public final class InlinePingService {

	/** Returns the text it was given. */
	@IpcMethod(blocking = false)
	public PingService.Text ping(PingService.Text text) {
		return text;
	}

}
