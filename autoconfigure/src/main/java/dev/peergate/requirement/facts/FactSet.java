package dev.peergate.requirement.facts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.peergate.core.FactNames;
import dev.peergate.core.PeerCredentials;
import dev.peergate.requirement.facts.ValueType.BooleanType;
import dev.peergate.requirement.facts.ValueType.EntitlementsType;
import dev.peergate.requirement.facts.ValueType.HexType;
import dev.peergate.requirement.facts.ValueType.IntegerType;
import dev.peergate.requirement.facts.ValueType.NameType;
import dev.peergate.requirement.facts.ValueType.TextType;
import org.jspecify.annotations.Nullable;

/**
 * The two fact sets sharing the operator language: Apple's lightweight code requirement facts (macOS) and
 * Peergate's Linux facts. A fact of one set written under the other is an error that names the right set.
 *
 * <pre>{@code
 * FactSet.LINUX.facts().keySet();            // uid, gid, groups, user, group, executable-path, ..., seccomp
 * FactSet.LIGHTWEIGHT.allows(Operator.NOT);  // false
 * }</pre>
 */
public enum FactSet {

	/** Facts of a Linux peer seen through SO_PEERCRED, SO_PEERGROUPS, SO_PEERSEC and its pidfd (/proc/PID). */
	LINUX("linux", "Linux requirement (requirement.linux)"),

	/** Apple's LWCR facts about a macOS peer's code signature. */
	LIGHTWEIGHT("lightweight", "lightweight code requirement for macOS (requirement.lightweight)");

	/** Highest valid uid/gid: (uid_t) -1 means "no id". */
	private static final long MAX_ID = 4294967294L;

	private final String propertyName;

	private final String title;

	private Map<String, Fact> facts = Map.of();

	FactSet(String propertyName, String title) {
		this.propertyName = propertyName;
		this.title = title;
	}

	static {
		LINUX.facts = linuxFacts();
		LIGHTWEIGHT.facts = lightweightFacts();
	}

	/** The property under {@code requirement} that holds this set, e.g. {@code linux}. */
	public String propertyName() {
		return this.propertyName;
	}

	/** A title for messages, e.g. {@code Linux requirement (requirement.linux)}. */
	public String title() {
		return this.title;
	}

	/** The facts of this set by name, in documentation order. */
	public Map<String, Fact> facts() {
		return this.facts;
	}

	/** The fact with this name, or {@code null}. */
	public @Nullable Fact fact(String name) {
		return this.facts.get(name);
	}

	/** Whether {@code operator} may be written in this set ({@code $not} is Linux only). */
	public boolean allows(Operator operator) {
		return operator != Operator.NOT || this == LINUX;
	}

	/** The other fact set. */
	public FactSet other() {
		return (this == LINUX) ? LIGHTWEIGHT : LINUX;
	}

	/**
	 * The fact a name people commonly write for it means, e.g. {@code userid} for {@code uid}: edit distance alone
	 * would suggest {@code user}, a different fact.
	 */
	public @Nullable String alias(String name) {
		String key = name.toLowerCase(java.util.Locale.ROOT).replace("_", "-");
		Map<String, String> aliases = (this == LINUX) ? Map.of("userid", "uid", "user-id", "uid", "groupid", "gid",
				"group-id", "gid", "exe", "executable-path", "path", "executable-path", "sha256", "executable-sha256",
				"digest", "executable-sha256", "unit", "systemd-unit", "label", "security-label")
				: Map.of("team-id", "team-identifier", "teamid", "team-identifier", "signing-id", "signing-identifier",
						"bundle-id", "signing-identifier", "identifier", "signing-identifier");
		return aliases.get(key);
	}

