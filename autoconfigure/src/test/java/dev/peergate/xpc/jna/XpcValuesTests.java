package dev.peergate.xpc.jna;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** XPC ⇄ Java conversion through the simulator, with retain/release balance checked on every path. */
class XpcValuesTests {

	private final XpcSimulator sim = XpcSimulator.current();

	private final XpcNative nativeXpc = this.sim.nativeXpc();

	private final XpcValues values = this.nativeXpc.values();

	@Test
	void everySupportedTypeRoundTrips() {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("string", "grüße");
		value.put("int64", -42L);
		value.put("uint64", new BigInteger("18446744073709551615"));
		value.put("double", 2.5d);
		value.put("bool", true);
		value.put("data", new byte[] { 1, 2, 3 });
		value.put("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
		value.put("date", Instant.parse("2026-01-02T03:04:05.123456789Z"));
		value.put("null", null);
		value.put("array", List.of(1L, "two", List.of(false)));
		value.put("dictionary", Map.of("nested", Map.of("deep", 7L)));
		long before = this.sim.control().xpcsim_live_objects();
		Pointer object = this.values.toXpc(value);
		Map<String, Object> back;
		try {
			back = this.values.fromDictionary(object);
		}
		finally {
			this.nativeXpc.xpc().xpc_release(object);
		}
		assertThat(this.sim.control().xpcsim_live_objects()).isLessThanOrEqualTo(before);
		assertThat(back).containsOnlyKeys(value.keySet());
		assertThat(back).containsEntry("string", "grüße")
			.containsEntry("int64", -42L)
			.containsEntry("uint64", new BigInteger("18446744073709551615"))
			.containsEntry("double", 2.5d)
			.containsEntry("bool", true)
			.containsEntry("uuid", value.get("uuid"))
			.containsEntry("date", value.get("date"))
			.containsEntry("null", null)
			.containsEntry("array", List.of(1L, "two", List.of(false)))
			.containsEntry("dictionary", Map.of("nested", Map.of("deep", 7L)));
		assertThat((byte[]) back.get("data")).containsExactly(1, 2, 3);
	}

	@Test
	void intermediateObjectsAreReleasedWhenConversionFailsHalfway() {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("fine", Map.of("list", List.of("a", "b")));
		value.put("broken", List.of("ok", new Object()));
		long before = this.sim.control().xpcsim_live_objects();
		assertThatExceptionOfType(XpcConversionException.class).isThrownBy(() -> this.values.toXpc(value))
			.withMessageContaining("No XPC type for java.lang.Object");
		assertThat(this.sim.control().xpcsim_live_objects()).isLessThanOrEqualTo(before);
	}

	@Test
	void refusesNestingDeeperThanTheLimit() {
		Object deep = "leaf";
		for (int i = 0; i < XpcValues.MAX_DEPTH + 2; i++) {
			deep = new ArrayList<>(Arrays.asList(deep));
		}
		Object value = deep;
		long before = this.sim.control().xpcsim_live_objects();
		assertThatExceptionOfType(XpcConversionException.class).isThrownBy(() -> this.values.toXpc(value))
			.withMessageContaining("deeper than");
		assertThat(this.sim.control().xpcsim_live_objects()).isLessThanOrEqualTo(before);
	}

	@Test
	void refusesNonStringDictionaryKeys() {
		Map<Object, Object> value = new HashMap<>();
		value.put(1, "one");
		long before = this.sim.control().xpcsim_live_objects();
		assertThatExceptionOfType(XpcConversionException.class).isThrownBy(() -> this.values.toXpc(value));
		assertThat(this.sim.control().xpcsim_live_objects()).isLessThanOrEqualTo(before);
	}

	@Test
	void errorKeyDescriptionIsReadThroughItsPointer() {
		assertThat(this.nativeXpc.constants().errorKeyDescription()).isEqualTo("XPCErrorDescription");
	}

	@Test
	void reportsTheSimulatedProductVersion() {
		this.sim.macOs("14.4.1");
		try {
			assertThat(this.nativeXpc.productVersion()).hasValue("14.4.1");
		}
		finally {
			this.sim.macOs("15.0");
		}
	}

	@Test
	void legacyLibxpcLoadsAndReportsItsMissingSymbols() {
		XpcNative legacy = XpcSimulator.of(XpcSimulator.Variant.LEGACY_11).nativeXpc();
		assertThat(legacy.availability().missing()).contains("xpc_connection_set_peer_code_signing_requirement",
				"xpc_connection_set_peer_lightweight_code_requirement", "xpc_peer_requirement_match_received_message",
				"_xpc_error_peer_code_signing_requirement");
		assertThat(legacy.availability().has("SecCodeCreateWithXPCMessage")).isTrue();
		assertThat(legacy.constants().peerCodeSigningRequirement()).isNull();
		assertThat(this.nativeXpc.availability().missing()).isEmpty();
	}

}
