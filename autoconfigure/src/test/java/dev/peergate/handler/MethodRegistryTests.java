package dev.peergate.handler;

import java.util.List;
import java.util.Map;

import dev.peergate.inprocess.TestHandlers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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

	@Test
	void ordersMethodsByJavaNameWhateverTheirDeclarationOrder() {
		assertThat(MethodRegistry.of(List.of(new Unordered())).findInterface("com.example.unordered"))
			.hasValueSatisfying((descriptor) -> assertThat(descriptor.methods().keySet()).containsExactly("Alpha",
					"Beta", "Mid", "Omega", "Zeta"));
	}

	@Test
	void letsAStreamingMethodReturnVoidAndTakesTheStreamedTypeAsItsReplyType() {
		MethodDescriptor watch = MethodRegistry.of(List.of(new VoidStream())).lookup("any", "com.example.stream.Watch");
		assertThat(watch.streaming()).isTrue();
		assertThat(watch.replyType()).isEqualTo(TestHandlers.Tick.class);
	}

	@Test
	void refusesAStreamingMethodWhoseFinalReplyIsOfAnotherType() {
		assertThatIllegalStateException().isThrownBy(() -> MethodRegistry.of(List.of(new MixedStream())))
			.withMessage("@IpcMethod " + MixedStream.class.getName() + ".watch streams "
					+ TestHandlers.Tick.class.getName() + " but returns " + TestHandlers.Reply.class.getName()
					+ "; the final reply must have the streamed type");
	}

	@Test
	void namesBothClassesThatDeclareTheSameInterface() {
		assertThatIllegalStateException().isThrownBy(() -> MethodRegistry.of(List.of(new AdminOnly(), new AdminToo())))
			.withMessage("Interface 'com.example.admin' is declared by both " + AdminOnly.class.getName() + " and "
					+ AdminToo.class.getName());
	}

	@Test
	void answersInterfaceNotFoundForAMethodWithoutInterface() {
		MethodRegistry registry = MethodRegistry.of(List.of(new TestHandlers()));
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> registry.lookup("any", "Greet"))
			.satisfies((error) -> {
				assertThat(error.name()).isEqualTo(StandardErrors.INTERFACE_NOT_FOUND);
				assertThat(error.parameters()).isEqualTo(Map.of("interface", ""));
			});
	}

	@Test
	void hasNoInterfacesWhenEmpty() {
		MethodRegistry empty = MethodRegistry.empty();
		assertThat(empty.interfaces()).isEmpty();
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> empty.lookup("any", "com.example.test.Greet"))
			.satisfies((error) -> assertThat(error.parameters()).isEqualTo(Map.of("interface", "com.example.test")));
	}

	@Test
	void addsBuiltInInterfacesToACopyAndListsAllSortedByName() {
		MethodRegistry registry = MethodRegistry.of(List.of(new TestHandlers()));
		MethodRegistry extended = registry.with(List.of(new AdminOnly()));
		assertThat(extended.interfaces()).extracting(InterfaceDescriptor::name)
			.containsExactly("com.example.admin", "com.example.test");
		assertThat(extended.lookup("admin", "com.example.admin.Ping").qualifiedName())
			.isEqualTo("com.example.admin.Ping");
		assertThat(registry.interfaces()).extracting(InterfaceDescriptor::name).containsExactly("com.example.test");
	}

	@IpcInterface("com.example.unordered")
	static class Unordered {

		@IpcMethod
		void zeta() {
		}

		@IpcMethod
		void mid() {
		}

		@IpcMethod
		void alpha() {
		}

		@IpcMethod
		void omega() {
		}

		@IpcMethod
		void beta() {
		}

	}

	@IpcInterface("com.example.stream")
	static class VoidStream {

		@IpcMethod
		void watch(IpcStream<TestHandlers.Tick> ticks) {
		}

	}

	@IpcInterface("com.example.mixed")
	static class MixedStream {

		@IpcMethod
		TestHandlers.Reply watch(IpcStream<TestHandlers.Tick> ticks) {
			return new TestHandlers.Reply("done");
		}

	}

	@IpcInterface(value = "com.example.admin")
	static class AdminToo {

		@IpcMethod
		void ping() {
		}

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
