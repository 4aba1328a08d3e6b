package dev.peergate.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.peergate.core.Gate;
import dev.peergate.core.Mechanism;
import dev.peergate.core.Peer;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.TransportEvents;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.IpcClients;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcOneway;
import dev.peergate.handler.IpcStream;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.unix.UnixListener;
import dev.peergate.unix.UnixListenerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * One Java interface, both ends: the server's handler bean implements it, and the client calls it through a typed
 * proxy, over a real socket or in process.
 */
class TypedClientsTests {

	private final GreeterService greeterService = new GreeterService();

	private final Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(this.greeterService)),
			HandlerExecutor.platform(4, 16), Duration.ofSeconds(10), CallObserver.none());

	@Test
	void callsTheServersMethodsThroughTheInterfaceOverARealSocket(@TempDir Path directory) throws Exception {
		Path socket = directory.resolve("greeter.sock");
		UnixListener listener = new UnixListener("greeter", UnixListenerOptions.defaults(socket),
				new Gate("greeter", UnixListener.detectMechanism(), PeerRequirement.anyPeer(), (verdict) -> {
				}), this.dispatcher, TransportEvents.none());
		listener.start();
		try (VarlinkClient connection = VarlinkClient.builder(socket).callTimeout(Duration.ofSeconds(10)).connect()) {
			Greeter greeter = IpcClients.create(Greeter.class, IpcCallers.of(connection));
			assertThat(greeter.greet(new Name("Ada"))).isEqualTo(new Greeting("Hello, Ada"));
			List<Tick> ticks = new java.util.ArrayList<>();
			assertThat(greeter.countdown(new Count(3), ticks::add)).isEqualTo(new Tick(0));
			assertThat(ticks).containsExactly(new Tick(3), new Tick(2), new Tick(1));
			assertThat(greeter.whoAmI(null).uid()).isEqualTo(new com.sun.security.auth.module.UnixSystem().getUid());
			assertThatExceptionOfType(IpcError.class).isThrownBy(() -> greeter.greet(new Name("")))
				.satisfies((error) -> assertThat(error.name()).isEqualTo("com.example.greeter.EmptyName"));
			assertThatExceptionOfType(IpcError.class).isThrownBy(() -> greeter.greet(new Name("  ")))
				.satisfies((error) -> assertThat(error.parametersAs(BlankName.class)).isEqualTo(new BlankName(2)));
			greeter.remember(new Name("sent oneway"));
			assertThat(this.greeterService.remembered.poll(10, java.util.concurrent.TimeUnit.SECONDS))
				.isEqualTo("sent oneway");
			assertThat(greeter.toString()).isEqualTo("IpcClient[com.example.greeter]");
		}
		finally {
			listener.stop(Duration.ofSeconds(1));
		}
	}

	@Test
	void theProxySendsExactlyTheMethodsAndParametersTheGeneratedIdlDeclares() {
		String idl = dev.peergate.varlink.VarlinkIdl
			.describe(MethodRegistry.of(List.of(new GreeterService())).interfaces().get(0));
		List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
		IpcClients.Caller recording = new IpcClients.Caller() {

			@Override
			public Map<String, Object> call(String method, Map<String, Object> parameters) {
				sent.add(method + parameters.keySet());
				return method.endsWith("WhoAmI") ? Map.of("uid", 0L) : Map.of("text", "");
			}

			@Override
			public Iterable<Map<String, Object>> more(String method, Map<String, Object> parameters) {
				sent.add(method + parameters.keySet());
				return List.of(Map.of("value", 0L));
			}

			@Override
			public void oneway(String method, Map<String, Object> parameters) {
				sent.add(method + parameters.keySet());
			}

		};
		Greeter greeter = IpcClients.create(Greeter.class, recording);
		greeter.greet(new Name("Ada"));
		greeter.whoAmI(null);
		greeter.countdown(new Count(1), (tick) -> {
		});
		greeter.remember(new Name("x"));
		assertThat(sent).containsExactly("com.example.greeter.Greet[name]", "com.example.greeter.WhoAmI[]",
				"com.example.greeter.Countdown[from]", "com.example.greeter.Remember[name]");
		assertThat(idl).contains("interface com.example.greeter", "method Greet(name: string) -> (text: string)",
				"method WhoAmI() -> (uid: int)", "method Countdown(from: int) -> (value: int)",
				"method Remember(name: string) -> ()");
	}

	@Test
	void refusesAOnewayMethodThatReturnsAValue() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> IpcClients.create(OnewayWithAResult.class, (method, parameters) -> Map.of()))
			.withMessageContaining("greetLater")
			.withMessageContaining("@IpcOneway but returns a value");
	}

	@Test
	void callsInProcessAsTheStatedPeer() {
		InProcessListener listener = new InProcessListener("greeter",
				new Gate("greeter", Mechanism.STATED, PeerRequirement.anyPeer(), (verdict) -> {
				}), this.dispatcher);
		listener.start();
		try (InProcessConnection connection = listener
			.connect(PeerCredentials.builder(InProcessListener.TRANSPORT).uid(1234).build())) {
			Greeter greeter = IpcClients.create(Greeter.class, connection.caller());
			assertThat(greeter.whoAmI(null)).isEqualTo(new Who(1234));
			List<Tick> ticks = new java.util.ArrayList<>();
			assertThat(greeter.countdown(new Count(2), ticks::add)).isEqualTo(new Tick(0));
			assertThat(ticks).containsExactly(new Tick(2), new Tick(1));
			assertThat(greeter.greet(new Name("Grace")).text()).isEqualTo("Hello, Grace");
		}
		finally {
			listener.stop(Duration.ofSeconds(1));
		}
	}

	@Test
	void findsTheInterfaceThroughAnInterfaceThatExtendsIt() {
		MethodRegistry registry = MethodRegistry.of(List.of(new ExtendedGreeterService()));
		assertThat(registry.interfaces()).singleElement()
			.satisfies((descriptor) -> assertThat(descriptor.methods()).containsOnlyKeys("Countdown", "Greet", "Remember", "WhoAmI"));
	}

	@Test
	void refusesAnInterfaceWithoutIpcInterface() {
		assertThatIllegalArgumentException().isThrownBy(() -> IpcClients.create(Runnable.class, (m, p) -> Map.of()))
			.withMessageContaining("not an interface annotated with @IpcInterface");
	}

	/** Shared by the server bean and the client proxy. */
	@IpcInterface("com.example.greeter")
	public interface Greeter {

		@IpcMethod
		Greeting greet(Name name);

		@IpcMethod
		Who whoAmI(Peer peer);

		@IpcMethod
		Tick countdown(Count count, IpcStream<Tick> ticks);

		@IpcMethod
		@IpcOneway
		void remember(Name name);

	}

	/** The server's implementation. */
	public static class GreeterService implements Greeter {

		final java.util.concurrent.BlockingQueue<String> remembered = new java.util.concurrent.LinkedBlockingQueue<>();

		@Override
		public Greeting greet(Name name) {
			if (name.name().isEmpty()) {
				throw new IpcError("com.example.greeter.EmptyName");
			}
			if (name.name().isBlank()) {
				throw IpcError.of("com.example.greeter.BlankName", new BlankName(name.name().length()));
			}
			return new Greeting("Hello, " + name.name());
		}

		@Override
		public Who whoAmI(Peer peer) {
			return new Who(peer.uid());
		}

		@Override
		public Tick countdown(Count count, IpcStream<Tick> ticks) {
			for (int i = count.from(); i > 0; i--) {
				ticks.send(new Tick(i));
			}
			return new Tick(0);
		}

		@Override
		public void remember(Name name) {
			this.remembered.add(name.name());
		}

	}

	/** A oneway method must not wait for a value. */
	@IpcInterface("com.example.broken")
	public interface OnewayWithAResult {

		@IpcMethod
		@IpcOneway
		Greeting greetLater(Name name);

	}

	/** An interface that only extends the annotated one. */
	public interface ExtendedGreeter extends Greeter {

	}

	/** Implements the annotated interface through {@link ExtendedGreeter}. */
	public static class ExtendedGreeterService extends Object implements ExtendedGreeter {

		@Override
		public Greeting greet(Name name) {
			return new Greeting("Hi, " + name.name());
		}

		@Override
		public Who whoAmI(Peer peer) {
			return new Who(peer.uid());
		}

		@Override
		public Tick countdown(Count count, IpcStream<Tick> ticks) {
			return new Tick(0);
		}

		@Override
		public void remember(Name name) {
		}

	}

	/** A name. */
	public record Name(String name) {
	}

	/** Parameters of the BlankName error. */
	public record BlankName(int length) {
	}

	/** A greeting. */
	public record Greeting(String text) {
	}

	/** Who called. */
	public record Who(long uid) {
	}

	/** Where a countdown starts. */
	public record Count(int from) {
	}

	/** One tick of a countdown. */
	public record Tick(int value) {
	}

}
