package dev.peergate.unix;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.peergate.core.Gate;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.TransportEvents;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;
import dev.peergate.unix.peer.PeerInspector;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordingStream;

/**
 * A real {@link UnixListener} in a JVM of its own, for attacks that try to exhaust the server's memory: the test
 * JVM ({@link ChildServer}) starts it with a small heap, so that an attack that works ends in an
 * {@link OutOfMemoryError} within seconds instead of after gigabytes, and the test JVM itself is never at risk.
 * <p>
 * Arguments: the socket path, then {@code name=value} options: {@code max-connections}, {@code max-in-flight},
 * {@code idle-timeout-ms}, {@code io-threads}, {@code handler-threads}, {@code handler-queue}.
 * <p>
 * Protocol on stdout, one line each: {@code READY <socket>} once listening; {@code OOM <thread> <error>} for every
 * {@link OutOfMemoryError} seen, up to ten (thrown out of a thread, logged, or only constructed: Netty and Peergate
 * catch what their tasks throw, so a direct-memory OOM may otherwise leave no trace); answers to the commands read
 * from stdin:
 * <ul>
 * <li>{@code heap} → {@code HEAP <used heap bytes after GC> <direct bytes in use by Netty's allocator>};</li>
 * <li>{@code status} → {@code STATUS connections=<n> inFlight=<n> streamed=<n> handlerThreads=<n> limits={...}
 * protocol={...}}:
 * {@code streamed} counts the replies {@code Flood} handed to the transport, so a test can see whether the
 * listener paused the streams;</li>
 * <li>{@code stop} → stops the listener, prints {@code STOPPED} and exits 0.</li>
 * </ul>
 * The JVM should run with {@code -XX:+ExitOnOutOfMemoryError}: an OOM the JVM itself raises (heap, metaspace)
 * then ends the process with status 3 and {@code Terminating due to java.lang.OutOfMemoryError} on stdout, a
 * verdict nobody can miss; the direct-memory errors Java code throws ({@code Cannot reserve ... direct buffer
 * memory}, Netty's {@code OutOfDirectMemoryError}) do not trigger it, and are reported as {@code OOM} lines.
 */
public final class AttackTargetServer {

	/** Printed before the thread and error of every {@link OutOfMemoryError} seen. */
	static final String OOM = "OOM";

	private static final Map<String, AtomicLong> limits = new ConcurrentHashMap<>();

	private static final Map<String, AtomicLong> protocolErrors = new ConcurrentHashMap<>();

	private static final AtomicLong outOfMemoryErrors = new AtomicLong();

	private AttackTargetServer() {
	}

