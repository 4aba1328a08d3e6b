package com.example.helper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.peergate.xpc.jna.NativeLibraries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installer command finds the rights the configuration requires and fails clearly where it cannot define them
 * (the definitions themselves are tested through the libxpc ABI simulator: AuthorizationRightsInstallerTests).
 */
@Timeout(60)
class AuthorizationRightsCommandTests {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Test
	void failsWhenNoMethodNamesARight() {
		assertThat(run()).isEqualTo(1);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).isEqualTo("failed: no method names an "
				+ "authorization-right (peergate.listeners.<name>.methods[<method>].authorization-right)\n");
	}

	@Test
	@DisabledOnOs(OS.MAC)
	void saysAuthorizationServicesNeedMacOsElsewhere() {
		assertThat(run("--rule=group:admin",
				"--peergate.listeners.helper.methods[com.example.helper.ClearCache].authorization-right="
						+ "com.example.helper.clear-cache"))
			.isEqualTo(1);
		assertThat(this.err.toString(StandardCharsets.UTF_8))
			.startsWith("failed: Authorization Services need macOS (Security.framework could not be loaded: ");
		assertThat(this.out.size()).isZero();
	}

	private int run(String... arguments) {
		return AuthorizationRightsCommand.run(arguments, NativeLibraries.MACOS,
				new PrintStream(this.out, true, StandardCharsets.UTF_8), new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

}
