package dev.peergate.varlink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.peergate.core.Peer;
import dev.peergate.handler.InterfaceDescriptor;
import dev.peergate.handler.IpcErrorType;
import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;
import dev.peergate.handler.MethodRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class VarlinkIdlTests {

	@Test
	void describesRecordsEnumsCollectionsAndNullablesAsVarlinkTypes() {
		assertThat(VarlinkIdl.describe(descriptor(new Helper()))).isEqualTo("""
				# Privileged helper
				# of the example application.
				interface com.example.helper

				type State (starting, running, stopped)

				type Volume (name: string, free: int, ratio: float, tags: []string, labels: [string]string, parent: ?Volume)

				# Installs a package, reporting progress.
				method Install(name: string, version: ?string, force: bool) -> (percent: int, done: bool)

				method Ping() -> ()

				method Raw(payload: object) -> ()

				# Service status.
				method Status() -> (state: State, since: ?string, volumes: []Volume, counters: [string]int, scores: []float, blob: string, extra: object)

				error NotFound (path: string)

				error Busy ()
				""");
	}

	@Test
	void generatedDescriptionsParseWithTheVarlinkReferenceParser() throws Exception {
		for (Object handler : List.of(new Helper(), new Certification(), new Collisions(), service())) {
			InterfaceDescriptor descriptor = descriptor(handler);
			String idl = VarlinkIdl.describe(descriptor);
			GoPrograms.Result result = GoPrograms.run(List.of(GoPrograms.idlcheck().toString()), idl);
			assertThat(result.exitCode()).as("idlcheck of %s:%n%s%n%s", descriptor.name(), idl, result.output())
				.isZero();
			assertThat(result.output()).startsWith("interface " + descriptor.name() + "\n");
		}
	}

	@Test
	void referenceParserCheckRejectsABrokenDescription() throws Exception {
		GoPrograms.Result result = GoPrograms.run(List.of(GoPrograms.idlcheck().toString()),
				"interface com.example.broken\nmethod Get() -> (value: Missing)\n");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("undefined type Missing");
	}

	@Test
	void certificationTypesMeanTheSameAsTheOfficialCertificationInterface() throws Exception {
		String generated = canonical(VarlinkIdl.describe(descriptor(new Certification())));
		// The official types are named Interface and MyType; ours carry Java names, so compare the shapes.
		assertThat(generated).contains(
				"type CertInterface (foo: ?[]?[string]FooBar, anon: Anon)", "type FooBar (foo, bar, baz)",
				"type Anon (foo: bool, bar: bool)",
				"method Test09(client_id: string, set: [string]()) -> (mytype: MyType)",
				"type MyType (object: object, enum: Choice, struct: Pair, array: []string, dictionary: [string]string, "
						+ "stringset: [string](), nullable: ?string, nullable_array_struct: ?[]Pair, interface: CertInterface)",
				"error CertificationError (wants: object, got: object)");
	}

	@Test
	void serviceInterfaceMatchesTheOfficialOrgVarlinkServiceDescription() throws Exception {
		List<String> official = lines(canonical(resource("varlink/org.varlink.service.varlink")));
		List<String> generated = lines(canonical(VarlinkIdl.describe(descriptor(service()))));
		assertThat(generated.stream().filter(line -> line.startsWith("method ")))
			.containsExactlyElementsOf(official.stream().filter(line -> line.startsWith("method ")).toList());
		assertThat(generated).containsAll(official)
			.contains("error ExpectedMore ()", "error PermissionDenied ()")
			.hasSize(official.size() + 2);
	}

	@Test
	void typeNamedLikeAMethodIsQualifiedWithItsEnclosingClass() {
		String idl = VarlinkIdl.describe(descriptor(new Collisions()));
		assertThat(idl).contains("type CollisionsStatus (ok: bool)")
			.contains("method Status() -> (status: CollisionsStatus)");
	}

	@Test
	void declaresAFileDescriptorAsTheIntegerIndexItTravelsAsLikeSystemd() {
		String idl = VarlinkIdl.describe(descriptor(new Descriptors()));
		assertThat(idl).contains("method Open(name: string) -> (file: int)");
	}

	@IpcInterface("org.example.descriptors")
	static class Descriptors {

		record Name(String name) {
		}

		record File(IpcFileDescriptor file) {
		}

		@IpcMethod
		File open(Name name) {
			throw new UnsupportedOperationException();
		}

	}

	@Test
	void refusesMapsKeyedByAnythingButString() {
		assertThatIllegalStateException().isThrownBy(() -> VarlinkIdl.describe(descriptor(new IntKeys())))
			.withMessageContaining("IntKeysReply.byId")
			.withMessageContaining("keyed by string");
	}

	@Test
	void refusesEnumConstantsThatAreNotVarlinkNames() {
		assertThatIllegalStateException().isThrownBy(() -> VarlinkIdl.describe(descriptor(new Shouting())))
			.withMessageContaining("LOUD")
			.withMessageContaining("@JsonProperty");
	}

	@Test
	void refusesInterfaceNamesTheReferenceParserRejects() {
		assertThatIllegalStateException().isThrownBy(() -> VarlinkIdl.describe(descriptor(new UpperCase())))
			.withMessageContaining("com.Example.upper");
	}

	static InterfaceDescriptor descriptor(Object handler) {
		MethodRegistry registry = MethodRegistry.of(List.of(handler));
		return registry.interfaces().get(0);
	}

	static VarlinkServiceInterface service() {
		return new VarlinkServiceInterface("Peergate", "test", "1", "https://example.com", MethodRegistry::empty);
	}

	private static String canonical(String idl) throws Exception {
		GoPrograms.Result result = GoPrograms.run(List.of(GoPrograms.idlcheck().toString()), idl);
		assertThat(result.exitCode()).as(result.output()).isZero();
		return result.output();
	}

	private static List<String> lines(String text) {
		return Arrays.stream(text.split("\n")).filter(line -> !line.isBlank()).toList();
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = VarlinkIdlTests.class.getClassLoader().getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	// A realistic helper interface.

	enum State {

		starting, running, stopped

	}

	record Volume(String name, long free, double ratio, List<String> tags, Map<String, String> labels,
			@Nullable Volume parent) {
	}

	record StatusReply(State state, @Nullable String since, List<Volume> volumes, Map<String, Long> counters,
			double[] scores, byte[] blob, Map<String, Object> extra) {
	}

	record InstallRequest(String name, Optional<String> version, boolean force) {
	}

	record Progress(int percent, boolean done) {
	}

	record RawRequest(Object payload) {
	}

	record NotFound(String path) {
	}

	@IpcInterface(value = "com.example.helper", description = "Privileged helper\nof the example application.")
	@IpcErrorType(name = "NotFound", parameters = NotFound.class)
	@IpcErrorType(name = "Busy")
	static class Helper {

		@IpcMethod(description = "Service status.")
		StatusReply status(Peer peer) {
			throw new UnsupportedOperationException();
		}

		@IpcMethod(description = "Installs a package, reporting progress.")
		Progress install(InstallRequest request, IpcStream<Progress> progress) {
			throw new UnsupportedOperationException();
		}

		@IpcMethod
		void ping() {
		}

		@IpcMethod
		Map<String, Object> raw(RawRequest request) {
			return Map.of();
		}

	}

	// The shapes of org.varlink.certification, as a Java author would write them.

	enum Choice {

		one, two, three

	}

	enum FooBar {

		foo, bar, baz

	}

	record Pair(long first, String second) {
	}

	record Anon(boolean foo, boolean bar) {
	}

	record Empty() {
	}

	record CertInterface(@Nullable List<@Nullable Map<String, FooBar>> foo, Anon anon) {
	}

	record MyType(Object object, @JsonProperty("enum") Choice choice, @JsonProperty("struct") Pair pair,
			List<String> array, Map<String, String> dictionary, Map<String, Empty> stringset, @Nullable String nullable,
			@Nullable List<Pair> nullable_array_struct, @JsonProperty("interface") CertInterface iface) {
	}

	record Test09Reply(MyType mytype) {
	}

	record StringSetRequest(String client_id, Map<String, Empty> set) {
	}

	record Failure(Object wants, Object got) {
	}

	@IpcInterface("org.example.certification")
	@IpcErrorType(name = "CertificationError", parameters = Failure.class)
	static class Certification {

		@IpcMethod
		Test09Reply test09(StringSetRequest request) {
			throw new UnsupportedOperationException();
		}

	}

	// Name clashes.

	@IpcInterface("com.example.collisions")
	static class Collisions {

		record Status(boolean ok) {
		}

		record StatusReply(Status status) {
		}

		@IpcMethod
		StatusReply status() {
			throw new UnsupportedOperationException();
		}

	}

	// Types varlink cannot express.

	record IntKeysReply(Map<Integer, String> byId) {
	}

	@IpcInterface("com.example.intkeys")
	static class IntKeys {

		@IpcMethod
		IntKeysReply get() {
			throw new UnsupportedOperationException();
		}

	}

	enum Loudness {

		LOUD

	}

	record LoudReply(Loudness loudness) {
	}

	@IpcInterface("com.example.shouting")
	static class Shouting {

		@IpcMethod
		LoudReply get() {
			throw new UnsupportedOperationException();
		}

	}

	@IpcInterface("com.Example.upper")
	static class UpperCase {

		@IpcMethod
		void get() {
		}

	}

}
