package dev.peergate.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.peergate.core.Gate;
import dev.peergate.core.ListenerState;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerRequirement;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.inprocess.TestHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * What an application processed ahead of time needs from Peergate: hints for its own reflective and native access,
 * hints for every handler method and the records it binds, and {@code peergate.enabled} honoured at startup
 * although the auto-configuration's condition was decided at build time.
 */
class PeergateAotTests {

	@Test
	void hintsTheJnaLibrariesCallbacksAndNativeResources() {
		RuntimeHints hints = new RuntimeHints();
		new PeergateRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (String library : PeergateRuntimeHints.LIBRARIES) {
			assertThat(RuntimeHintsPredicates.proxies().forInterfaces(TypeReference.of(library))).accepts(hints);
		}
		for (String callback : PeergateRuntimeHints.CALLBACKS) {
			assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(callback))).accepts(hints);
		}
		for (String libc : PeergateRuntimeHints.DIRECT_MAPPED_LIBC) {
			assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(libc))).accepts(hints);
		}
		assertThat(RuntimeHintsPredicates.resource()
			.forResource("META-INF/native/libnetty_transport_native_epoll_x86_64.so")).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("com/sun/jna/linux-x86-64/libjnidispatch.so"))
			.accepts(hints);
	}

	@Test
	void hintsNameTypesThatExist() {
		for (String type : concat(PeergateRuntimeHints.LIBRARIES, PeergateRuntimeHints.CALLBACKS,
				PeergateRuntimeHints.DIRECT_MAPPED_LIBC)) {
			assertThatNoException().as(type)
				.isThrownBy(() -> Class.forName(type, false, getClass().getClassLoader()));
		}
	}

	@Test
	void hintsEveryHandlerMethodAndTheRecordsItBinds() {
		GenericApplicationContext context = new GenericApplicationContext();
		context.registerBean(TestHandlers.class);
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Application")), new InMemoryGeneratedFiles());
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		RuntimeHints hints = generation.getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection().onMethod(TestHandlers.class, "greet").invoke()).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethod(TestHandlers.class, "countdown").invoke())
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(TestHandlers.Greeting.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(TestHandlers.Tick.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(TestHandlers.NotFound.class)).accepts(hints);
	}

	@Test
	void doesNotStartListenersWhenPeergateIsDisabledAtStartup() {
		TestHandlers handlers = new TestHandlers();
		Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(handlers)), HandlerExecutor.platform(1, 1),
				Duration.ofSeconds(1), CallObserver.none());
		InProcessListener listener = new InProcessListener("helper",
				new Gate("helper", Mechanism.STATED, PeerRequirement.anyPeer(), verdict -> {
				}), dispatcher);
		AtomicBoolean enabled = new AtomicBoolean(false);
		PeergateListeners listeners = new PeergateListeners(List.of(listener), event -> {
		}, enabled::get, Duration.ZERO);
		listeners.start();
		assertThat(listener.state()).isEqualTo(ListenerState.NEW);
		assertThat(listeners.isRunning()).isFalse();
		enabled.set(true);
		listeners.start();
		assertThat(listener.state()).isEqualTo(ListenerState.RUNNING);
		listeners.stop();
		dispatcher.close();
	}

	@SafeVarargs
	private static List<String> concat(List<String>... lists) {
		return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
	}

}
