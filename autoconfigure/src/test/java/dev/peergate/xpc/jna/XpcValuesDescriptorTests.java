package dev.peergate.xpc.jna;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.jna.Pointer;
import dev.peergate.handler.IpcFileDescriptor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code xpc_fd} ⇄ {@link IpcFileDescriptor} through the simulator: who owns which descriptor, on every path. */
class XpcValuesDescriptorTests {

	private final XpcSimulator sim = XpcSimulator.current();

	private final XpcNative nativeXpc = this.sim.nativeXpc();

	private final XpcValues values = this.nativeXpc.values();

	@Test
	void aSentDescriptorIsClosedAndTheObjectHoldsItsOwnDuplicate() {
		try (Pipes.Pipe pipe = Pipes.open()) {
			long fdObjects = this.sim.control().xpcsim_live_fds();
			IpcFileDescriptor sent = duplicate(pipe.writeEnd());
			Pointer object = this.values.toXpc(sent);
			try {
				assertThat(sent.isOpen()).isFalse();
				assertThat(this.sim.control().xpcsim_live_fds()).isEqualTo(fdObjects + 1);
				try (IpcFileDescriptor received = (IpcFileDescriptor) this.values.fromXpc(object)) {
					Pipes.write(received, "through the object");
					assertThat(Pipes.read(pipe.readEnd(), 64)).isEqualTo("through the object");
				}
			}
			finally {
				this.nativeXpc.xpc().xpc_release(object);
			}
			assertThat(this.sim.control().xpcsim_live_fds()).isEqualTo(fdObjects);
		}
	}

	@Test
	void opensNoMoreDescriptorsThanTheLimitAndCountsTheRest() {
		try (Pipes.Pipe pipe = Pipes.open()) {
			Pointer message = this.values.toXpc(Map.of("fds", List.of(duplicate(pipe.writeEnd()),
					duplicate(pipe.writeEnd()), duplicate(pipe.writeEnd()))));
			long before = pipe.references();
			try {
				XpcReceivedDescriptors received = new XpcReceivedDescriptors(2);
				Map<String, Object> body = this.values.fromDictionary(message, received);
				assertThat(received.exceeded()).isTrue();
				assertThat(received.count()).isEqualTo(3);
				assertThat(received.descriptors()).hasSize(2);
				assertThat((List<?>) body.get("fds")).element(2).isNull();
				assertThat(pipe.references()).isEqualTo(before + 2);
				received.closeAll();
				assertThat(pipe.references()).isEqualTo(before);
			}
			finally {
				this.nativeXpc.xpc().xpc_release(message);
			}
		}
	}

	@Test
	void aFailedConversionLeavesNoDescriptorOpen() {
		try (Pipes.Pipe pipe = Pipes.open()) {
			Map<String, Object> value = new LinkedHashMap<>();
			value.put("first", duplicate(pipe.writeEnd()));
			value.put("bad", new Object());
			value.put("last", duplicate(pipe.writeEnd()));
			long before = pipe.references();
			long fdObjects = this.sim.control().xpcsim_live_fds();
			assertThatExceptionOfType(XpcConversionException.class).isThrownBy(() -> this.values.toXpc(value));
			// the descriptor after the failure is the caller's to close: message senders do (XpcMessage, XpcClient)
			IpcFileDescriptor.closeAllIn(value);
			assertThat(pipe.references()).isEqualTo(before - 2);
			assertThat(this.sim.control().xpcsim_live_fds()).isEqualTo(fdObjects);
		}
	}

	@Test
	void refusesADescriptorThatWasAlreadyClosed() {
		try (Pipes.Pipe pipe = Pipes.open()) {
			IpcFileDescriptor closed = duplicate(pipe.writeEnd());
			closed.close();
			assertThatExceptionOfType(XpcConversionException.class).isThrownBy(() -> this.values.toXpc(closed))
				.withMessageContaining("closed or released");
		}
	}

	private static IpcFileDescriptor duplicate(IpcFileDescriptor descriptor) {
		try {
			return descriptor.duplicate();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
