package dev.peergate.varlink.certification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.peergate.varlink.GoPrograms;

import static org.awaitility.Awaitility.await;

/**
 * The varlink project's certification server ({@code varlink-go-certification --varlink=unix:PATH}) running as a
 * child process, optionally under another uid.
 */
public final class GoCertificationServer implements AutoCloseable {

	private final Process process;

	private final Path socket;

	private GoCertificationServer(Process process, Path socket) {
		this.process = process;
		this.socket = socket;
	}

	/** Starts the server on {@code socket}, prefixing the command with {@code wrapper} (e.g. setpriv). */
	public static GoCertificationServer start(Path socket, List<String> wrapper) throws IOException {
		List<String> command = new ArrayList<>(wrapper);
		command.add(GoPrograms.certification().toString());
		command.add("--varlink=unix:" + socket);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		GoCertificationServer server = new GoCertificationServer(process, socket);
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(socket) || !process.isAlive());
			if (!process.isAlive()) {
				throw new IllegalStateException("varlink-go-certification exited with " + process.exitValue());
			}
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	/** The socket the server listens on. */
	public Path socket() {
		return this.socket;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
