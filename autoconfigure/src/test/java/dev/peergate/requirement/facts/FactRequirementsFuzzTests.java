package dev.peergate.requirement.facts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.requirement.InvalidRequirementException;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the fact-requirement builders with structured random trees: whatever the configuration, building ends
 * in a requirement or an {@link InvalidRequirementException}, never in another exception, and a built
 * requirement can always be described, converted and evaluated.
 * <p>
 * In the normal test run this replays the seeds in {@code FactRequirementsFuzzTestsInputs}; see
 * {@code docs/fact-requirements.md} for a long fuzzing campaign.
 */
class FactRequirementsFuzzTests {

	/** Bounds the generated nesting; deeper than the parser's own limit so that limit is exercised too. */
	private static final int MAX_DEPTH = FactTreeParser.MAX_DEPTH + 3;

	private static final List<String> KEYS = List.of("$and", "$or", "$and-array", "$or-array", "$in", "$lt",
			"$lte", "$gt", "$gte", "$optional", "$query", "$not", "$xor", "uid", "gid", "groups", "user", "group",
			"executable-path", "executable-sha256", "systemd-unit", "security-label", "real-uid", "saved-uid",
			"no-new-privs", "seccomp", "team-identifier",
			"signing-identifier", "cdhash", "validation-category", "is-init-proc", "is-sip-protected",
			"launch-type", "on-system-volume", "on-authorized-authapfs-volume", "entitlements", "0", "1", "[0]", "",
			"a.b");

	private static final List<String> WORDS = List.of("root", "daemon", "nobody-known", "0", "1000", "-1",
			"4294967295", "true", "FALSE", "ABCDE12345", "abcde12345", "com.example.app", "example.service",
			"/usr/bin/cli", "ab".repeat(32), "0123456789abcdef0123456789abcdef01234567", "developer-id",
			"APP_STORE", "filter", "$and", "$or", "$optional", "$not", "99999999999999999999", " 7 ", "");

	/** A deterministic resolver: fuzzing must not spawn a process per input. */
	private static final IdResolver RESOLVER = new IdResolver() {

		@Override
		public OptionalLong userId(String name) {
			return name.equals("root") ? OptionalLong.of(0) : name.equals("daemon") ? OptionalLong.of(1) : OptionalLong.empty();
		}

		@Override
		public OptionalLong groupId(String name) {
			return userId(name);
		}

	};

	private static final PeerCredentials PEER = PeerCredentials.builder("unix")
		.uid(1000)
		.gid(1000)
		.groups(List.of(24L, 27L))
		.facts(PeerFacts.builder()
			.verified("executable-path", "/usr/bin/cli")
			.unverified("executable-sha256", "no pidfd")
			.verified("team-identifier", "ABCDE12345")
			.verified("cdhash", new byte[20])
			.verified("entitlements", Map.of("k", List.of("v", true, 5L), "b", true))
			.build())
		.build();

	@FuzzTest(maxDuration = "10s")
	void buildsARequirementOrRejectsItAsInvalid(FuzzedDataProvider data) {
		Object tree = value(data, 0);
		Map<String, Object> root = (tree instanceof Map<?, ?>) ? castMap(tree) : new HashMap<>();
		if (!(tree instanceof Map<?, ?>)) {
			root.put("uid", tree);
		}
		boolean linux = data.consumeBoolean();
		try {
			if (linux) {
				LinuxRequirement requirement = FactRequirements.linux(root, "fuzz", RESOLVER);
				assertThat(requirement.describe()).startsWith("{");
				assertThat(requirement.evaluate(PEER)).isNotNull();
			}
			else {
				LightweightRequirement requirement = FactRequirements.lightweight(root, "fuzz");
				assertThat(requirement.toNeutralTree()).isNotEmpty();
				assertThat(requirement.describe()).startsWith("{");
				assertThat(requirement.evaluate(PEER)).isNotNull();
			}
		}
		catch (InvalidRequirementException ex) {
			assertThat(ex.propertyPath()).startsWith("fuzz");
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> castMap(Object map) {
		return (Map<String, Object>) map;
	}

	private static @Nullable Object value(FuzzedDataProvider data, int depth) {
		int kind = data.consumeInt(0, (depth >= MAX_DEPTH) ? 5 : 8);
		return switch (kind) {
			case 0 -> data.pickValue(WORDS);
			case 1 -> data.consumeLong();
			case 2 -> data.consumeInt(-2, 12);
			case 3 -> data.consumeBoolean();
			case 4 -> data.consumeString(16);
			case 5 -> (data.consumeInt(0, 20) == 0) ? null : data.consumeDouble();
			case 6 -> list(data, depth + 1);
			default -> map(data, depth + 1);
		};
	}

	private static List<@Nullable Object> list(FuzzedDataProvider data, int depth) {
		int size = data.consumeInt(0, 4);
		List<@Nullable Object> list = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			list.add(value(data, depth));
		}
		return list;
	}

	private static Map<Object, @Nullable Object> map(FuzzedDataProvider data, int depth) {
		int size = data.consumeInt(0, 4);
		Map<Object, @Nullable Object> map = new LinkedHashMap<>();
		for (int i = 0; i < size; i++) {
			Object key = (data.consumeInt(0, 30) == 0) ? (Object) data.consumeInt() : pickKey(data);
			map.put(key, value(data, depth));
		}
		return map;
	}

	private static String pickKey(FuzzedDataProvider data) {
		return data.consumeBoolean() ? data.pickValue(KEYS) : data.consumeString(12);
	}

}
