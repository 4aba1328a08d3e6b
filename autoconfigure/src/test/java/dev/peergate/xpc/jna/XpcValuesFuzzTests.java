package dev.peergate.xpc.jna;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.jna.Pointer;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link XpcValues} through the simulator with structured random Java values (every supported type, nested
 * lists and maps, and now and then a value XPC cannot carry): a value either converts to an XPC object and back to
 * an equal Java value, or is refused with {@link XpcConversionException}; on both paths no XPC object and no block
 * target outlives the call.
 * <p>
 * The normal test run replays the seeds in {@code XpcValuesFuzzTestsInputs}; run with {@code JAZZER_FUZZ=1} to fuzz
 * (bounded by {@code maxDuration}).
 */
class XpcValuesFuzzTests {

	private static final int MAX_DEPTH = 6;

	private static final BigInteger TWO_TO_63 = BigInteger.ONE.shiftLeft(63);

	@FuzzTest(maxDuration = "30s")
	void roundTripsOrRefusesWithoutLeaking(FuzzedDataProvider data) {
		XpcSimulator sim = XpcSimulator.current();
		XpcNative nativeXpc = sim.nativeXpc();
		Object value = value(data, 0);
		long objectsBefore = sim.control().xpcsim_live_objects();
		int blocksBefore = nativeXpc.blocks().live();
		Pointer object;
		try {
			object = nativeXpc.values().toXpc(value);
		}
		catch (XpcConversionException ex) {
			assertThat(ex.getMessage()).isNotBlank();
			assertThat(sim.control().xpcsim_live_objects()).as("live XPC objects after a refusal")
				.isEqualTo(objectsBefore);
			return;
		}
		Object back;
		try {
			back = nativeXpc.values().fromXpc(object);
		}
		finally {
			nativeXpc.xpc().xpc_release(object);
		}
		assertThat(sim.control().xpcsim_live_objects()).as("live XPC objects").isEqualTo(objectsBefore);
		assertThat(nativeXpc.blocks().live()).as("Java block targets").isEqualTo(blocksBefore);
		assertThat(comparable(back)).isEqualTo(comparable(value));
	}

	/** Arrays compare by identity; lists of bytes compare by content. */
	private static @Nullable Object comparable(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			List<Byte> list = new ArrayList<>(bytes.length);
			for (byte b : bytes) {
				list.add(b);
			}
			return List.of("data", list);
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> copy = new ArrayList<>(list.size());
			list.forEach((element) -> copy.add(comparable(element)));
			return copy;
		}
		if (value instanceof Map<?, ?> map) {
			Map<Object, @Nullable Object> copy = new LinkedHashMap<>();
			map.forEach((key, element) -> copy.put(key, comparable(element)));
			return copy;
		}
		return value;
	}

	private static @Nullable Object value(FuzzedDataProvider data, int depth) {
		int kind = data.consumeInt(0, (depth >= MAX_DEPTH) ? 10 : 12);
		return switch (kind) {
			case 0 -> null;
			case 1 -> data.consumeString(40);
			case 2 -> data.consumeLong();
			// a uint64 above Long.MAX_VALUE (the only BigInteger that stays one: smaller ones come back as Long)
			case 3 -> TWO_TO_63.or(BigInteger.valueOf(data.consumeLong() & Long.MAX_VALUE));
			case 4 -> data.consumeRegularDouble();
			case 5 -> data.consumeBoolean();
			case 6 -> data.consumeBytes(64);
			case 7 -> new UUID(data.consumeLong(), data.consumeLong());
			case 8 -> instant(data.consumeLong());
			case 9 -> data.pickValue(List.of("com.example.helper.Status", "", "grüße", "\uD83D\uDE00", "a\u0000b",
					"\uD800", "x".repeat(300)));
			case 10 -> unsupported(data);
			case 11 -> list(data, depth + 1);
			default -> map(data, depth + 1);
		};
	}

	/** A value XPC has no type for: conversion must refuse it and release what it built so far. */
	private static Object unsupported(FuzzedDataProvider data) {
		return switch (data.consumeInt(0, 2)) {
			case 0 -> new Object();
			case 1 -> BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(data.consumeLong() & Long.MAX_VALUE));
			default -> TWO_TO_63.negate().subtract(BigInteger.ONE);
		};
	}

	private static Instant instant(long nanos) {
		return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
	}

	private static List<@Nullable Object> list(FuzzedDataProvider data, int depth) {
		int size = data.consumeInt(0, 5);
		List<@Nullable Object> list = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			list.add(value(data, depth));
		}
		return list;
	}

	private static Map<String, @Nullable Object> map(FuzzedDataProvider data, int depth) {
		int size = data.consumeInt(0, 5);
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		for (int i = 0; i < size; i++) {
			String key = data.consumeBoolean() ? data.pickValue(List.of("method", "parameters", "id", "more", "a\u0000b"))
					: data.consumeString(12);
			map.put(key, value(data, depth));
		}
		return map;
	}

}
