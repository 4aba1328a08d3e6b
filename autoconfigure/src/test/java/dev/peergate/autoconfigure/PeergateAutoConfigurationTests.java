package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.LogRecord;

import dev.peergate.core.LogCapture;
import dev.peergate.core.LoggingVerdictSink;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerListener;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.inprocess.TestHandlers;
import dev.peergate.unix.UnixListener;
import dev.peergate.unix.UnixListenerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The core auto-configuration: listener creation and fail-closed validation. */
class PeergateAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class))
		.withBean(TestHandlers.class);

	@Test
	void startsWithoutListenersWhenNoneAreConfigured() {
		this.runner.run(context -> assertThat(context.getBean(PeergateListeners.class).listeners()).isEmpty());
	}

	@Test
	void runsHandlersOnThePlatformPoolUnlessVirtualThreadsAreAskedFor() {
		this.runner.run(context -> assertThat(context.getBean(HandlerExecutor.class).usesVirtualThreads()).isFalse());
		this.runner.withPropertyValues("peergate.handlers.virtual-threads=true")
			.run(context -> assertThat(context.getBean(HandlerExecutor.class).usesVirtualThreads())
				.isEqualTo(Runtime.version().feature() >= 21));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("peergate.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(PeergateListeners.class));
	}

	@Test
	void discoversIpcInterfaceBeans() {
		this.runner.run(context -> assertThat(context.getBean(MethodRegistry.class).findInterface("com.example.test"))
			.isPresent());
	}

	@Test
	void createsInProcessListenerWithSameUserRequirement() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> {
				PeerListener listener = context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
				assertThat(listener).isInstanceOf(InProcessListener.class);
				assertThat(listener.gate().mechanism()).isEqualTo(Mechanism.STATED);
				assertThat(listener.gate().requirement().describe())
					.isEqualTo("{\"uid\":" + new com.sun.security.auth.module.UnixSystem().getUid() + "}");
			});
	}

	@Test
	void tagsAllowAnyPeerListenersWithMechanismNone() {
		this.runner
			.withPropertyValues("peergate.listeners.open.transport=in-process",
					"peergate.listeners.open.requirement.allow-any-peer=true")
			.run(context -> assertThat(
					context.getBean(PeergateListeners.class).listener("open").orElseThrow().gate().mechanism())
				.isEqualTo(Mechanism.NONE));
	}

	@Test
	void refusesToStartListenerWithoutRequirementNamingTheProperty() {
		this.runner.withPropertyValues("peergate.listeners.helper.transport=in-process").run(context -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("peergate.listeners.helper.requirement")
				.contains("would accept any local process");
			assertThat(analysis.getAction()).contains("peergate.listeners.helper.requirement.linux")
				.contains("same-user: true")
				.contains("allow-any-peer: true");
		});
	}

	@Test
	void refusesAllowAnyPeerCombinedWithARequirement() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.allow-any-peer=true",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("peergate.listeners.helper.requirement.allow-any-peer")
					.contains("together with same-user");
			});
	}

	@Test
	void refusesListenerWithoutAddress() {
		this.runner.withPropertyValues("peergate.listeners.helper.requirement.same-user=true").run(context -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("has no address for this platform");
			assertThat(analysis.getAction()).contains("peergate.listeners.helper.unix.path");
		});
	}

	@Test
	void startsListenersWithTheContextAndStopsThemOnClose() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> {
				PeerListener listener = context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
				assertThat(listener.state().tag()).isEqualTo("running");
				context.close();
				assertThat(listener.state().tag()).isEqualTo("stopped");
			});
	}

	@Test
	void enforcesLinuxFactRequirementWrittenWithOperators() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.linux.uid.$in[0]=0",
					"peergate.listeners.helper.requirement.linux.uid.$in[1]=4242")
			.run(context -> {
				InProcessListener listener = (InProcessListener) context.getBean(PeergateListeners.class)
					.listener("helper")
					.orElseThrow();
				assertThat(listener.connect(PeerCredentials.builder("in-process").uid(4242).build()).verdict().accepted()).isTrue();
				assertThat(listener.connect(PeerCredentials.builder("in-process").uid(1001).build()).verdict().explanation()).contains("uid").contains("1001");
			});
	}

	@Test
	void refusesInvalidCodeSigningRequirementOnEveryOsWithItsPosition() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.same-user=true",
					"peergate.listeners.helper.requirement.code-signing=anchor apple generic and certificate leaf[subject.OU] = 1ABCDE2345")
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.contains("peergate.listeners.helper.requirement.code-signing")
					.contains("line 1, column");
				assertThat(analysis.getAction()).contains("quote");
			});
	}

	@Test
	void refusesUnknownLinuxFactWithItsPropertyPath() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.linux.uids=0")
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("peergate.listeners.helper.requirement.linux.uids");
			});
	}

	@Test
	void refusesLinuxListenerConfiguredOnlyWithMacRequirements() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.code-signing=anchor apple generic")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(new PeergateFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
					.contains("apply to XPC peers on macOS only");
			});
	}

	@Test
	void createsUnixListenerOnTheConfiguredSocket(@TempDir Path directory) {
		Path socket = directory.resolve("helper.sock");
		this.runner
			.withPropertyValues("peergate.listeners.helper.unix.path=" + socket,
					"peergate.listeners.helper.unix.mode=0660",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> {
				PeerListener listener = context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
				assertThat(listener.transport()).isEqualTo("unix");
				assertThat(listener.address()).contains(socket.toString());
				assertThat(socket).exists();
			});
		assertThat(socket).doesNotExist();
	}

	@Test
	void givesUnixListenerTheConfiguredIoThreads(@TempDir Path directory) {
		this.runner
			.withPropertyValues("peergate.listeners.helper.unix.path=" + directory.resolve("s.sock"),
					"peergate.listeners.helper.unix.io-threads=2",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> assertThat(((UnixListener) context.getBean(PeergateListeners.class)
				.listener("helper")
				.orElseThrow()).options().ioThreads()).isEqualTo(2));
	}

	@Test
	void getInfoDescribesTheApplicationFromItsNameAndBuildInfo() {
		Properties build = new Properties();
		build.setProperty("group", "com.example");
		build.setProperty("version", "1.2.3");
		this.runner.withBean(BuildProperties.class, () -> new BuildProperties(build))
			.withPropertyValues("spring.application.name=notes", "peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> assertThat(getInfo(context)).containsEntry("vendor", "com.example")
				.containsEntry("product", "notes")
				.containsEntry("version", "1.2.3")
				.containsEntry("url", ""));
		this.runner
			.withPropertyValues("spring.application.name=notes", "peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> assertThat(getInfo(context)).containsEntry("vendor", "notes")
				.containsEntry("version", "unknown"));
	}

	private static Map<String, Object> getInfo(ApplicationContext context) {
		InProcessListener listener = (InProcessListener) context
			.getBean(PeergateListeners.class)
			.listener("helper")
			.orElseThrow();
		return listener
			.connect(PeerCredentials.builder("in-process").uid(ProcessIdentity.uid()).build())
			.call("org.varlink.service.GetInfo", Map.of());
	}

	@Test
	void theEngineAndThePropertyDefaultToTheSameSocketMode() {
		assertThat(UnixListenerOptions.defaults(Path.of("/run/x.sock")).mode())
			.isEqualTo(new PeergateProperties.Unix().getMode())
			.isEqualTo("0600");
	}

	@Test
	void endsASuggestionWithItsQuestionMarkNotAFullStopAfterIt() {
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.linux.userid=0")
			.run(context -> assertThat(new PeergateFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
				.contains("did you mean 'uid'?")
				.doesNotContain("?."));
	}

	@Test
	void refusesTwoListenersOnOneSocketPathNamingBoth(@TempDir Path directory) {
		this.runner
			.withPropertyValues("peergate.listeners.one.unix.path=" + directory.resolve("s.sock"),
					"peergate.listeners.one.requirement.same-user=true",
					"peergate.listeners.two.unix.path=" + directory.resolve("./s.sock"),
					"peergate.listeners.two.requirement.same-user=true")
			.run(context -> {
				FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("peergate.listeners.two.unix.path")
					.contains("which listener 'one' uses too");
				assertThat(analysis.getAction()).contains("peergate.listeners.one.unix.path");
			});
	}

	@Test
	void explainsASocketThatCannotBeCreatedThroughTheFailureAnalyzer(@TempDir Path directory) throws Exception {
		Path file = java.nio.file.Files.writeString(directory.resolve("not-a-directory"), "x");
		this.runner
			.withPropertyValues("peergate.listeners.helper.unix.path=" + file.resolve("s.sock"),
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("peergate.listeners.helper.unix.path")
					.contains("could not start on " + file.resolve("s.sock"));
				assertThat(analysis.getAction()).contains("directory");
			});
	}

	@Test
	void givesUnixListenerTheConfiguredHostilePeerLimits(@TempDir Path directory) {
		this.runner
			.withPropertyValues("peergate.listeners.helper.unix.path=" + directory.resolve("s.sock"),
					"peergate.listeners.helper.limits.max-connections-per-uid=7",
					"peergate.listeners.helper.limits.max-verifying=9",
					"peergate.listeners.helper.limits.frame-timeout=3s",
					"peergate.listeners.helper.limits.max-reply-buffer=2MB",
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> {
				UnixListenerOptions options = ((UnixListener) context.getBean(PeergateListeners.class)
					.listener("helper")
					.orElseThrow()).options();
				assertThat(options.maxConnectionsPerUid()).isEqualTo(7);
				assertThat(options.maxVerifying()).isEqualTo(9);
				assertThat(options.frameTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(options.maxReplyBuffer()).isEqualTo(2L * 1024 * 1024);
			});
	}

	@ParameterizedTest
	@CsvSource({ "unix.mode, rw-rw----", "unix.io-threads, 0", "limits.max-connections, 0",
			"limits.max-connections-per-uid, 0", "limits.max-verifying, 0", "limits.max-in-flight, 0",
			"limits.max-nesting-depth, 1", "limits.idle-timeout, -1s", "limits.frame-timeout, -1s",
			"limits.max-reply-buffer, 1KB", "limits.max-message-size, 10B" })
	void refusesInvalidUnixSettingNamingTheProperty(String property, String value, @TempDir Path directory) {
		this.runner
			.withPropertyValues("peergate.listeners.helper.unix.path=" + directory.resolve("s.sock"),
					"peergate.listeners.helper." + property + "=" + value,
					"peergate.listeners.helper.requirement.same-user=true")
			.run(context -> assertThat(new PeergateFailureAnalyzer().analyze(context.getStartupFailure())
				.getDescription()).contains("peergate.listeners.helper." + property));
	}

	@ParameterizedTest
	@CsvSource({ "peergate.handlers.max-concurrent, 0", "peergate.handlers.queue-capacity, -1",
			"peergate.endpoint.recent-rejections, -5", "peergate.handlers.timeout, -1s",
			"peergate.shutdown.drain-timeout, -10s", "peergate.handlers.max-stream-duration, -1m",
			"peergate.handlers.max-concurrent-per-uid, 0", "peergate.logging.interval, -1s" })
	void refusesInvalidGlobalSettingNamingTheProperty(String property, String value) {
		this.runner.withPropertyValues(property + "=" + value).run(context -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new PeergateFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains(property);
			assertThat(analysis.getAction()).contains(property);
		});
	}

	@Test
	void logsRefusalsOncePerUidInTheConfiguredInterval() {
		assertThat(refusalLog("1h", 10)).singleElement()
			.extracting(LogRecord::getMessage)
			.asString()
			.startsWith("Peergate listener 'helper' refused uid=1001 [requirement-not-satisfied, stated]: ");
	}

	@Test
	void logsEveryRefusalWhenTheIntervalIsZero() {
		assertThat(refusalLog("0", 10)).hasSize(10);
	}

	/** What the log shows after {@code refusals} refusals of uid 1001 and one acceptance. */
	private List<LogRecord> refusalLog(String interval, int refusals) {
		List<LogRecord> records = new ArrayList<>();
		this.runner
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.linux.uid=4242", "peergate.logging.interval=" + interval)
			.run(context -> {
				InProcessListener listener = (InProcessListener) context.getBean(PeergateListeners.class)
					.listener("helper")
					.orElseThrow();
				try (LogCapture log = LogCapture.of(LoggingVerdictSink.class)) {
					for (int i = 0; i < refusals; i++) {
						listener.connect(PeerCredentials.builder("in-process").uid(1001).build());
					}
					listener.connect(PeerCredentials.builder("in-process").uid(4242).build());
					records.addAll(log.records());
				}
			});
		return records;
	}

	@Test
	void refusesToStartWhenAHandlerRecordCannotBeDescribedInVarlink() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class))
			.withBean(Undescribable.class)
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("IntegerKeys.byNumber is a map keyed by java.lang.Integer");
			});
	}

	record IntegerKeys(java.util.Map<Integer, String> byNumber) {
	}

	@dev.peergate.handler.IpcInterface("com.example.undescribable")
	static class Undescribable {

		@dev.peergate.handler.IpcMethod
		void take(IntegerKeys keys) {
		}

	}

}
