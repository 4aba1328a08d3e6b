package dev.peergate.xpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.client.IpcCallers;
import dev.peergate.client.XpcClient;
import dev.peergate.core.Peer;
import dev.peergate.handler.IpcClients;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcOneway;
import dev.peergate.handler.IpcStream;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A typed client over XPC (the libxpc ABI simulator): plain, streamed and oneway calls through the interface. */
class XpcTypedClientTests {

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	@Test
	void callsAndStreamsThroughTheInterface() {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				Helper helper = IpcClients.create(Helper.class, IpcCallers.of(client));
				assertThat(helper.echo(new HelperService.Text("hi"), null).text()).isEqualTo("hi");
				List<HelperService.Tick> ticks = new CopyOnWriteArrayList<>();
				assertThat(helper.countdown(new HelperService.Count(3), ticks::add)).isEqualTo(new HelperService.Tick(0));
				assertThat(ticks).containsExactly(new HelperService.Tick(3), new HelperService.Tick(2),
						new HelperService.Tick(1));
			}
		}
	}

	@Test
	void sendsAnIpcOnewayMethodOnewayAndReturnsWithoutAReply() throws InterruptedException {
		try (XpcFixture fixture = new XpcFixture("15.0")) {
			fixture.listen(TEAM, Enforcement.OBSERVED);
			try (XpcClient client = fixture.client(SimPeer.teamCli())) {
				Helper helper = IpcClients.create(Helper.class, IpcCallers.of(client));
				// Produce streams; called oneway it runs to its end and sends nothing back
				helper.produce(new HelperService.Count(2));
				assertThat(fixture.helper.produceEnded.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
				assertThat(fixture.helper.produced).hasValue(2);
			}
		}
	}

	/** The client's view of the test helper. */
	@IpcInterface("com.example.helper")
	interface Helper {

		@IpcMethod
		HelperService.Echoed echo(HelperService.Text text, Peer peer);

		@IpcMethod
		HelperService.Tick countdown(HelperService.Count count, IpcStream<HelperService.Tick> ticks);

		@IpcMethod
		@IpcOneway
		void produce(HelperService.Count count);

	}

}
