package dev.peergate.xpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcNative;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real libxpc and Security.framework of a Mac as an {@link XpcBackend}. The clients are this JVM, so their
 * identity is the signature of the JVM's launcher ({@code java}): the accepted requirement is that binary's own
 * designated requirement and its identifier is what handlers see, both read with {@code codesign}. libxpc cannot be
 * asked how many objects are alive; the Java block targets still can.
 */
final class RealXpcBackend implements XpcBackend {

	private final String designated;

	private final String identifier;

	private final int javaBlocksBefore;

	private RealXpcBackend(String designated, String identifier) {
		this.designated = designated;
		this.identifier = identifier;
		this.javaBlocksBefore = XpcNative.load(libraries()).blocks().live();
	}

	/** Skips the test when the JVM launcher carries no signature (Security.framework would refuse it anyway). */
	static RealXpcBackend current() {
		String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		String requirement = codesign("-d", "-r-", launcher);
		String details = codesign("-d", "--verbose=2", launcher);
		String designated = line(requirement, "designated => ");
		String identifier = line(details, "Identifier=");
		if (designated == null || identifier == null) {
			Assumptions.abort("the JVM launcher " + launcher + " is not signed: " + requirement + details);
		}
		return new RealXpcBackend(designated, identifier);
	}

	private static String codesign(String... arguments) {
		String[] command = new String[arguments.length + 1];
		command[0] = "codesign";
		System.arraycopy(arguments, 0, command, 1, arguments.length);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(60, TimeUnit.SECONDS);
			return output;
		}
		catch (IOException ex) {
			return "codesign failed: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	private static @Nullable String line(String output, String prefix) {
		return output.lines()
			.filter((line) -> line.startsWith(prefix))
			.map((line) -> line.substring(prefix.length()).trim())
			.findFirst()
			.orElse(null);
	}

	@Override
	public NativeLibraries libraries() {
		return NativeLibraries.fromSystemProperties();
	}

	@Override
	public XpcRequirement acceptedRequirement() {
		return XpcRequirement.codeSigning(this.designated);
	}

	@Override
	public String clientIdentifier() {
		return this.identifier;
	}

	@Override
	public void nextClient() {
		// every client is this process
	}

	@Override
	public void assertNoLeaks() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(XpcNative.load(libraries()).blocks().live()).as("Java block targets")
				.isLessThanOrEqualTo(this.javaBlocksBefore));
	}

	@Override
	public void close() {
	}

}
