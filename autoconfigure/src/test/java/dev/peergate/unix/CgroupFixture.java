package dev.peergate.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/** A throw-away cgroup v2 (slice/unit) that is removed again once its processes have exited. */
final class CgroupFixture implements AutoCloseable {

	private final Path slice;

	private final Path unit;

	private CgroupFixture(Path slice, Path unit) {
		this.slice = slice;
		this.unit = unit;
	}

	/** Mount point of the cgroup v2 hierarchy, if there is one we may write to. */
	static @Nullable Path cgroup2Mount() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
			String[] halves = line.split(" - ", 2);
			if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
				Path mount = Path.of(halves[0].split(" ")[4]);
				return Files.isWritable(mount) ? mount : null;
			}
		}
		return null;
	}

	static CgroupFixture create(Path root, String slice, String unit) throws IOException {
		Path slicePath = root.resolve(slice);
		Path unitPath = slicePath.resolve(unit);
		Files.createDirectories(unitPath);
		return new CgroupFixture(slicePath, unitPath);
	}

	Path procs() {
		return this.unit.resolve("cgroup.procs");
	}

	@Override
	public void close() throws IOException {
		// A cgroup can be removed once it is empty; exited peers leave it as soon as they are reaped.
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
			Files.deleteIfExists(this.unit);
			return true;
		});
		Files.deleteIfExists(this.slice);
	}

}
