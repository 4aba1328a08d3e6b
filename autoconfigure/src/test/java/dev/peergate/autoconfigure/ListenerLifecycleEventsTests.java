package dev.peergate.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.event.ListenerEvent;
import dev.peergate.event.ListenerFailedEvent;
import dev.peergate.event.ListenerStartedEvent;
import dev.peergate.event.ListenerStoppedEvent;
import dev.peergate.inprocess.TestHandlers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;

/** Listener started, stopped and failed events, as an application listening for them sees them. */
class ListenerLifecycleEventsTests {

	private final List<ListenerEvent> events = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class))
		.withBean(TestHandlers.class)
		.withBean(Recorder.class, () -> new Recorder(this.events));

	@Test
	void publishesStartedForEveryListenerAndStoppedForEveryListenerOnClose() {
		this.runner
			.withPropertyValues("peergate.listeners.one.transport=in-process",
					"peergate.listeners.one.requirement.same-user=true", "peergate.listeners.two.transport=in-process",
					"peergate.listeners.two.requirement.same-user=true")
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(this.events).allMatch(ListenerStartedEvent.class::isInstance)
					.extracting(event -> event.listener().name())
					.containsExactlyInAnyOrder("one", "two");
			});
		assertThat(this.events).filteredOn(ListenerStoppedEvent.class::isInstance)
			.extracting(event -> event.listener().name())
			.containsExactlyInAnyOrder("one", "two");
	}

	@Test
	void keepsServingWhileTheContextIsPausedAsTheTestFrameworkPausesCachedContexts() {
		this.runner
			.withPropertyValues("peergate.listeners.one.transport=in-process",
					"peergate.listeners.one.requirement.same-user=true")
			.run(context -> {
				context.pause();
				context.restart();
				assertThat(context.getBean(PeergateListeners.class).isRunning()).isTrue();
				assertThat(context.getBean(PeergateListeners.class).listener("one").orElseThrow().state())
					.isEqualTo(dev.peergate.core.ListenerState.RUNNING);
			});
		assertThat(this.events).filteredOn(ListenerStoppedEvent.class::isInstance)
			.extracting(event -> event.listener().name())
			.containsExactly("one");
	}

	@Test
	void publishesFailedForAListenerThatCannotStartAndStoppedForTheOnesAlreadyStarted(@TempDir Path directory)
			throws Exception {
		Path unsafe = Files.createDirectory(directory.resolve("open"));
		Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rwxrwxrwx")); // no sticky bit
		this.runner
			.withPropertyValues("peergate.listeners.a-first.transport=in-process",
					"peergate.listeners.a-first.requirement.same-user=true",
					"peergate.listeners.b-unsafe.unix.path=" + unsafe.resolve("s.sock"),
					"peergate.listeners.b-unsafe.requirement.same-user=true")
			.run(context -> assertThat(context).hasFailed());
		assertThat(this.events).filteredOn(ListenerFailedEvent.class::isInstance)
			.singleElement()
			.satisfies(event -> {
				assertThat(event.listener().name()).isEqualTo("b-unsafe");
				assertThat(((ListenerFailedEvent) event).failure()).hasMessageContaining("writable");
			});
		assertThat(this.events).filteredOn(ListenerStartedEvent.class::isInstance)
			.extracting(event -> event.listener().name())
			.containsExactly("a-first");
		assertThat(this.events).filteredOn(ListenerStoppedEvent.class::isInstance)
			.extracting(event -> event.listener().name())
			.containsExactly("a-first");
	}

	static final class Recorder implements ApplicationListener<ListenerEvent> {

		private final List<ListenerEvent> events;

		Recorder(List<ListenerEvent> events) {
			this.events = events;
		}

		@Override
		public void onApplicationEvent(ListenerEvent event) {
			this.events.add(event);
		}

	}

}
