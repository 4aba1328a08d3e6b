package dev.peergate.unix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;

/** Handlers that take and hand out file descriptors, as a privileged helper does. */
@IpcInterface("com.example.files")
class FileHandlers {

	private final Path directory;

	/** Descriptors the handlers received, as they saw them. */
	final List<IpcFileDescriptor> seen = new CopyOnWriteArrayList<>();

	/** Descriptors {@link #keep} took over. */
	final List<Integer> kept = new CopyOnWriteArrayList<>();

	FileHandlers(Path directory) {
		this.directory = directory;
	}

	record Name(String name) {
	}

	record File(IpcFileDescriptor file) {
	}

	record Write(IpcFileDescriptor target, String text) {
	}

	record Written(int bytes) {
	}

	record Target(IpcFileDescriptor target) {
	}

	record Text(String text) {
	}

	/** Opens a file of the helper's directory and hands the caller its descriptor. */
	@IpcMethod
	File openFile(Name call) throws IOException {
		return new File(IpcFileDescriptor.open(this.directory.resolve(call.name()), StandardOpenOption.READ));
	}

	/** Writes into the file or pipe the caller passed. */
	@IpcMethod
	Written writeTo(Write call) throws IOException {
		this.seen.add(call.target());
		byte[] bytes = call.text().getBytes(StandardCharsets.UTF_8);
		Files.write(call.target().path(), bytes, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
		return new Written(bytes.length);
	}

	/** Outlives its handler timeout, then writes into the caller's descriptor: it is still the handler's. */
	@IpcMethod
	Written lateWrite(Write call) throws IOException {
		try {
			Thread.sleep(1500);
		}
		catch (InterruptedException ex) {
			// the timeout interrupts the handler; it goes on, as a handler may
		}
		byte[] bytes = call.text().getBytes(StandardCharsets.UTF_8);
		Files.write(call.target().path(), bytes, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
		return new Written(bytes.length);
	}

	/** Gives the caller its own descriptor back. */
	@IpcMethod
	Target echo(Target call) {
		this.seen.add(call.target());
		return call;
	}

	/** Keeps the descriptor beyond the call. */
	@IpcMethod
	Text keep(Target call) {
		this.kept.add(call.target().release());
		return new Text("kept");
	}

	/** Fails after receiving a descriptor. */
	@IpcMethod
	Text fail(Target call) {
		this.seen.add(call.target());
		throw new IllegalStateException("handler failed on purpose");
	}

	/** Takes no descriptor: any sent with the call is not for it. */
	@IpcMethod
	Text plain(Text call) {
		return call;
	}

}
