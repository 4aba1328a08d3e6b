package dev.peergate.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.test.example.Logs;
import dev.peergate.unix.LinuxAssumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A configured client whose interface passes file descriptors gets them, from a listener in the same application
 * over a real socket: the helper opens the log, the caller reads it through the descriptor.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeergateClientDescriptorsTests {

	@TempDir
	Path directory;

	@Test
	void aConfiguredClientReadsTheLogTheHelperOpenedForIt() throws IOException {
		LinuxAssumptions.assumeLinuxTransport();
		Files.writeString(this.directory.resolve("audit.log"), "an audit line");
		Path socket = this.directory.resolve("logs.sock");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
					PeergateClientAutoConfiguration.class))
			.withBean(LogsService.class, () -> new LogsService(this.directory))
			.withPropertyValues("peergate.listeners.logs.unix.path=" + socket,
					"peergate.listeners.logs.requirement.same-user=true", "peergate.clients.logs.unix.path=" + socket,
					"peergate.clients.logs.interface=" + Logs.class.getName(),
					"peergate.clients.logs.server-requirement.same-user=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (IpcFileDescriptor log = context.getBean("logsPeergateClient", Logs.class).open(new Logs.LogName("audit.log")).file()) {
					assertThat(Files.readString(log.path())).isEqualTo("an audit line");
				}
			});
	}

	static class LogsService implements Logs {

		private final Path directory;

		LogsService(Path directory) {
			this.directory = directory;
		}

		@Override
		public LogFile open(LogName name) throws IOException {
			return new LogFile(IpcFileDescriptor.open(this.directory.resolve(name.name()), StandardOpenOption.READ));
		}

	}

}
