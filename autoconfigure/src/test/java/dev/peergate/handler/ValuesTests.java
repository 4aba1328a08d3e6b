package dev.peergate.handler;

import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The wire names and presence rules of record components, the path an {@code InvalidParameter} names, and how a
 * reply value becomes wire values.
 */
class ValuesTests {

	record Named(@JsonProperty("interface") String interfaceName, @JsonProperty String plain, String bare) {
	}

	/** An explicitly declared accessor does not carry the component's annotations; the field does. */
	record ExplicitAccessor(@JsonProperty("wire") String javaName) {

		@Override
		public String javaName() {
			return this.javaName;
		}

	}

	record Presence(@Nullable String maybe, String must, int number) {
	}

	record Nested(List<Integer> numbers, Map<String, Integer> counts, Inner inner, List<Inner> inners) {
	}

	record Inner(int value) {
	}

	/** Checks its own value, as a handler's parameter record may. */
	record Port(int value) {

		Port {
			if (value < 0) {
				throw new IllegalArgumentException("negative port");
			}
		}

	}

	record Endpoint(Port port) {
	}

	private static RecordComponent component(Class<?> record, String name) {
		for (RecordComponent component : record.getRecordComponents()) {
			if (component.getName().equals(name)) {
				return component;
			}
		}
		throw new IllegalArgumentException(name);
	}

	@Test
	void takesTheWireNameOfAComponentFromItsJsonPropertyElseItsName() {
		assertThat(Values.wireName(component(Named.class, "interfaceName"))).isEqualTo("interface");
		assertThat(Values.wireName(component(Named.class, "plain"))).as("@JsonProperty without a value").isEqualTo("plain");
		assertThat(Values.wireName(component(Named.class, "bare"))).isEqualTo("bare");
	}

	@Test
	void takesTheWireNameFromTheComponentWhenTheRecordDeclaresItsAccessor() {
		assertThat(Values.wireName(component(ExplicitAccessor.class, "javaName"))).isEqualTo("wire");
	}

	@Test
	void bindsAComponentByItsWireName() {
		Named bound = (Named) Values.bind(Map.of("interface", "org.example", "plain", "p", "bare", "b"), Named.class);
		assertThat(bound).isEqualTo(new Named("org.example", "p", "b"));
	}

	@Test
	void letsOnlyNullableComponentsBeAbsent() {
		assertThat(Values.isOptional(component(Presence.class, "maybe"))).isTrue();
		assertThat(Values.isOptional(component(Presence.class, "must"))).isFalse();
		assertThat(Values.isOptional(component(Presence.class, "number"))).isFalse();
	}

	@Test
	void refusesAnAbsentOrNullRequiredComponentNamingIt() {
		Map<String, @Nullable Object> parameters = new HashMap<>();
		parameters.put("maybe", null);
		parameters.put("must", null);
		parameters.put("number", 1);
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> Values.bind(parameters, Presence.class))
			.satisfies((error) -> assertThat(error.parameters()).isEqualTo(Map.of("parameter", "must")));
		assertThat(Values.bind(Map.of("must", "m", "number", 1), Presence.class))
			.isEqualTo(new Presence(null, "m", 1));
	}

	@ParameterizedTest(name = "{0} = {1}")
	@CsvSource(delimiter = '|', textBlock = """
			numbers | ["1"]                | numbers[0]
			numbers | [1, 2, "3"]          | numbers[2]
			counts  | {"a": "1"}           | counts.a
			inner   | {"value": 2.5}       | inner.value
			inners  | [{"value": 1}, {"value": "x"}] | inners[1].value
			""")
	void namesTheExactPathOfAWrongNestedValue(String parameter, String json, String path) {
		Map<String, @Nullable Object> parameters = new HashMap<>(Map.of("numbers", List.of(), "counts", Map.of(),
				"inner", Map.of("value", 1), "inners", List.of()));
		parameters.put(parameter, Values.mapper().readValue("{\"v\": " + json + "}", Map.class).get("v"));
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> Values.bind(parameters, Nested.class))
			.satisfies((error) -> {
				assertThat(error.name()).isEqualTo(StandardErrors.INVALID_PARAMETER);
				assertThat(error.parameters()).isEqualTo(Map.of("parameter", path));
			});
	}

	@Test
	void namesTheParametersWhenTheParameterRecordRefusesItsValues() {
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> Values.bind(Map.of("value", -1), Port.class))
			.satisfies((error) -> assertThat(error.parameters()).isEqualTo(Map.of("parameter", "parameters")));
	}

	@Test
	void namesTheComponentWhoseRecordRefusesItsValue() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> Values.bind(Map.of("port", Map.of("value", -1)), Endpoint.class))
			.satisfies((error) -> assertThat(error.parameters()).isEqualTo(Map.of("parameter", "port")));
	}

	@Test
	void turnsARecordIntoWireValuesAndNullIntoAnEmptyMap() {
		assertThat(Values.toMap(new Named("i", "p", "b"))).containsExactly(Map.entry("interface", "i"),
				Map.entry("plain", "p"), Map.entry("bare", "b"));
		assertThat(Values.toMap(null)).isEmpty();
	}

}
