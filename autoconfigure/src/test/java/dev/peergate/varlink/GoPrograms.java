package dev.peergate.varlink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds and runs the Go programs of the varlink project that tests check Peergate against: the IDL parser (through
 * {@code src/test/go/idlcheck}) and the certification program. Go sources come from the Debian
 * {@code golang-github-varlink-go-dev} tree (override the root with the {@code PEERGATE_GOCODE} environment
 * variable); tests skip with a reason when Go or the sources are missing.
 */
public final class GoPrograms {

	private static final Path WORK = Path.of("target", "go").toAbsolutePath();

	private static final String VARLINK_IMPORT = "github.com/varlink/go";

	private static @Nullable Path idlcheck;

	private static @Nullable Path certification;

	private GoPrograms() {
	}

	/** The built idlcheck program; skips the test when it cannot be built here. */
	public static synchronized Path idlcheck() {
		if (idlcheck == null) {
			Path output = WORK.resolve("bin/idlcheck");
			build(Path.of("src/test/go/idlcheck").toAbsolutePath().toString(), output);
			idlcheck = output;
		}
		return idlcheck;
	}

	/**
	 * The {@code varlink-go-certification} program: the installed one, else built from the Go sources; skips the
	 * test when neither is possible.
	 */
	public static synchronized Path certification() {
		if (certification == null) {
			Optional<Path> installed = onPath("varlink-go-certification");
			if (installed.isPresent()) {
				certification = installed.get();
			}
			else {
				Path output = WORK.resolve("bin/varlink-go-certification");
				build(VARLINK_IMPORT + "/cmd/varlink-go-certification", output);
				certification = output;
			}
		}
		return certification;
	}

	/** Runs a program with the given stdin; returns exit code and stdout+stderr. */
	public static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(command + " did not finish");
		}
		return new Result(process.exitValue(), output);
	}

	/** Exit code and output of a program. */
	public record Result(int exitCode, String output) {

	}

	private static void build(String target, Path output) {
		Optional<Path> go = onPath("go");
		assumeTrue(go.isPresent(), "Go toolchain ('go') is not installed; install golang-go to run this test");
		Path gocode = Path.of(Optional.ofNullable(System.getenv("PEERGATE_GOCODE")).orElse("/usr/share/gocode"));
		Path varlinkSources = gocode.resolve("src").resolve(VARLINK_IMPORT);
		assumeTrue(Files.isDirectory(varlinkSources.resolve("varlink/idl")), "varlink Go sources not found under "
				+ gocode + "; install golang-github-varlink-go-dev or set PEERGATE_GOCODE");
		try {
			// A private GOPATH holding only the varlink tree: the build sees exactly the sources we check against.
			Path gopath = WORK.resolve("gopath");
			Path link = gopath.resolve("src").resolve(VARLINK_IMPORT);
			if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
				Files.createDirectories(link.getParent());
				Files.createSymbolicLink(link, varlinkSources);
			}
			Files.createDirectories(output.getParent());
			List<String> command = new ArrayList<>(List.of(go.get().toString(), "build", "-o", output.toString()));
			command.add(target.startsWith("/") ? "." : target);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			if (target.startsWith("/")) {
				builder.directory(Path.of(target).toFile());
			}
			Map<String, String> environment = builder.environment();
			environment.put("GOPATH", gopath.toString());
			environment.put("GO111MODULE", "off");
			environment.put("GOFLAGS", "");
			environment.put("GOCACHE", WORK.resolve("cache").toString());
			Process process = builder.start();
			String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException("go build " + target + " failed:\n" + log);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not build " + target, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while building " + target, ex);
		}
	}

	private static Optional<Path> onPath(String program) {
		String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
		for (String directory : path.split(java.io.File.pathSeparator)) {
			if (directory.isEmpty()) {
				continue;
			}
			Path candidate = Path.of(directory, program);
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

}
