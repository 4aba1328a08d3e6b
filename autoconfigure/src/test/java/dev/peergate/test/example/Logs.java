package dev.peergate.test.example;

import java.io.IOException;

import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;

/** One interface for a helper that hands out descriptors of its logs and for its clients. */
@IpcInterface("com.example.logs")
public interface Logs {

	/** Opens a log by name; the caller owns the descriptor. */
	@IpcMethod
	LogFile open(LogName name) throws IOException;

	/** The name of a log. */
	record LogName(String name) {
	}

	/** An open log. */
	record LogFile(IpcFileDescriptor file) {
	}

}
