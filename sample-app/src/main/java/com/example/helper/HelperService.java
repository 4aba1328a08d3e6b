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
import org.springframework.stereotype.Component;

/**
 * The helper's interface: who is asking, how full a disk is, and a streamed load report. Every method runs only
 * for peers the listener's requirement accepted.
 */
@Component
@IpcInterface(value = "com.example.helper", description = "A small helper service gated by Peergate")
@IpcErrorType(name = "NoSuchPath", parameters = HelperService.NoSuchPath.class)
public class HelperService {

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

	/** How many load samples to stream and how far apart. */
	public record LoadWatch(int samples, @Nullable Integer intervalMillis) {
	}

	/** One load sample. */
	public record LoadSample(int sequence, double loadAverage, int processors) {
	}

	/** Error parameters of NoSuchPath. */
	public record NoSuchPath(String path) {
	}

	// computed from memory in microseconds: runs on the thread that read the call, without a hand-off
	@IpcMethod(description = "Status of the helper and the verified identity of the caller", blocking = false)
	public Status status(Peer peer) {
		return new Status("1.0", Duration.between(this.started, Instant.now()).toSeconds(), peer.uid(),
				peer.summary(), peer.listener());
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

	@IpcMethod(description = "Streams the system load average: one reply per sample, the last one final")
	public LoadSample watchLoad(LoadWatch watch, IpcStream<LoadSample> samples) throws InterruptedException {
		int count = Math.max(1, Math.min(watch.samples(), 100));
		long interval = (watch.intervalMillis() != null) ? Math.max(0, watch.intervalMillis()) : 200;
		for (int i = 1; i < count && samples.isOpen(); i++) {
			samples.send(sample(i));
			Thread.sleep(interval);
		}
		return sample(count);
	}

	private static LoadSample sample(int sequence) {
		var os = ManagementFactory.getOperatingSystemMXBean();
		return new LoadSample(sequence, os.getSystemLoadAverage(), os.getAvailableProcessors());
	}

}