	public static void main(String[] args) throws Exception {
		watchForOutOfMemory();
		Path socket = Path.of(args[0]);
		Map<String, String> settings = new TreeMap<>();
		for (int i = 1; i < args.length; i++) {
			String[] pair = args[i].split("=", 2);
			settings.put(pair[0], pair[1]);
		}
		UnixListenerOptions options = UnixListenerOptions.defaults(socket)
			.withMaxConnections(intSetting(settings, "max-connections", 256))
			.withMaxInFlightPerConnection(intSetting(settings, "max-in-flight", 16))
			.withIdleTimeout(Duration.ofMillis(intSetting(settings, "idle-timeout-ms", 300_000)))
			.withIoThreads(intSetting(settings, "io-threads", 1));
		// Enough handler threads for every stream of 8 attackers at max-in-flight 16 plus the bystander: the
		// attack under test is unbounded reply buffering, not endless streams holding every handler thread (with
		// the default 64 threads they would, memory or not). The queue is the default's: a burst of calls waits
		// there while spinning streams keep idle workers from the CPU.
		HandlerExecutor executor = HandlerExecutor.platform(intSetting(settings, "handler-threads", 160),
				intSetting(settings, "handler-queue", 256));
		AttackHandlers attack = new AttackHandlers();
		Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(new TestHandlers(), attack)), executor,
				Duration.ofSeconds(10), CallObserver.none());
		TransportEvents events = new TransportEvents() {

			@Override
			public void protocolError(String listener, String kind) {
				protocolErrors.computeIfAbsent(kind, (key) -> new AtomicLong()).incrementAndGet();
			}

			@Override
			public void limitExceeded(String listener, String limit) {
				limits.computeIfAbsent(limit, (key) -> new AtomicLong()).incrementAndGet();
			}

		};
		PeerInspector inspector = new LinuxPeerInspector(new ExecutableDigests(4));
		Gate gate = new Gate("attack-target", inspector.mechanism(), PeerRequirement.anyPeer(), (verdict) -> {
		});
		UnixListener listener = new UnixListener("attack-target", options, gate, dispatcher, events, inspector);
		listener.start();
		System.out.println("READY " + socket);
		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String command;
		while ((command = commands.readLine()) != null) {
			switch (command.trim()) {
				case "heap" -> System.out.println("HEAP " + liveHeapBytes() + " " + nettyDirectBytes());
				case "status" -> System.out.println("STATUS connections=" + listener.activeConnections() + " inFlight="
						+ listener.callsInFlight() + " streamed=" + attack.streamed.get() + " handlerThreads="
						+ handlerThreads() + " limits="
						+ new TreeMap<>(limits) + " protocol=" + new TreeMap<>(protocolErrors));
				case "stop" -> {
					listener.stop(Duration.ofSeconds(2));
					dispatcher.close();
					System.out.println("STOPPED");
					System.exit(0);
				}
				default -> System.out.println("UNKNOWN " + command);
			}
		}
		// stdin closed: the test JVM is gone, and so should we be
		listener.stop(Duration.ofSeconds(1));
		System.exit(0);
	}

	/**
	 * Reports every {@link OutOfMemoryError} as an {@code OOM} line: those thrown out of a thread, those that
	 * Netty's event loop and Peergate's dispatcher catch and log (both log through java.util.logging here), and,
	 * through JFR's {@code jdk.JavaErrorThrow} event, every one constructed at all: a channel handler's
	 * {@code exceptionCaught} may close the connection on one without a word.
	 */
	private static void watchForOutOfMemory() {
		RecordingStream errors = new RecordingStream();
		errors.enable("jdk.JavaErrorThrow");
		errors.onEvent("jdk.JavaErrorThrow", (event) -> {
			RecordedClass thrown = event.getClass("thrownClass");
			if (thrown != null && (thrown.getName().endsWith("OutOfMemoryError")
					|| thrown.getName().endsWith("OutOfDirectMemoryError"))) {
				reportOutOfMemory(event.getThread().getJavaName(), thrown.getName() + ": " + event.getString("message"));
			}
		});
		errors.startAsync();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> {
			if (isOutOfMemory(ex)) {
				reportOutOfMemory(thread.getName(), ex.toString());
			}
			ex.printStackTrace();
		});
		// Netty would log through SLF4J (Logback on the test classpath, which prints DEBUG to stdout by default).
		InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
		LogManager.getLogManager().reset();
		Logger root = Logger.getLogger("");
		root.setLevel(Level.WARNING);
		java.util.logging.ConsoleHandler console = new java.util.logging.ConsoleHandler(); // stderr
		console.setLevel(Level.WARNING);
		root.addHandler(console);
		root.addHandler(new Handler() {

			@Override
			public void publish(LogRecord record) {
				if (isOutOfMemory(record.getThrown())) {
					reportOutOfMemory(Thread.currentThread().getName(), record.getThrown().toString());
				}
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		});
	}

	private static boolean isOutOfMemory(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof OutOfMemoryError) {
				return true;
			}
		}
		return false;
	}

	private static void reportOutOfMemory(String thread, String error) {
		// an attack that works throws thousands: the first ones tell what happened
		long seen = outOfMemoryErrors.incrementAndGet();
		if (seen <= 10) {
			System.out.println(OOM + " " + thread + " " + error + ((seen == 10) ? " (further ones are not reported)" : ""));
		}
	}

	private static long liveHeapBytes() {
		// Two collections: the first may only queue finalizable or phantom-reachable garbage for the second.
		for (int i = 0; i < 2; i++) {
			System.gc();
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/** Live handler threads: each stream a paused attacker holds may keep one. */
	private static long handlerThreads() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().startsWith("peergate-handler-"))
			.count();
	}

	private static long nettyDirectBytes() {
		return (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider)
				? provider.metric().usedDirectMemory() : -1;
	}

	private static int intSetting(Map<String, String> settings, String name, int defaultValue) {
		String value = settings.get(name);
		return (value != null) ? Integer.parseInt(value) : defaultValue;
	}

	/** What attackers call: replies as large and as many as the server will produce. */
	@IpcInterface("dev.peergate.attack")
	static class AttackHandlers {

		/** About 100 bytes on the wire per reply, like a typical small event. */
		private static final String FILLER = "x".repeat(64);

		/** 4 KiB: a small call that costs the server a page of reply. */
		private static final String PAGE = "p".repeat(4096);

		final AtomicLong streamed = new AtomicLong();

		/** Streams replies as fast as the transport takes them, until the peer is gone. */
		@IpcMethod
		Item flood(IpcStream<Item> stream) {
			long n = 0;
			while (stream.isOpen()) {
				stream.send(new Item(n++, FILLER));
				this.streamed.incrementAndGet();
			}
			return new Item(n, "end");
		}

		/** A page of reply to a call of a few bytes. */
		@IpcMethod
		Item page() {
			return new Item(0, PAGE);
		}

	}

	record Item(long n, String text) {
	}

}
