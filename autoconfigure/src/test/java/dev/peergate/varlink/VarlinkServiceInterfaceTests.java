package dev.peergate.varlink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.peergate.core.Peer;
import dev.peergate.handler.CallContext;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.MethodRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VarlinkServiceInterfaceTests {

	private final AtomicReference<MethodRegistry> registry = new AtomicReference<>();

	private final VarlinkServiceInterface service = new VarlinkServiceInterface("Example", "helper", "1.2",
			"https://example.com/helper", this.registry::get);

	private final Dispatcher dispatcher;

	VarlinkServiceInterfaceTests() {
		this.registry.set(MethodRegistry.of(List.of(new Everywhere(), new AdminOnly())).with(List.of(this.service)));
		this.dispatcher = new Dispatcher(this.registry.get(), HandlerExecutor.platform(2, 8), Duration.ofSeconds(30),
				CallObserver.none());
	}

	@AfterEach
	void close() {
		this.dispatcher.close();
	}

	@Test
	void getInfoDescribesTheServiceAndListsInterfacesServedOnTheCallersListener() throws Exception {
		IpcReply reply = call("main", "org.varlink.service.GetInfo", Map.of());
		assertThat(reply.error()).isNull();
		assertThat(reply.parameters()).containsExactly(Map.entry("vendor", "Example"), Map.entry("product", "helper"),
				Map.entry("version", "1.2"), Map.entry("url", "https://example.com/helper"),
				Map.entry("interfaces", List.of("com.example.everywhere", "org.varlink.service")));
		assertThat(call("admin", "org.varlink.service.GetInfo", Map.of()).parameters().get("interfaces"))
			.isEqualTo(List.of("com.example.admin", "com.example.everywhere", "org.varlink.service"));
	}

	@Test
	void getInterfaceDescriptionReturnsTheGeneratedIdl() throws Exception {
		IpcReply reply = call("main", "org.varlink.service.GetInterfaceDescription",
				Map.of("interface", "com.example.everywhere"));
		assertThat(reply.error()).isNull();
		assertThat(reply.parameters()).containsOnlyKeys("description");
		assertThat(reply.parameters().get("description")).isEqualTo("""
				interface com.example.everywhere

				method Echo(text: string) -> (text: string)
				""");
	}

	@Test
	void getInterfaceDescriptionDescribesOrgVarlinkServiceItself() throws Exception {
		IpcReply reply = call("main", "org.varlink.service.GetInterfaceDescription",
				Map.of("interface", "org.varlink.service"));
		assertThat((String) reply.parameters().get("description")).startsWith("""
				# The Varlink Service Interface is provided by every varlink service. It
				# describes the service and the interfaces it implements.
				interface org.varlink.service
				""").contains("method GetInterfaceDescription(interface: string) -> (description: string)");
	}

	@Test
	void unknownInterfaceIsInterfaceNotFound() throws Exception {
		IpcReply reply = call("main", "org.varlink.service.GetInterfaceDescription",
				Map.of("interface", "com.example.nothing"));
		assertThat(reply.error()).isEqualTo("org.varlink.service.InterfaceNotFound");
		assertThat(reply.parameters()).isEqualTo(Map.of("interface", "com.example.nothing"));
	}

	@Test
	void interfaceOfAnotherListenerIsInterfaceNotFound() throws Exception {
		IpcReply reply = call("main", "org.varlink.service.GetInterfaceDescription",
				Map.of("interface", "com.example.admin"));
		assertThat(reply.error()).isEqualTo("org.varlink.service.InterfaceNotFound");
	}

	@Test
	void missingInterfaceParameterIsInvalidParameterNamingItsWireName() throws Exception {
		IpcReply reply = call("main", "org.varlink.service.GetInterfaceDescription", Map.of());
		assertThat(reply.error()).isEqualTo("org.varlink.service.InvalidParameter");
		assertThat(reply.parameters()).isEqualTo(Map.of("parameter", "interface"));
	}

	private IpcReply call(String listener, String method, Map<String, @Nullable Object> parameters)
			throws InterruptedException {
		BlockingQueue<IpcReply> replies = new LinkedBlockingQueue<>();
		Peer peer = new Peer(listener, "in-process", 0, 0, List.of(), Map.of(), -1);
		this.dispatcher.dispatch(new CallContext(listener, "in-process", peer), IpcRequest.call(method, parameters),
				replies::add);
		IpcReply reply = replies.poll(30, TimeUnit.SECONDS);
		assertThat(reply).as("reply to %s", method).isNotNull();
		return reply;
	}

	record Text(String text) {
	}

	@IpcInterface("com.example.everywhere")
	static class Everywhere {

		@IpcMethod
		Text echo(Text text) {
			return text;
		}

	}

	@IpcInterface(value = "com.example.admin", listeners = "admin")
	static class AdminOnly {

		@IpcMethod
		void reset() {
		}

	}

}
