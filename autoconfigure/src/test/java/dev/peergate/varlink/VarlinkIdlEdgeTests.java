package dev.peergate.varlink;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The less common Java shapes in a generated description, and the ones it refuses with a message. */
class VarlinkIdlEdgeTests {

	@Test
	void describesWildcardsByTheirBoundAndARawMapAsAnObject() {
		assertThat(VarlinkIdl.describe(VarlinkIdlTests.descriptor(new Bounds())))
			.contains("method Get() -> (items: []Item, byName: [string]int, attributes: object)")
			.contains("type Item (id: int)");
	}

	@Test
	void numbersATypeWhoseNameIsTakenAndThatHasNoEnclosingClass() {
		assertThat(VarlinkIdl.describe(VarlinkIdlTests.descriptor(new Pinger())))
			.contains("type Ping2 (text: string)")
			.contains("method Ping(ping: Ping2) -> ()");
	}

	@Test
	void numbersOnWhileTheNumberedNameIsTakenToo() {
		assertThat(VarlinkIdl.describe(VarlinkIdlTests.descriptor(new PingerTwice()))).contains("type Ping3 (text: string)")
			.contains("method Ping(ping: Ping3) -> ()")
			.contains("method Ping2() -> ()");
	}

	@Test
	void namesEnumMembersByTheirJsonPropertyElseTheirName() {
		assertThat(VarlinkIdl.describe(VarlinkIdlTests.descriptor(new Leveller()))).contains("type Level (low, high)");
	}

	@Test
	void refusesAComponentWhoseWireNameIsNotAVarlinkName() {
		assertThatIllegalStateException().isThrownBy(() -> VarlinkIdl.describe(VarlinkIdlTests.descriptor(new BadField())))
			.withMessage(BadWireName.class.getName() + ".value has wire name 'not-a-name', which is not a varlink field "
					+ "name: it must start with a lower-case letter followed by letters, digits or '_' (rename it or "
					+ "use @JsonProperty)");
	}

	@Test
	void refusesAnEnumWithoutConstants() {
		assertThatIllegalStateException().isThrownBy(() -> VarlinkIdl.describe(VarlinkIdlTests.descriptor(new NoColors())))
			.withMessage(Nothing.class.getName() + " is an enum without constants");
	}

	@Test
	void refusesAnArrayOfGenericsAsAReply() {
		assertThatIllegalStateException().isThrownBy(() -> VarlinkIdl.describe(VarlinkIdlTests.descriptor(new ArrayReply())))
			.withMessage(ArrayReply.class.getName() + ".get returns java.util.List<java.lang.String>[], which varlink "
					+ "cannot describe: return a record, a Map or void");
	}

	record Item(int id) {
	}

	@SuppressWarnings("rawtypes")
	record BoundsReply(List<? extends Item> items, Map<? extends String, Integer> byName, Map attributes) {
	}

	@IpcInterface("com.example.bounds")
	static class Bounds {

		@IpcMethod
		BoundsReply get() {
			throw new UnsupportedOperationException();
		}

	}

	record PingRequest(Ping ping) {
	}

	@IpcInterface("com.example.pinger")
	static class Pinger {

		@IpcMethod
		void ping(PingRequest request) {
		}

	}

	@IpcInterface("com.example.pingertwice")
	static class PingerTwice {

		@IpcMethod
		void ping(PingRequest request) {
		}

		@IpcMethod
		void ping2() {
		}

	}

	enum Level {

		@JsonProperty("low")
		LOW,

		@JsonProperty
		high

	}

	record Levelled(Level level) {
	}

	@IpcInterface("com.example.leveller")
	static class Leveller {

		@IpcMethod
		void set(Levelled request) {
		}

	}

	record BadWireName(@JsonProperty("not-a-name") String value) {
	}

	@IpcInterface("com.example.badfield")
	static class BadField {

		@IpcMethod
		void set(BadWireName request) {
		}

	}

	enum Nothing {

	}

	record Paint(Nothing color) {
	}

	@IpcInterface("com.example.nocolors")
	static class NoColors {

		@IpcMethod
		void paint(Paint request) {
		}

	}

	@IpcInterface("com.example.arrayreply")
	static class ArrayReply {

		@IpcMethod
		List<String>[] get() {
			throw new UnsupportedOperationException();
		}

	}

}
