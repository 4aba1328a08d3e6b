package com.example.helper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * systemd's side of {@code sd_notify}, played by the system Python: an {@code AF_UNIX} datagram socket bound to a
 * path or an abstract name ({@code @name}), printing each datagram received on one line, its line breaks shown as
 * {@code |}. Every notification received is kept, in order.
 */
final class NotifyReceiver implements AutoCloseable {

	private static final String SCRIPT = """
			import socket, sys
			address = sys.argv[1]
			s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
			s.bind("\\0" + address[1:] if address.startswith("@") else address)
			print("bound", flush=True)
			while True:
			    print(s.recv(4096).decode().replace("\\n", "|"), flush=True)
			""";

	private final Process python;

	private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

	private final List<String> all = new ArrayList<>();

	private NotifyReceiver(Process python) {
		this.python = python;
	}

	/** A receiver bound to {@code address} (a path, or {@code @} and an abstract name), once it is bound. */
	static NotifyReceiver bind(String address) throws IOException, InterruptedException {
		Process python = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT, address).redirectErrorStream(true).start();
		NotifyReceiver receiver = new NotifyReceiver(python);
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					receiver.received.add(line);
				}
			}
			catch (IOException ex) {
				receiver.received.add("reader failed: " + ex);
			}
		}, "notify-receiver");
		reader.setDaemon(true);
		reader.start();
		String first = receiver.received.poll(20, TimeUnit.SECONDS);
		if (!"bound".equals(first)) {
			python.destroyForcibly();
			throw new IllegalStateException("the receiver did not bind " + address + ": " + first);
		}
		return receiver;
	}

	/** The next notification, within {@code timeout}, or {@code null}. */
	String next(Duration timeout) throws InterruptedException {
		String line = this.received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (line != null) {
			this.all.add(line);
		}
		return line;
	}

	/** The next notification that starts with {@code prefix}, skipping others, within {@code timeout}. */
	String next(String prefix, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			String line = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (line != null && line.startsWith(prefix)) {
				return line;
			}
		}
		throw new AssertionError("no notification starting with " + prefix + " within " + timeout + "; received "
				+ this.all);
	}

	/** Every notification taken so far, in order. */
	List<String> received() {
		return List.copyOf(this.all);
	}

	@Override
	public void close() {
		this.python.destroyForcibly();
	}

}
