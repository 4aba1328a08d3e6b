package dev.peergate.requirement.facts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * {@link IdResolver} backed by {@code getent}, with the classic files as fallback. Runs only at startup, when a
 * requirement is built; a name service that hangs is given up on after a few seconds.
 */
final class SystemIdResolver implements IdResolver {

	static final SystemIdResolver INSTANCE = new SystemIdResolver("getent", Path.of("/etc/passwd"),
			Path.of("/etc/group"));

	private static final long TIMEOUT_SECONDS = 10;

	/** getent's exit status for "key not found in database". */
	private static final int GETENT_NOT_FOUND = 2;

	private final String getent;

	private final Path passwd;

	private final Path group;

	SystemIdResolver(String getent, Path passwd, Path group) {
		this.getent = getent;
		this.passwd = passwd;
		this.group = group;
	}

	@Override
	public OptionalLong userId(String name) {
		return resolve("passwd", name, this.passwd);
	}

	@Override
	public OptionalLong groupId(String name) {
		return resolve("group", name, this.group);
	}

	private OptionalLong resolve(String database, String name, Path file) {
		if (name.isEmpty() || name.startsWith("-") || name.contains(":")) {
			return OptionalLong.empty();
		}
		Lookup lookup = getent(database, name);
		if (lookup.answered()) {
			return lookup.id();
		}
		return fromFile(file, name);
	}

	private record Lookup(boolean answered, OptionalLong id) {

	}

	private Lookup getent(String database, String name) {
		Process process;
		try {
			process = new ProcessBuilder(this.getent, database, name).redirectErrorStream(false)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			// No getent (minimal container image): the files are then the only name service there is.
			return new Lookup(false, OptionalLong.empty());
		}
		try (InputStream output = process.getInputStream()) {
			process.getOutputStream().close();
			// Wait before reading: one passwd/group entry fits in the pipe buffer, and a hanging name service
			// must not block startup forever.
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return new Lookup(false, OptionalLong.empty());
			}
			byte[] bytes = output.readNBytes(64 * 1024);
			int status = process.exitValue();
			if (status == GETENT_NOT_FOUND) {
				return new Lookup(true, OptionalLong.empty());
			}
			if (status != 0) {
				return new Lookup(false, OptionalLong.empty());
			}
			String line = new String(bytes, StandardCharsets.UTF_8).lines().findFirst().orElse("");
			OptionalLong id = idOf(line, name);
			return new Lookup(id.isPresent(), id);
		}
		catch (IOException ex) {
			process.destroyForcibly();
			return new Lookup(false, OptionalLong.empty());
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			return new Lookup(false, OptionalLong.empty());
		}
	}

	private static OptionalLong fromFile(Path file, String name) {
		List<String> lines;
		try {
			lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return OptionalLong.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file + " to resolve '" + name + "'", ex);
		}
		for (String line : lines) {
			OptionalLong id = idOf(line, name);
			if (id.isPresent()) {
				return id;
			}
		}
		return OptionalLong.empty();
	}

	/** The id (third field) of a passwd or group line for {@code name}, or empty. */
	static OptionalLong idOf(String line, String name) {
		String[] fields = line.split(":", -1);
		if (fields.length < 3 || !fields[0].equals(name)) {
			return OptionalLong.empty();
		}
		@Nullable Long id = ValueType.integral(fields[2]);
		return (id != null && id >= 0) ? OptionalLong.of(id) : OptionalLong.empty();
	}

	@Override
	public String toString() {
		return "getent (falling back to " + this.passwd + " and " + this.group + ")";
	}

}
