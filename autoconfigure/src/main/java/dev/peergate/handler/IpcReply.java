package dev.peergate.handler;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One reply: parameters, or an error name with parameters; {@code continues} when more replies follow.
 *
 * @param error error name, {@code null} for a successful reply
 * @param parameters reply or error parameters
 * @param continues whether more replies follow for the same call
 *
 * <pre>{@code
 * IpcReply status = IpcReply.of(Map.of("version", "1.0"));
 * IpcReply refusal = IpcReply.error(StandardErrors.permissionDenied());
 * assert refusal.isError() && !refusal.continues();
 * }</pre>
 */
public record IpcReply(@Nullable String error, Map<String, @Nullable Object> parameters, boolean continues) {

	public IpcReply {
		Objects.requireNonNull(parameters, "'parameters' must not be null");
	}

	/** A final successful reply. */
	public static IpcReply of(Map<String, @Nullable Object> parameters) {
		return new IpcReply(null, parameters, false);
	}

	/** An error reply. */
	public static IpcReply error(IpcError error) {
		return new IpcReply(error.name(), error.parameters(), false);
	}

	/** Whether this is an error reply. */
	public boolean isError() {
		return this.error != null;
	}

}
