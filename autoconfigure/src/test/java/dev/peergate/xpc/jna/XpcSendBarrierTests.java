package dev.peergate.xpc.jna;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code xpc_connection_send_barrier} as the simulator models libxpc: a receiver's Mach port holds 5 messages, the
 * sender's send queue holds the rest, and a barrier runs on the sender's queue once every message sent before it
 * has left that queue — or when the connection ends first. The client's item handler blocking stands for a peer
 * that does not receive: its queue dequeues nothing more.
 */
@Timeout(60)
class XpcSendBarrierTests {

	private static final String SERVICE = "dev.peergate.test.barrier";

	@Test
	void aBarrierRunsOnceTheMessagesSentBeforeItLeftTheSendQueueAndAPendingOneStillRunsWhenTheConnectionEnds()
			throws Exception {
		XpcSimulator sim = XpcSimulator.current().macOs("15.0").service(SERVICE);
		XpcNative nativeXpc = sim.nativeXpc();
		long blocksBefore = sim.control().xpcsim_live_blocks();
		long objectsBefore = sim.control().xpcsim_live_objects();
		int javaBlocksBefore = nativeXpc.blocks().live();
		AtomicReference<XpcPeerConnection> peer = new AtomicReference<>();
		XpcServer server = XpcServer.listen(nativeXpc, SERVICE, (connection) -> {
			connection.start(XpcMessage::close, (event) -> {
			});
			peer.set(connection);
		}, (event) -> {
		});
		AtomicReference<CountDownLatch> receiving = new AtomicReference<>(new CountDownLatch(1));
		List<Object> received = new CopyOnWriteArrayList<>();
		sim.nextPeer(XpcSimulator.SimPeer.teamCli());
		XpcClientConnection client = XpcClientConnection.connect(nativeXpc, SERVICE, false, null, (message) -> {
			received.add(message.get("n"));
			awaitQuietly(receiving.get());
		}, (event) -> {
		});
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> peer.get() != null);
			XpcPeerConnection connection = peer.get();
			send(connection, 1, 3);
			Barrier first = barrier(nativeXpc, connection);
			assertThat(first.ran.await(10, TimeUnit.SECONDS)).as("3 messages fit the port").isTrue();
			assertThat(first.thread).isNotEqualTo(Thread.currentThread().getName());
			send(connection, 4, 10);
			Barrier second = barrier(nativeXpc, connection);
			assertThat(second.ran.await(500, TimeUnit.MILLISECONDS))
				.as("messages 7 to 10 wait in the send queue: 1 is being delivered, 2 to 6 fill the port")
				.isFalse();
			assertThat(connection.unsent()).isPositive();
			receiving.getAndSet(new CountDownLatch(0)).countDown();
			assertThat(second.ran.await(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
			assertThat(received).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
			// the connection's own barriers (one per BARRIER_EVERY messages) confirmed what they cover
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.unsent() < XpcPeerConnection.BARRIER_EVERY);

			receiving.set(new CountDownLatch(1));
			send(connection, 11, 20); // the client stalls again at 11
			Barrier pending = barrier(nativeXpc, connection);
			assertThat(pending.ran.await(500, TimeUnit.MILLISECONDS)).isFalse();
			assertThat(connection.cancel()).isTrue();
			assertThat(pending.ran.await(10, TimeUnit.SECONDS))
				.as("a barrier pending when the connection is cancelled still runs (the unsent messages are dropped)")
				.isTrue();
		}
		finally {
			receiving.get().countDown();
			client.close(Duration.ofSeconds(5));
			server.cancel();
			assertThat(server.awaitInvalid(Duration.ofSeconds(5))).isTrue();
		}
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(sim.control().xpcsim_live_blocks()).as("live blocks").isLessThanOrEqualTo(blocksBefore);
			assertThat(sim.control().xpcsim_live_objects()).as("live objects").isLessThanOrEqualTo(objectsBefore);
			assertThat(nativeXpc.blocks().live()).as("Java block targets").isLessThanOrEqualTo(javaBlocksBefore);
		});
	}

	private static void send(XpcPeerConnection connection, int from, int to) {
		for (int n = from; n <= to; n++) {
			assertThat(connection.send(Map.of("n", (long) n))).isTrue();
		}
	}

	private static Barrier barrier(XpcNative nativeXpc, XpcPeerConnection connection) {
		Barrier barrier = new Barrier();
		Blocks.Block block = nativeXpc.blocks().barrier(() -> {
			barrier.thread = Thread.currentThread().getName();
			barrier.ran.countDown();
		});
		try {
			assertThat(connection.whileOpen(
					(pointer) -> nativeXpc.xpc().xpc_connection_send_barrier(pointer, block.literal()))).isTrue();
		}
		finally {
			block.handedOver();
		}
		return barrier;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static final class Barrier {

		final CountDownLatch ran = new CountDownLatch(1);

		volatile String thread = "";

	}

}
