package dev.peergate.unix.peer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * SHA-256 of executables, cached by file identity (device, inode, size, modification and change time) so that a
 * busy peer binary is hashed once. The identity is read before and after hashing; a file that changed meanwhile is
 * hashed but not cached.
 *
 * <pre>{@code
 * ExecutableDigests digests = new ExecutableDigests(256);
 * String sha256 = digests.sha256(Path.of("/proc/4242/exe"));
 * }</pre>
 */
public final class ExecutableDigests {

	private final Map<Identity, String> cache;

	private final int capacity;

	private long computed;

	/** A cache holding at most {@code capacity} digests (least recently used evicted). */
	public ExecutableDigests(int capacity) {
		this.capacity = capacity;
		this.cache = new LinkedHashMap<>(16, 0.75f, true) {

			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<Identity, String> eldest) {
				return size() > ExecutableDigests.this.capacity;
			}

		};
	}

	/**
	 * Lower-case hex SHA-256 of the file the path resolves to. For {@code /proc/<pid>/exe} the JDK opens the
	 * executable's inode itself, even if its path was replaced or deleted.
	 */
	public String sha256(Path file) throws IOException {
		Identity before = Identity.of(file);
		String cached = cached(before);
		if (cached != null) {
			return cached;
		}
		String digest = hash(file);
		Identity after = Identity.of(file);
		if (before.equals(after)) {
			synchronized (this.cache) {
				this.cache.put(before, digest);
				this.computed++;
			}
		}
		return digest;
	}

	/**
	 * The digest of the file the path resolves to if it is cached for the file's current identity (one
	 * {@code stat}, no read of the file); empty when only {@link #sha256} could tell.
	 */
	public Optional<String> cachedSha256(Path file) throws IOException {
		return Optional.ofNullable(cached(Identity.of(file)));
	}

	private @Nullable String cached(Identity identity) {
		synchronized (this.cache) {
			return this.cache.get(identity);
		}
	}

	/** How many digests were computed and cached so far (cache misses). */
	public long computedCount() {
		synchronized (this.cache) {
			return this.computed;
		}
	}

	private static String hash(Path file) throws IOException {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JDK always provides SHA-256", ex);
		}
		byte[] buffer = new byte[64 * 1024];
		try (InputStream in = Files.newInputStream(file)) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				digest.update(buffer, 0, read);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private record Identity(long device, long inode, long size, Object modified, Object changed) {

		static Identity of(Path file) throws IOException {
			Map<String, Object> attributes = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime");
			return new Identity(((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue(),
					((Number) attributes.get("size")).longValue(), Objects.requireNonNull(attributes.get("lastModifiedTime")),
					Objects.requireNonNull(attributes.get("ctime")));
		}

	}

}
