package com.example.helper;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.peergate.core.Peer;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcErrorType;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;

/**
 * The helper's interface: who is asking, how full a disk is, and a streamed load report. Every method runs only
 * for peers the listener's requirement accepted.
 */
@Component
@IpcInterface(value = "com.example.helper", description = "A small helper service gated by Peergate")
@IpcErrorType(name = "NoSuchPath", parameters = HelperService.NoSuchPath.class)
@IpcErrorType(name = "OutOfRange", parameters = HelperService.OutOfRange.class)
public class HelperService {

	/** Samples per watch: a stream is for watching, not for an unbounded download. */
	static final int MAX_SAMPLES = 100;

	/**
	 * The fastest sampling a peer may ask for: the load average changes every few seconds, and a stream that
	 * sends as fast as it can costs the server a handler thread and the peer's whole reply buffer for nothing.
	 */
	static final int MIN_INTERVAL_MILLIS = 50;

	/** The slowest: with 100 samples a watch still ends within minutes, not hours. */
	static final int MAX_INTERVAL_MILLIS = 10_000;

	private final Instant started = Instant.now();

	/** Status of the helper and what it knows about the caller. */
	public record Status(String version, long uptimeSeconds, long callerUid, String caller, String listener) {
	}

	/** A path on a mounted file system. */
	public record DiskQuery(String path) {
	}

	/** Space on the file system holding the path. */
	public record DiskUsage(String path, String fileSystem, long totalBytes, long usableBytes, int usedPercent) {
	}

	/** How many load samples to stream (1 to 100) and how far apart (50 to 10,000 ms, default 200). */
	public record LoadWatch(int samples, @Nullable Integer intervalMillis) {
	}

	/** One load sample. */
	public record LoadSample(int sequence, double loadAverage, int processors) {
	}

	/** What ClearCache did. */
	public record Cleared(int entries) {
	}

	/** When Reload reloaded. */
	public record Reloaded(String at) {
	}

	/** Error parameters of NoSuchPath. */
	public record NoSuchPath(String path) {
	}

	/** Error parameters of OutOfRange: the parameter, the value given and the range it must lie in. */
	public record OutOfRange(String parameter, long value, long min, long max) {
	}

	// computed from memory in microseconds: runs on the thread that read the call, without a hand-off
	@IpcMethod(description = "Status of the helper and the verified identity of the caller", blocking = false)
	public Status status(Peer peer) {
		return new Status("1.0", Duration.between(this.started, Instant.now()).toSeconds(), peer.uid(),
				peer.summary(), peer.listener());
	}

	/**
	 * A privileged method: besides the listener's requirement (same user), the configuration requires the caller
	 * to run the admin tool ({@code peergate.listeners.helper.methods[com.example.helper.ClearCache]}); any other
	 * caller gets PermissionDenied and keeps its connection for the other methods.
	 */
	@IpcMethod(description = "Clears the helper's cache; only for the admin tool (see application.yml)")
	public Cleared clearCache() {
		return new Cleared(0);
	}

	/**
	 * A privileged method guarded by Spring Security rather than configuration: the caller's verified uid is an
	 * authority ({@code uid:0}) of the {@code PeerAuthentication} Peergate puts in the security context; anyone else
	 * gets PermissionDenied ({@code @EnableMethodSecurity} on {@link HelperApplication}).
	 */
	@IpcMethod(description = "Reloads the helper's settings; only for root (@PreAuthorize)")
	@PreAuthorize("hasAuthority('uid:0')")
	public Reloaded reload() {
		return new Reloaded(Instant.now().toString());
	}

	@IpcMethod(description = "Total and usable space of the file system holding a path")
	public DiskUsage diskUsage(DiskQuery query) {
		Path path = Path.of(query.path());
		if (!Files.exists(path)) {
			throw IpcError.of("com.example.helper.NoSuchPath", new NoSuchPath(query.path()));
		}
		try {
			FileStore store = Files.getFileStore(path);
			long total = store.getTotalSpace();
			long usable = store.getUsableSpace();
			int used = (total > 0) ? (int) Math.round(100.0 * (total - usable) / total) : 0;
			return new DiskUsage(query.path(), store.name(), total, usable, used);
		}
		catch (IOException ex) {
			throw IpcError.of("com.example.helper.NoSuchPath", new NoSuchPath(query.path()));
		}
	}

	@IpcMethod(description = "Streams the system load average: one reply per sample, the last one final; samples 1 to "
			+ "100, intervalMillis 50 to 10000 (default 200), else OutOfRange")
	public LoadSample watchLoad(LoadWatch watch, IpcStream<LoadSample> samples) throws InterruptedException {
		// Refused rather than clamped: a caller asking for a tight loop learns that it will not get one.
		int count = (int) requireInRange("samples", watch.samples(), 1, MAX_SAMPLES);
		long interval = (watch.intervalMillis() != null)
				? requireInRange("intervalMillis", watch.intervalMillis(), MIN_INTERVAL_MILLIS, MAX_INTERVAL_MILLIS)
				: 200;
		for (int i = 1; i < count && samples.isOpen(); i++) {
			samples.send(sample(i));
			Thread.sleep(interval);
		}
		return sample(count);
	}

	private static long requireInRange(String parameter, long value, long min, long max) {
		if (value < min || value > max) {
			throw IpcError.of("com.example.helper.OutOfRange", new OutOfRange(parameter, value, min, max));
		}
		return value;
	}

	private static LoadSample sample(int sequence) {
		var os = ManagementFactory.getOperatingSystemMXBean();
		return new LoadSample(sequence, os.getSystemLoadAverage(), os.getAvailableProcessors());
	}

}
