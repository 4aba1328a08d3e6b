package dev.peergate.handler;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Parameters bind without coercion, as docs/varlink.md promises: a value of the wrong JSON type, a fraction for an
 * integer, a number outside the component's range are {@code InvalidParameter} naming the parameter. Every record
 * component type a handler may declare is covered, with values parsed from JSON as the varlink codec parses them.
 */
class ValuesStrictBindingTests {

	record Everything(int anInt, long aLong, short aShort, byte aByte, Integer boxedInt, BigInteger bigInteger,
			double aDouble, float aFloat, Double boxedDouble, BigDecimal bigDecimal, boolean aBoolean, String text,
			char aChar, Color color, List<Integer> numbers, Map<String, Integer> counts, Inner inner,
			@Nullable String optional) {
	}

	record Inner(int value) {
	}

	enum Color {

		RED, GREEN

	}

	private static Map<String, @Nullable Object> valid() {
		Map<String, @Nullable Object> values = new HashMap<>(parse("""
				{"anInt": 7, "aLong": 9000000000, "aShort": 300, "aByte": 12, "boxedInt": 8,
				 "bigInteger": 123456789012345678901234567890, "aDouble": 1.5, "aFloat": 2.25, "boxedDouble": 3,
				 "bigDecimal": 0.1, "aBoolean": true, "text": "hi", "aChar": "c", "color": "GREEN",
				 "numbers": [1, 2], "counts": {"a": 1}, "inner": {"value": 3}}
				"""));
		return values;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> parse(String json) {
		return Values.mapper().readValue(json, Map.class);
	}

	@Test
	void bindsValidValuesOfEveryType() {
		Everything bound = (Everything) Values.bind(valid(), Everything.class);
		assertThat(bound.anInt()).isEqualTo(7);
		assertThat(bound.aLong()).isEqualTo(9_000_000_000L);
		assertThat(bound.aShort()).isEqualTo((short) 300);
		assertThat(bound.aByte()).isEqualTo((byte) 12);
		assertThat(bound.boxedInt()).isEqualTo(8);
		assertThat(bound.bigInteger()).isEqualTo(new BigInteger("123456789012345678901234567890"));
		assertThat(bound.aDouble()).isEqualTo(1.5);
		assertThat(bound.aFloat()).isEqualTo(2.25f);
		assertThat(bound.boxedDouble()).isEqualTo(3.0); // an integer is a valid float in varlink
		assertThat(bound.bigDecimal()).isEqualByComparingTo("0.1");
		assertThat(bound.aBoolean()).isTrue();
		assertThat(bound.text()).isEqualTo("hi");
		assertThat(bound.aChar()).isEqualTo('c');
		assertThat(bound.color()).isEqualTo(Color.GREEN);
		assertThat(bound.numbers()).containsExactly(1, 2);
		assertThat(bound.counts()).containsEntry("a", 1);
		assertThat(bound.inner().value()).isEqualTo(3);
		assertThat(bound.optional()).isNull();
	}

	@ParameterizedTest(name = "{0} = {1}")
	@MethodSource("extremeValues")
	void bindsTheExtremesOfEachRange(String parameter, String json, Object expected) {
		Map<String, @Nullable Object> values = valid();
		values.put(parameter, parse("{\"v\": " + json + "}").get("v"));
		Everything bound = (Everything) Values.bind(values, Everything.class);
		assertThat(switch (parameter) {
			case "aByte" -> (Object) bound.aByte();
			case "aFloat" -> bound.aFloat();
			case "aDouble" -> bound.aDouble();
			default -> throw new IllegalArgumentException(parameter);
		}).isEqualTo(expected);
	}

	static List<Arguments> extremeValues() {
		return List.of(Arguments.of("aByte", "127", Byte.MAX_VALUE), Arguments.of("aByte", "-128", Byte.MIN_VALUE),
				Arguments.of("aFloat", Double.toString(Float.MAX_VALUE), Float.MAX_VALUE),
				Arguments.of("aFloat", Double.toString(-Float.MAX_VALUE), -Float.MAX_VALUE),
				Arguments.of("aFloat", "7", 7.0f), Arguments.of("aDouble", Double.toString(Double.MAX_VALUE),
						Double.MAX_VALUE));
	}

	static List<Arguments> wrongValues() {
		return List.of(Arguments.of("anInt", "1.5"), Arguments.of("anInt", "3.9"), Arguments.of("anInt", "1e-999999"),
				Arguments.of("anInt", "1.0"), Arguments.of("anInt", "\"1\""), Arguments.of("anInt", "true"),
				Arguments.of("anInt", "3000000000"), Arguments.of("aLong", "1e20"),
				Arguments.of("aLong", "99999999999999999999"), Arguments.of("aShort", "40000"),
				Arguments.of("aByte", "200"), Arguments.of("aByte", "-129"), Arguments.of("aByte", "128"),
				Arguments.of("aByte", "9000000000"), Arguments.of("aByte", "99999999999999999999"),
				Arguments.of("aByte", "1.0"), Arguments.of("aFloat", "-1e39"), Arguments.of("aFloat", "\"1\""), Arguments.of("boxedInt", "2.5"),
				Arguments.of("bigInteger", "1.5"), Arguments.of("aDouble", "\"1.5\""), Arguments.of("aDouble", "true"),
				Arguments.of("aDouble", "1e999"), Arguments.of("aFloat", "1e39"), Arguments.of("boxedDouble", "\"3\""),
				Arguments.of("bigDecimal", "\"0.1\""), Arguments.of("aBoolean", "\"true\""),
				Arguments.of("aBoolean", "1"), Arguments.of("text", "5"), Arguments.of("text", "true"),
				Arguments.of("text", "1.5"), Arguments.of("text", "{}"), Arguments.of("aChar", "7"),
				Arguments.of("aChar", "\"too long\""), Arguments.of("color", "1"), Arguments.of("color", "\"BLUE\""),
				Arguments.of("numbers", "[1, \"2\"]"), Arguments.of("numbers", "[1.5]"),
				Arguments.of("counts", "{\"a\": \"1\"}"), Arguments.of("inner", "{\"value\": 2.5}"),
				Arguments.of("inner", "7"));
	}

	@ParameterizedTest(name = "{0} = {1}")
	@MethodSource("wrongValues")
	void refusesAValueOfTheWrongTypeOrRangeNamingTheParameter(String parameter, String json) {
		Map<String, @Nullable Object> values = valid();
		values.put(parameter, parse("{\"v\": " + json + "}").get("v"));
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> Values.bind(values, Everything.class))
			.satisfies(error -> {
				assertThat(error.name()).isEqualTo(StandardErrors.INVALID_PARAMETER);
				assertThat(error.parameters().get("parameter")).asString().startsWith(parameter);
			});
	}

}
