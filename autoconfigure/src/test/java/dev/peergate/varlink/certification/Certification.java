package dev.peergate.varlink.certification;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The records of the varlink project's {@code org.varlink.certification} interface, written as a Peergate user
 * would write them: wire names that are Java keywords carry {@code @JsonProperty}. Shared by the certification
 * handler (Peergate as server) and the client-side certification test (Peergate as client).
 */
public final class Certification {

	/** Interface name. */
	public static final String INTERFACE = "org.varlink.certification";

	/** The string of Test05 and later. */
	public static final String A_LOT_OF_STRING = "a lot of string";

	private Certification() {
	}

	public record ClientId(String client_id) {
	}

	public record Test01Reply(boolean bool) {
	}

	public record Test02(String client_id, boolean bool) {
	}

	public record Test02Reply(@JsonProperty("int") long value) {
	}

	public record Test03(String client_id, @JsonProperty("int") long value) {
	}

	public record Test03Reply(@JsonProperty("float") double value) {
	}

	public record Test04(String client_id, @JsonProperty("float") double value) {
	}

	public record Test04Reply(String string) {
	}

	public record Test05(String client_id, String string) {
	}

	public record Test05Reply(boolean bool, @JsonProperty("int") long intValue,
			@JsonProperty("float") double floatValue, String string) {
	}

	public record Test06(String client_id, boolean bool, @JsonProperty("int") long intValue,
			@JsonProperty("float") double floatValue, String string) {
	}

	/** The anonymous struct of Test06 and Test07. */
	public record Basics(boolean bool, @JsonProperty("int") long intValue, @JsonProperty("float") double floatValue,
			String string) {
	}

	public record Test06Reply(@JsonProperty("struct") Basics struct) {
	}

	public record Test07(String client_id, @JsonProperty("struct") Basics struct) {
	}

	public record Test07Reply(Map<String, String> map) {
	}

	public record Test08(String client_id, Map<String, String> map) {
	}

	/** A member of a varlink string set {@code [string]()}. */
	public record Empty() {
	}

	public record Test08Reply(Map<String, Empty> set) {
	}

	public record Test09(String client_id, Map<String, Empty> set) {
	}

	public enum Choice {

		one, two, three

	}

	public enum FooBar {

		foo, bar, baz

	}

	public record Pair(long first, String second) {
	}

	public record Anon(boolean foo, boolean bar) {
	}

	/** The certification's {@code Interface} type. */
	public record CertInterface(@Nullable List<@Nullable Map<String, FooBar>> foo, Anon anon) {
	}

	public record MyType(Object object, @JsonProperty("enum") Choice choice, @JsonProperty("struct") Pair pair,
			List<String> array, Map<String, String> dictionary, Map<String, Empty> stringset, @Nullable String nullable,
			@Nullable List<Pair> nullable_array_struct, @JsonProperty("interface") CertInterface iface) {
	}

	public record Test09Reply(MyType mytype) {
	}

	public record Test10(String client_id, MyType mytype) {
	}

	public record Test10Reply(String string) {
	}

	public record Test11(String client_id, List<String> last_more_replies) {
	}

	public record EndReply(boolean all_ok) {
	}

	/** Parameters of {@code CertificationError}. */
	public record CertificationError(@Nullable Object wants, @Nullable Object got) {
	}

	/** What Test07 returns and Test08 expects. */
	public static Map<String, String> map() {
		return Map.of("bar", "Bar", "foo", "Foo");
	}

	/** What Test08 returns and Test09 expects. */
	public static Map<String, Empty> set() {
		return Map.of("one", new Empty(), "two", new Empty(), "three", new Empty());
	}

	/** The struct of Test06 and Test07. */
	public static Basics basics() {
		return new Basics(false, 2, Math.PI, A_LOT_OF_STRING);
	}

	/** What Test09 returns and Test10 expects. */
	public static MyType myType() {
		Map<String, FooBar> first = new java.util.LinkedHashMap<>();
		first.put("Foo", FooBar.foo);
		first.put("Bar", FooBar.bar);
		Map<String, FooBar> second = new java.util.LinkedHashMap<>();
		second.put("one", FooBar.foo);
		second.put("two", FooBar.bar);
		List<@Nullable Map<String, FooBar>> foo = new java.util.ArrayList<>();
		foo.add(null);
		foo.add(first);
		foo.add(null);
		foo.add(second);
		return new MyType(
				Map.of("method", "org.varlink.certification.Test09", "parameters", Map.of("map", map())),
				Choice.two, new Pair(1, "2"), List.of("one", "two", "three"), map(), set(), null, null,
				new CertInterface(foo, new Anon(true, false)));
	}

	/** The replies of Test10, which Test11 sends back. */
	public static List<String> test10Replies() {
		return java.util.stream.IntStream.rangeClosed(1, 10).mapToObj(i -> "Reply number " + i).toList();
	}

}
