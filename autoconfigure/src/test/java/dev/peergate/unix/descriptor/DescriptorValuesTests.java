package dev.peergate.unix.descriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.OutgoingDescriptors;
import dev.peergate.handler.Values;
import dev.peergate.unix.LinuxAssumptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Who owns a descriptor at each step, with real descriptors: an {@link IpcFileDescriptor}, a message's
 * {@link OutgoingDescriptors} while it is written, and the {@link DescriptorBuf} that carries them to the socket.
 */
class DescriptorValuesTests {

	@BeforeEach
	void linux() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	@Test
	void anIpcFileDescriptorClosesOnceAndRefusesUseAfterward() throws IOException {
		IpcFileDescriptor descriptor = devNull();
		int number = descriptor.number();
		assertThat(descriptor.isOpen()).isTrue();
		assertThat(descriptor.path()).isEqualTo(Path.of("/proc/self/fd/" + number));
		assertThat(descriptor).hasToString("fd " + number);
		descriptor.close();
		descriptor.close();
		assertThat(isOpen(number)).isFalse();
		assertThat(descriptor.isOpen()).isFalse();
		assertThat(descriptor).hasToString("fd (closed)");
		assertThatIllegalStateException().isThrownBy(descriptor::number);
		assertThatIllegalStateException().isThrownBy(descriptor::release);
	}

	@Test
	void releasingHandsTheNumberOverAndNothingIsClosed() throws IOException {
		IpcFileDescriptor descriptor = devNull();
		int number = descriptor.release();
		descriptor.close();
		assertThat(isOpen(number)).isTrue();
		assertThatIllegalStateException().isThrownBy(descriptor::release);
		IpcFileDescriptor.adopt(number).close();
		assertThat(isOpen(number)).isFalse();
	}

	@Test
	void adoptsDescriptorZeroButNoNegativeNumber() {
		IpcFileDescriptor standardInput = IpcFileDescriptor.adopt(0);
		assertThat(standardInput.isOpen()).isTrue();
		assertThat(standardInput.number()).isZero();
		assertThat(standardInput.release()).isZero(); // handed back: this test does not close its standard input
		assertThatIllegalArgumentException().isThrownBy(() -> IpcFileDescriptor.adopt(-1));
	}

	@Test
	void aDuplicateIsAnotherDescriptorOfTheSameFile() throws IOException {
		Path file = Files.createTempFile("peergate", ".txt");
		Files.writeString(file, "same file");
		try (IpcFileDescriptor original = IpcFileDescriptor.open(file, StandardOpenOption.READ);
				IpcFileDescriptor copy = original.duplicate()) {
			assertThat(copy.number()).isNotEqualTo(original.number());
			assertThat(Files.readString(copy.path())).isEqualTo("same file");
		}
		finally {
			Files.delete(file);
		}
	}

	@Test
	void openNamesThePathItCouldNotOpen() {
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> IpcFileDescriptor.open(Path.of("/nonexistent/peergate"), StandardOpenOption.READ))
			.withMessageContaining("/nonexistent/peergate");
	}

	@Test
	void aMessageWritesEachDescriptorAsItsIndexAndTakesThemOver() throws IOException {
		IpcFileDescriptor[] descriptors = new IpcFileDescriptor[6];
		Map<String, Object> message = new LinkedHashMap<>();
		for (int i = 0; i < descriptors.length; i++) {
			descriptors[i] = devNull();
			message.put("fd" + i, descriptors[i]);
		}
		int[] numbers = Arrays.stream(descriptors).mapToInt(IpcFileDescriptor::number).toArray();
		OutgoingDescriptors outgoing = new OutgoingDescriptors();
		String json = Values.mapper().writer().withAttribute(OutgoingDescriptors.ATTRIBUTE, outgoing)
			.writeValueAsString(message);
		assertThat(json).isEqualTo("{\"fd0\":0,\"fd1\":1,\"fd2\":2,\"fd3\":3,\"fd4\":4,\"fd5\":5}");
		assertThat(outgoing.size()).isEqualTo(6);
		assertThat(outgoing.isEmpty()).isFalse();
		assertThat(outgoing.numbers()).containsExactly(numbers);
		assertThat(descriptors).noneMatch(IpcFileDescriptor::isOpen); // taken over, not closed
		assertThat(Arrays.stream(numbers).boxed()).allMatch(DescriptorValuesTests::isOpen);
		outgoing.closeAll();
		assertThat(Arrays.stream(numbers).boxed()).noneMatch(DescriptorValuesTests::isOpen);
		assertThat(outgoing.isEmpty()).isTrue();
	}

	@Test
	void aDescriptorThatCannotBeSentIsClosedNotLeaked() throws IOException {
		IpcFileDescriptor descriptor = devNull();
		int number = descriptor.number();
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> Values.mapper().writeValueAsString(Map.of("fd", descriptor)))
			.withMessageContaining("cannot be sent on this connection");
		assertThat(isOpen(number)).isFalse();
	}

	@Test
	void aMapOfWireValuesKeepsTheDescriptorItself() throws IOException {
		record Reply(IpcFileDescriptor file) {
		}
		try (IpcFileDescriptor descriptor = devNull()) {
			assertThat(Values.toMap(new Reply(descriptor)).get("file")).isSameAs(descriptor);
		}
	}

	@Test
	void aBufferClosesItsDescriptorsWhenItsLastReferenceIsReleased() throws IOException {
		int first = devNull().release();
		int second = devNull().release();
		ByteBuf buffer = DescriptorBuf.of(Unpooled.buffer(8).writeByte(0), new int[] { first, second });
		buffer.retain();
		assertThat(buffer.release()).isFalse();
		assertThat(isOpen(first)).isTrue();
		assertThat(buffer.release()).isTrue();
		assertThat(isOpen(first)).isFalse();
		assertThat(isOpen(second)).isFalse();
	}

	@Test
	void aBufferReleasedAtOnceByItsCountClosesItsDescriptors() throws IOException {
		int fd = devNull().release();
		ByteBuf buffer = DescriptorBuf.of(Unpooled.buffer(8).writeByte(0), new int[] { fd });
		buffer.retain(2);
		assertThat(buffer.release(2)).isFalse();
		assertThat(isOpen(fd)).isTrue();
		assertThat(buffer.release(1)).isTrue();
		assertThat(isOpen(fd)).isFalse();
	}

	@Test
	void aMessageWithoutDescriptorsStaysAPlainBuffer() {
		ByteBuf plain = Unpooled.buffer(1);
		assertThat(DescriptorBuf.of(plain, new int[0])).isSameAs(plain);
		plain.release();
	}

	private static IpcFileDescriptor devNull() throws IOException {
		return IpcFileDescriptor.open(Path.of("/dev/null"), StandardOpenOption.READ);
	}

	private static boolean isOpen(int fd) {
		return Files.exists(Path.of("/proc/self/fd/" + fd));
	}

}
