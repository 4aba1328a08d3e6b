package dev.peergate.xpc.jna;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Blocks built from Java survive libxpc's Block_copy, run on native threads with their handle intact, and are
 * disposed exactly when the simulator releases them.
 */
class BlocksTests {

	@Test
	void eventHandlerBlockIsCopiedInvokedOnNativeThreadAndDisposedAfterFinalInvalid() {
		XpcSimulator sim = XpcSimulator.current().service("dev.peergate.test.blocks");
		XpcNative nativeXpc = sim.nativeXpc();
		LibXpc xpc = nativeXpc.xpc();
		long blocksBefore = sim.control().xpcsim_live_blocks();
		int javaBlocksBefore = nativeXpc.blocks().live();
		List<String> events = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		Pointer listener = xpc.xpc_connection_create_mach_service("dev.peergate.test.blocks", null, 1);
		Blocks.Block handler = nativeXpc.blocks().handler((event) -> {
			threads.add(Thread.currentThread().getName());
			events.add(event.equals(nativeXpc.constants().connectionInvalid()) ? "invalid" : "other");
		});
		xpc.xpc_connection_set_event_handler(listener, handler.literal());
		handler.handedOver();
		assertThat(sim.control().xpcsim_live_blocks()).isEqualTo(blocksBefore + 1);
		assertThat(nativeXpc.blocks().live()).isEqualTo(javaBlocksBefore + 1);
		xpc.xpc_connection_resume(listener);
		xpc.xpc_connection_cancel(listener);
		await().until(() -> events.contains("invalid"));
		xpc.xpc_release(listener);
		await().until(() -> sim.control().xpcsim_live_blocks() <= blocksBefore);
		assertThat(nativeXpc.blocks().live()).isLessThanOrEqualTo(javaBlocksBefore);
		assertThat(events).containsExactly("invalid");
		assertThat(threads).allSatisfy((name) -> assertThat(name).startsWith("peergate-xpc-callback"));
	}

	@Test
	void blockNeverCopiedByNativeCodeIsDroppedWhenHandedOver() {
		XpcNative nativeXpc = XpcSimulator.current().nativeXpc();
		int before = nativeXpc.blocks().live();
		Blocks.Block block = nativeXpc.blocks().handler((event) -> {
		});
		assertThat(nativeXpc.blocks().live()).isEqualTo(before + 1);
		block.handedOver();
		assertThat(nativeXpc.blocks().live()).isLessThanOrEqualTo(before);
	}

}