	private static Map<String, Fact> linuxFacts() {
		Map<String, Fact> facts = new LinkedHashMap<>();
		IntegerType uid = new IntegerType("a uid", 0, MAX_ID);
		IntegerType gid = new IntegerType("a gid", 0, MAX_ID);
		add(facts, new Fact(FactNames.UID, LINUX, "effective user id of the peer (SO_PEERCRED)", uid,
				(peer) -> id(peer, FactNames.UID, peer.uid(), "")));
		add(facts, new Fact(FactNames.GID, LINUX, "effective (primary) group id of the peer (SO_PEERCRED)", gid,
				(peer) -> id(peer, FactNames.GID, peer.gid(), "")));
		add(facts, new Fact(FactNames.GROUPS, LINUX,
				"a group of the peer: holds when the primary gid or any supplementary gid satisfies the test", gid,
				FactSet::groups));
		add(facts, new Fact(FactNames.USER, LINUX, "user name, resolved to a uid when the application starts",
				new NameType(true), (peer) -> id(peer, FactNames.UID, peer.uid(), "uid ")));
		add(facts, new Fact(FactNames.GROUP, LINUX,
				"group name, resolved to a gid when the application starts; holds like 'groups'", new NameType(false),
				FactSet::groups));
		add(facts, new Fact(FactNames.EXECUTABLE_PATH, LINUX, "absolute path of the peer's executable (/proc/PID/exe)",
				new TextType("an absolute path", Pattern.compile("/[^\\x00]*"), "write the full path, starting with /"),
				(peer) -> fromFacts(peer, FactNames.EXECUTABLE_PATH)));
		add(facts, new Fact(FactNames.EXECUTABLE_SHA256, LINUX, "SHA-256 of the peer's executable file",
				new HexType("a SHA-256 digest", 32, false), (peer) -> fromFacts(peer, FactNames.EXECUTABLE_SHA256)));
		add(facts, new Fact(FactNames.SYSTEMD_UNIT, LINUX, "systemd unit the peer runs in, e.g. example-cli.service",
				new TextType("a systemd unit name such as example.service",
						Pattern.compile("[A-Za-z0-9:_.\\\\@-]+\\.(service|scope|slice|socket|target|mount|timer|path|swap|device|automount)"),
						"include the unit type suffix, e.g. example.service"),
				(peer) -> fromFacts(peer, FactNames.SYSTEMD_UNIT)));
		add(facts, new Fact(FactNames.SECURITY_LABEL, LINUX, "LSM label of the peer (SO_PEERSEC), e.g. an SELinux context",
				new TextType("a non-empty LSM label", Pattern.compile("[^\\x00]+"), null),
				(peer) -> fromFacts(peer, FactNames.SECURITY_LABEL)));
		add(facts, new Fact(FactNames.REAL_UID, LINUX,
				"real user id of the peer (/proc/PID/status, Uid: first field): who ran a setuid program", uid,
				(peer) -> fromFacts(peer, FactNames.REAL_UID)));
		add(facts, new Fact(FactNames.SAVED_UID, LINUX, "saved set-user-id of the peer (/proc/PID/status, Uid: third field)",
				uid, (peer) -> fromFacts(peer, FactNames.SAVED_UID)));
		add(facts, new Fact(FactNames.NO_NEW_PRIVS, LINUX,
				"the peer runs with no_new_privs set: execve cannot grant it privileges (/proc/PID/status NoNewPrivs)",
				new BooleanType(), (peer) -> fromFacts(peer, FactNames.NO_NEW_PRIVS)));
		add(facts, new Fact(FactNames.SECCOMP, LINUX, "seccomp mode of the peer: 0 disabled, 1 strict, 2 filter (/proc/PID/status)",
				new IntegerType("a seccomp mode", 0, 2, seccompModes()), (peer) -> fromFacts(peer, FactNames.SECCOMP)));
		return Collections.unmodifiableMap(facts);
	}

	/** Names of the seccomp modes (SECCOMP_MODE_*), as the kernel numbers them in /proc/PID/status. */
	private static Map<String, Long> seccompModes() {
		Map<String, Long> names = new LinkedHashMap<>();
		names.put("disabled", 0L);
		names.put("strict", 1L);
		names.put("filter", 2L);
		return Collections.unmodifiableMap(names);
	}

