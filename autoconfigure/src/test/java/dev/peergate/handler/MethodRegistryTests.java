package dev.peergate.handler;

import java.util.List;

import dev.peergate.inprocess.TestHandlers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Discovery of {@link IpcInterface} beans and the declaration errors it refuses. */
class MethodRegistryTests {

	@Test
	void namesMethodsWithUpperCasedJavaNames() {
		MethodRegistry registry = MethodRegistry.of(List.of(new TestHandlers()));
		assertThat(registry.findInterface("com.example.test")).hasValueSatisfying(descriptor -> assertThat(
				descriptor.methods()).containsKeys("Greet", "WhoAmI", "Countdown", "Slow", "NotifyMe", "Lookup", "Crash"));
	}

	@Test
	void recordsStreamingMethodsAndTheirReplyType() {
		MethodDescriptor countdown = MethodRegistry.of(List.of(new TestHandlers()))
			.lookup("any", "com.example.test.Countdown");
		assertThat(countdown.streaming()).isTrue();
		assertThat(countdown.replyType()).isEqualTo(TestHandlers.Tick.class);
		assertThat(countdown.parameterType()).isEqualTo(TestHandlers.Count.class);
	}

	@Test
	void recordsDeclaredErrors() {
		assertThat(MethodRegistry.of(List.of(new TestHandlers())).findInterface("com.example.test"))
			.hasValueSatisfying(descriptor -> assertThat(descriptor.errors()).containsEntry("NotFound",
					TestHandlers.NotFound.class));
	}

	@Test
	void refusesInterfaceNameThatIsNotReverseDomain() {
		assertThatIllegalStateException().isThrownBy(() -> MethodRegistry.of(List.of(new BadName())))
			.withMessageContaining("not a lower-case reverse-domain interface name");
	}

	@Test
	void refusesUnsupportedParameterType() {
		assertThatIllegalStateException().isThrownBy(() -> MethodRegistry.of(List.of(new BadParameter())))
			.withMessageContaining("parameter 1 of type java.lang.String is not supported");
	}

	@Test
	void refusesTwoBeansDeclaringTheSameInterface() {
		assertThatIllegalStateException()
			.isThrownBy(() -> MethodRegistry.of(List.of(new TestHandlers(), new TestHandlers())))
			.withMessageContaining("'com.example.test' is declared by both");
	}

	@Test
	void servesInterfaceOnlyOnItsListeners() {
		MethodRegistry registry = MethodRegistry.of(List.of(new AdminOnly()));
		assertThat(registry.interfaces("admin")).hasSize(1);
		assertThat(registry.interfaces("public")).isEmpty();
	}

	@IpcInterface("nodots")
	static class BadName {

		@IpcMethod
		void ping() {
		}

	}

	@IpcInterface("com.example.bad")
	static class BadParameter {

		@IpcMethod
		void ping(String text) {
		}

	}

	@IpcInterface(value = "com.example.admin", listeners = "admin")
	static class AdminOnly {

		@IpcMethod
		void ping() {
		}

	}

}
