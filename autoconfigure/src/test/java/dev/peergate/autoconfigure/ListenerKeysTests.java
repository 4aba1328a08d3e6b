package dev.peergate.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** A misspelt listener setting stops the start, naming it and the setting that was probably meant. */
class ListenerKeysTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class));

	@ParameterizedTest
	@CsvSource({ "requirment.same-user, true, requirement.same-user", "unix.mod, 0666, unix.mode",
			"limits.max-conections, 1, limits.max-connections", "limits.frame-timout, 1s, limits.frame-timeout",
			"unix.io-thread, 2, unix.io-threads", "requirement.linx.uid, 0, requirement.linux",
			"transprot, unix, transport" })
	void refusesAMisspeltSettingNamingItAndTheNearestOne(String key, String value, String meant,
			@TempDir Path directory) {
		this.runner
			.withPropertyValues("peergate.listeners.notes.unix.path=" + directory.resolve("s.sock"),
					"peergate.listeners.notes.transport=unix",
					"peergate.listeners.notes.requirement.same-user=true", "peergate.listeners.notes." + key + "=" + value)
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("peergate.listeners.notes." + key)
					.contains("is not a Peergate listener setting");
				assertThat(analysis.getAction()).contains("Did you mean peergate.listeners.notes." + meant + "?");
			});
	}

	@Test
	void acceptsEverySettingInRelaxedSpellingsAndTheKeysOfFactDictionaries(@TempDir Path directory) {
		this.runner
			.withPropertyValues("peergate.listeners.notes.unix.path=" + directory.resolve("s.sock"),
					"peergate.listeners.notes.unix.ioThreads=1", "peergate.listeners.notes.limits.max_in_flight=8",
					"peergate.listeners.notes.requirement.linux.uid.$in[0]=0",
					"peergate.listeners.notes.requirement.linux.uid.$in[1]=1000",
					"peergate.listeners.notes.requirement.lightweight[team-identifier]=ABCDE12345")
			.run(context -> assertThat(context).hasNotFailed());
	}

	@Test
	void knowsEveryListenerSettingFromThePropertiesClass() {
		assertThat(ListenerKeys.keys()).contains("transport", "enforcement", "unix.path", "unix.mode", "unix.io-threads",
				"xpc.service-name", "limits.max-connections-per-uid", "limits.frame-timeout", "requirement.linux",
				"requirement.code-signing", "requirement.entitlement-value");
	}

}
