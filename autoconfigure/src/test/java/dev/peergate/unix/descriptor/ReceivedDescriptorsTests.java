package dev.peergate.unix.descriptor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.unix.LinuxAssumptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which message the descriptors of a read belong to: the one that begins with the byte they came with, which is
 * the last message beginning in that read (Linux ends a read after the bytes that carried descriptors). Real
 * descriptors, so that closing is seen in {@code /proc/self/fd}.
 */
class ReceivedDescriptorsTests {

	private final ReceivedDescriptors received = new ReceivedDescriptors();

	@BeforeEach
	void linux() {
		LinuxAssumptions.assumeLinuxTransport();
	}

	@Test
	void givesTheDescriptorsToTheMessageTheReadBegins() throws IOException {
		int fd = devNull();
		this.received.received(bytes("{\"a\":1}\0"), new int[] { fd });
		assertThat(numbers(this.received.claim(7))).containsExactly(fd);
	}

	@Test
	void givesThemToTheLastMessageBeginningInTheReadNotToOnePipelinedBefore() throws IOException {
		int fd = devNull();
		this.received.received(bytes("{\"first\":1}\0{\"second\":2}\0"), new int[] { fd });
		assertThat(this.received.claim(11)).isEmpty();
		assertThat(numbers(this.received.claim(12))).containsExactly(fd);
	}

	@Test
	void findsTheMessageStartAfterAnEarlierReadEndedMidMessage() throws IOException {
		int fd = devNull();
		this.received.received(bytes("{\"first\""), new int[0]);
		this.received.received(bytes(":1}\0{\"sec"), new int[] { fd });
		this.received.received(bytes("ond\":2}\0"), new int[0]);
		assertThat(this.received.claim(11)).isEmpty();
		assertThat(numbers(this.received.claim(12))).containsExactly(fd);
	}

	@Test
	void aReadEndingWithANulGivesThemToTheMessageItEnds() throws IOException {
		int fd = devNull();
		this.received.received(bytes("{}\0"), new int[0]);
		this.received.received(bytes("{\"b\":1}\0"), new int[] { fd });
		assertThat(this.received.claim(2)).isEmpty();
		assertThat(numbers(this.received.claim(7))).containsExactly(fd);
	}

	@Test
	void refusesAndClosesDescriptorsWithBytesThatBeginNoMessage() throws IOException {
		int fd = devNull();
		this.received.received(bytes("{\"first\""), new int[0]);
		assertThatExceptionOfType(ReceivedDescriptors.DescriptorsOutOfPlaceException.class)
			.isThrownBy(() -> this.received.received(bytes(":1}"), new int[] { fd }));
		assertThat(isOpen(fd)).isFalse();
		assertThat(this.received.held()).isZero();
	}

	@Test
	void aOneByteReadThatEndsAMessageBeginsNone() throws IOException {
		int fd = devNull();
		this.received.received(bytes("{}"), new int[0]);
		assertThatExceptionOfType(ReceivedDescriptors.DescriptorsOutOfPlaceException.class)
			.isThrownBy(() -> this.received.received(bytes("\0"), new int[] { fd }));
		assertThat(isOpen(fd)).isFalse();
	}

	@Test
	void aOneByteReadAtAMessageStartBeginsIt() throws IOException {
		int fd = devNull();
		this.received.received(bytes("{"), new int[] { fd });
		this.received.received(bytes("}\0"), new int[0]);
		assertThat(numbers(this.received.claim(2))).containsExactly(fd);
	}

	@Test
	void aNulRightBeforeTheLastByteBeginsTheLastMessage() throws IOException {
		int fd = devNull();
		this.received.received(bytes("{\"a\":1"), new int[0]);
		this.received.received(bytes("}\0{"), new int[] { fd });
		this.received.received(bytes("}\0"), new int[0]);
		assertThat(this.received.claim(7)).isEmpty();
		assertThat(numbers(this.received.claim(2))).containsExactly(fd);
	}

	@Test
	void aReadBeginningWithTheNulOfTheMessageBeforeBeginsTheNext() throws IOException {
		int fd = devNull();
		this.received.received(bytes("{}"), new int[0]);
		this.received.received(bytes("\0{"), new int[] { fd });
		this.received.received(bytes("}\0"), new int[0]);
		assertThat(this.received.claim(2)).isEmpty();
		assertThat(numbers(this.received.claim(2))).containsExactly(fd);
	}

	@Test
	void countsFromWhereTheReadsBytesBeginInTheirBuffer() throws IOException {
		int fd = devNull();
		ByteBuf chunk = bytes("ignored{}\0{\"b\":2}\0");
		chunk.skipBytes(7);
		this.received.received(chunk, new int[] { fd });
		assertThat(this.received.claim(2)).isEmpty();
		assertThat(numbers(this.received.claim(7))).containsExactly(fd);
	}

	@Test
	void closesDescriptorsNobodyClaimsWhenTheConnectionCloses() throws IOException {
		int first = devNull();
		int second = devNull();
		this.received.received(bytes("{\"a\":1"), new int[] { first, second });
		assertThat(this.received.held()).isEqualTo(2);
		this.received.closeAll();
		assertThat(isOpen(first)).isFalse();
		assertThat(isOpen(second)).isFalse();
	}

	@Test
	void theClaimedDescriptorsAreTheCallersToClose() throws IOException {
		int fd = devNull();
		this.received.received(bytes("{}\0"), new int[] { fd });
		List<IpcFileDescriptor> claimed = this.received.claim(2);
		this.received.closeAll();
		assertThat(isOpen(fd)).isTrue();
		claimed.forEach(IpcFileDescriptor::close);
		assertThat(isOpen(fd)).isFalse();
	}

	private static ByteBuf bytes(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
	}

	private static int devNull() throws IOException {
		return IpcFileDescriptor.open(Path.of("/dev/null"), StandardOpenOption.READ).release();
	}

	private static boolean isOpen(int fd) {
		return Files.exists(Path.of("/proc/self/fd/" + fd));
	}

	private static List<Integer> numbers(List<IpcFileDescriptor> descriptors) {
		return descriptors.stream().map(IpcFileDescriptor::number).toList();
	}

}