	private static Map<String, Fact> lightweightFacts() {
		Map<String, Fact> facts = new LinkedHashMap<>();
		lwcr(facts, FactNames.TEAM_IDENTIFIER, "Team ID of the signing certificate",
				new TextType("a 10-character Team ID of upper-case letters and digits",
						Pattern.compile("[A-Z0-9]{10}"), "Team IDs are upper case, e.g. ABCDE12345"));
		lwcr(facts, FactNames.SIGNING_IDENTIFIER, "code-signing identifier, e.g. com.example.app",
				new TextType("a code-signing identifier", Pattern.compile("[^\\x00-\\x20]+"), null));
		lwcr(facts, FactNames.CDHASH, "code-directory hash (data, 20 bytes)", new HexType("a cdhash", 20, true));
		lwcr(facts, "validation-category", "how the code was signed (1 platform ... 10 none)",
				new IntegerType("a validation category", 1, 10, ValueType.validationCategories()));
		lwcr(facts, "is-init-proc", "the executable is launchd", new BooleanType());
		lwcr(facts, "is-sip-protected", "the file is protected by System Integrity Protection", new BooleanType());
		lwcr(facts, "launch-type", "0 default, 3 launched by Launch Services; 1 and 2 are reserved",
				new IntegerType("a launch type", 0, 3));
		lwcr(facts, "on-system-volume", "loaded from the booted system volume", new BooleanType());
		lwcr(facts, "on-authorized-authapfs-volume", "loaded from an authorized authenticated APFS volume",
				new BooleanType());
		lwcr(facts, FactNames.ENTITLEMENTS, "entitlements, tested with $query", new EntitlementsType());
		return Collections.unmodifiableMap(facts);
	}

	private static void lwcr(Map<String, Fact> facts, String name, String description, ValueType type) {
		add(facts, new Fact(name, LIGHTWEIGHT, description, type, (peer) -> fromFacts(peer, name)));
	}

	private static void add(Map<String, Fact> facts, Fact fact) {
		facts.put(fact.name(), fact);
	}

	/** A verified fact, or why it is missing. */
	static Observed fromFacts(PeerCredentials peer, String name) {
		Optional<Object> value = peer.facts().get(name);
		if (value.isPresent()) {
			return Observed.of(value.get(), show(value.get()));
		}
		return Observed.unknown(missing(peer, name));
	}

	private static String missing(PeerCredentials peer, String name) {
		String reason = peer.facts().unverifiedReason(name);
		return (reason != null) ? reason : "the " + peer.transport() + " transport did not capture it";
	}

	/** uid or gid: the verified fact, else the kernel-supplied number in the credentials. */
	private static Observed id(PeerCredentials peer, String name, long fromCredentials, String prefix) {
		Optional<Object> value = peer.facts().get(name);
		if (value.isPresent()) {
			return Observed.of(value.get(), prefix + show(value.get()));
		}
		if (!peer.facts().isUnverified(name) && fromCredentials >= 0) {
			return Observed.of(fromCredentials, prefix + fromCredentials);
		}
		return Observed.unknown(missing(peer, name));
	}

	/** The primary gid and the supplementary gids; the test holds if any of them satisfies it. */
	private static Observed groups(PeerCredentials peer) {
		Observed primary = id(peer, FactNames.GID, peer.gid(), "");
		Set<Object> values = new LinkedHashSet<>(primary.values());
		String unknown = (primary.unknownReason() != null) ? "gid: " + primary.unknownReason() : null;
		List<Object> supplementary = new ArrayList<>();
		Optional<Object> fact = peer.facts().get(FactNames.GROUPS);
		if (fact.isPresent() && fact.get() instanceof List<?> list) {
			supplementary.addAll(list);
		}
		else if (fact.isPresent() || peer.facts().isUnverified(FactNames.GROUPS)) {
			String reason = fact.isPresent() ? "the captured value is not a list" : peer.facts().unverifiedReason(FactNames.GROUPS);
			unknown = (unknown != null) ? unknown + "; groups: " + reason : "groups: " + reason;
		}
		else {
			supplementary.addAll(peer.groups());
		}
		values.addAll(supplementary);
		String display = "gid " + (primary.values().isEmpty() ? "unknown" : show(primary.values().get(0)))
				+ " and groups " + ((unknown != null && supplementary.isEmpty()) ? "unknown" : supplementary);
		return new Observed(new ArrayList<>(values), unknown, display);
	}

	/** A captured value as shown in explanations. */
	static String show(@Nullable Object value) {
		if (value instanceof byte[] data) {
			return HexFormat.of().formatHex(data);
		}
		if (value instanceof String text) {
			return ValueType.quote(text);
		}
		String text = String.valueOf(value);
		return (text.length() > 200) ? text.substring(0, 197) + "..." : text;
	}

}
