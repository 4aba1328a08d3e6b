package dev.peergate.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.peergate.core.Gate;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.VerdictSink;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.observation.MeterTransportEvents;
import dev.peergate.observation.ObservationCallObserver;
import dev.peergate.observation.ObservationVerdictSink;
import dev.peergate.observation.PeergateMeterObservationHandler;
import dev.peergate.requirement.facts.FactRequirements;
import dev.peergate.requirement.facts.IdResolver;
import dev.peergate.requirement.facts.LinuxRequirements;
import dev.peergate.unix.UnixListener;
import dev.peergate.unix.UnixListenerOptions;
import dev.peergate.unix.peer.ExecutableDigests;
import dev.peergate.unix.peer.LinuxPeerInspector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

/**
 * The full Peergate stack without Spring: a {@link UnixListener} with a real {@link Gate} and requirement, the
 * {@link Dispatcher} on {@link HandlerExecutor#create}, serving {@link PingService}. Runs until stdin closes, then
 * prints the verdict counts and executable-digest cache misses so the driver can check that every connection was
 * verified and admitted.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.peergate.benchmarks.PeergateBenchServer /tmp/pg.sock same-user observe
 * java -cp benchmarks.jar dev.peergate.benchmarks.PeergateBenchServer /tmp/pg.sock executable:/path/to/client bare
 * }</pre>
 * Arguments: socket path; requirement {@code same-user} ({@code {uid: own}}) or {@code executable:<file>}
 * ({@code {uid: own, executable-path: <file>, executable-sha256: <its hash>}}); {@code observe} (Micrometer
 * observations and meters on a simple registry) or {@code bare} (no observation); optionally {@code inline}: serve
 * {@link InlinePingService}, whose {@code Ping} is declared non-blocking.
 */
public final class PeergateBenchServer {

	private PeergateBenchServer() {
	}

	/**
	 * Starts the server; prints {@code READY ...} once it accepts connections.
	 * @param args socket path, requirement, observation mode (see the class description)
	 * @throws Exception if the listener cannot start
	 */
	public static void main(String[] args) throws Exception {
		if (args.length < 3 || args.length > 4 || (args.length == 4 && !args[3].equals("inline"))) {
			System.err.println("usage: PeergateBenchServer <socket> same-user|executable:<file> observe|bare [inline]");
			System.exit(2);
		}
		boolean inline = args.length == 4;
		Path socket = Path.of(args[0]);
		long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
		PeerRequirement requirement = requirement(args[1], uid);
		boolean observe = switch (args[2]) {
			case "observe" -> true;
			case "bare" -> false;
			default -> throw new IllegalArgumentException("observe or bare, not " + args[2]);
		};

		MethodRegistry methods = MethodRegistry.of(List.of(inline ? new InlinePingService() : new PingService()));
		LongAdder accepted = new LongAdder();
		LongAdder rejected = new LongAdder();
		VerdictSink counting = verdict -> (verdict.accepted() ? accepted : rejected).increment();
		VerdictSink sink = counting;
		CallObserver observer = CallObserver.none();
		TransportEvents events = TransportEvents.none();
		MeterRegistry meters = new SimpleMeterRegistry();
		if (observe) {
			ObservationRegistry observations = ObservationRegistry.create();
			// as Spring Boot groups meter handlers with the starter: Peergate's handler first, Micrometer's default
			// for every other observation
			observations.observationConfig()
				.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
						new PeergateMeterObservationHandler(meters, false), new DefaultMeterObservationHandler(meters)));
			ObservationVerdictSink observed = new ObservationVerdictSink(observations, null);
			sink = verdict -> {
				counting.accept(verdict);
				observed.accept(verdict);
			};
			// the method tag is bounded to served methods, as the auto-configuration does
			observer = new ObservationCallObserver(observations, null, method -> {
				int dot = method.lastIndexOf('.');
				return dot > 0 && methods.findInterface(method.substring(0, dot))
					.map(descriptor -> descriptor.methods().containsKey(method.substring(dot + 1)))
					.orElse(false);
			});
			events = new MeterTransportEvents(meters);
		}
		ExecutableDigests digests = new ExecutableDigests(256);
		LinuxPeerInspector inspector = new LinuxPeerInspector(digests);
		Gate gate = new Gate("bench", inspector.mechanism(), requirement, sink);
		// -Dbench.executor=platform: the pool on platform threads even where virtual threads exist (as
		// peergate.handlers.virtual-threads=false), to compare the two on one JVM
		HandlerExecutor executor = "platform".equals(System.getProperty("bench.executor"))
				? HandlerExecutor.platform(64, 256) : HandlerExecutor.create(64, 256);
		Dispatcher dispatcher = new Dispatcher(methods, executor, Duration.ofSeconds(30), observer);
		UnixListenerOptions options = UnixListenerOptions.defaults(socket)
			.withMode("0600")
			.withSocketActivation(false)
			.withMaxConnections(1024)
			.withIoThreads(Integer.getInteger("bench.io-threads", 1));
		UnixListener listener = new UnixListener("bench", options, gate, dispatcher, events, inspector);
		listener.start();
		System.out.println("READY mechanism=" + inspector.mechanism().tag() + " requirement="
				+ requirement.describe() + " observe=" + observe + " inline=" + inline);
		System.out.flush();
		InputStream stdin = System.in;
		while (stdin.read() != -1) {
			// the driver closes stdin to stop the server
		}
		listener.stop(Duration.ofSeconds(2));
		dispatcher.close();
		System.out.println("STATS accepted=" + accepted.sum() + " rejected=" + rejected.sum() + " digestMisses="
				+ digests.computedCount() + (observe ? " requestTimers=" + meters.getMeters().size() : ""));
	}

	private static PeerRequirement requirement(String spec, long uid) throws IOException {
		if (spec.equals("same-user")) {
			return LinuxRequirements.sameUser(uid);
		}
		if (spec.startsWith("executable:")) {
			Path executable = Path.of(spec.substring("executable:".length())).toRealPath();
			return FactRequirements.linux(Map.of("uid", uid, "executable-path", executable.toString(),
					"executable-sha256", sha256(executable)), "bench", new NoNames());
		}
		throw new IllegalArgumentException("same-user or executable:<file>, not " + spec);
	}

	private static String sha256(Path file) throws IOException {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The requirement names ids only. */
	private static final class NoNames implements IdResolver {

		@Override
		public java.util.OptionalLong userId(String name) {
			return java.util.OptionalLong.empty();
		}

		@Override
		public java.util.OptionalLong groupId(String name) {
			return java.util.OptionalLong.empty();
		}

	}

}
