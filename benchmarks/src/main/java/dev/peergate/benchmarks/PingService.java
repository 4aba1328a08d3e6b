package dev.peergate.benchmarks;

import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;

/**
 * The benchmark interface, the same one the Go reference server implements:
 * <pre>{@code
 * interface org.example.bench
 * method Ping(text: string) -> (text: string)
 * }</pre>
 */
@IpcInterface("org.example.bench")
public final class PingService {

	/** Returns the text it was given. */
	@IpcMethod
	public Text ping(Text text) {
		return text;
	}

	/**
	 * Parameters and reply of {@code Ping}.
	 * @param text any text
	 */
	public record Text(String text) {
	}

}
