package dev.peergate.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.sun.security.auth.module.UnixSystem;
import dev.peergate.core.FactNames;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.requirement.facts.IdResolver;
import org.jspecify.annotations.Nullable;

/**
 * A peer a test calls as: the facts a transport would have verified. Immutable; each {@code with} method returns a
 * copy. {@link WithPeer} states the same on an annotation.
 *
 * <pre>{@code
 * TestPeer admin = TestPeer.uid(0).withGroups("wheel").withExecutable("/usr/bin/example-cli");
 * Helper helper = peergate.as(admin).client(Helper.class);
 * }</pre>
 */
public final class TestPeer {

	private final long uid;

	private final long gid;

	private final List<String> groups;

	private final Map<String, Object> facts;

	private TestPeer(long uid, long gid, List<String> groups, Map<String, Object> facts) {
		this.uid = uid;
		this.gid = gid;
		this.groups = List.copyOf(groups);
		this.facts = Map.copyOf(facts);
	}

	/** The user running the test, with its primary group. */
	public static TestPeer self() {
		UnixSystem system = new UnixSystem();
		return new TestPeer(system.getUid(), system.getGid(), List.of(), Map.of());
	}

	/** A peer of the given uid; its gid is not stated. */
	public static TestPeer uid(long uid) {
		return new TestPeer(uid, -1, List.of(), Map.of());
	}

	/** The peer an annotation states. */
	public static TestPeer of(WithPeer annotation) {
		TestPeer peer = (annotation.uid() == WithPeer.SELF) ? self() : uid(annotation.uid());
		if (annotation.gid() != WithPeer.SELF) {
			peer = peer.withGid(annotation.gid());
		}
		peer = peer.withGroups(annotation.groups());
		if (!annotation.executable().isEmpty()) {
			peer = peer.withExecutable(annotation.executable());
		}
		for (String fact : annotation.facts()) {
			int equals = fact.indexOf('=');
			if (equals < 1) {
				throw new IllegalArgumentException("@WithPeer(facts = \"" + fact + "\"): write name=value, e.g. "
						+ "systemd-unit=example-cli.service");
			}
			peer = peer.withFact(fact.substring(0, equals).trim(), value(fact.substring(equals + 1).trim()));
		}
		return peer;
	}

	private static Object value(String text) {
		if (text.equals("true") || text.equals("false")) {
			return Boolean.valueOf(text);
		}
		return text.matches("-?[0-9]{1,18}") ? (Object) Long.valueOf(text) : text;
	}

	/** This peer with the given primary gid. */
	public TestPeer withGid(long gid) {
		return new TestPeer(this.uid, gid, this.groups, this.facts);
	}

	/** This peer with the given supplementary groups, by name or number. */
	public TestPeer withGroups(String... groups) {
		return new TestPeer(this.uid, this.gid, List.of(groups), this.facts);
	}

	/** This peer running the executable at the given absolute path. */
	public TestPeer withExecutable(String path) {
		return withFact(FactNames.EXECUTABLE_PATH, path);
	}

	/** This peer with one more verified fact (names of {@link FactNames}). */
	public TestPeer withFact(String name, Object value) {
		Map<String, Object> facts = new LinkedHashMap<>(this.facts);
		facts.put(name, value);
		return new TestPeer(this.uid, this.gid, this.groups, facts);
	}

	/** The uid. */
	public long uid() {
		return this.uid;
	}

	/** The credentials the in-process transport hands its gate for this peer. */
	public PeerCredentials credentials() {
		List<Long> gids = new ArrayList<>();
		for (String group : this.groups) {
			gids.add(gid(group));
		}
		PeerFacts.Builder facts = PeerFacts.builder();
		this.facts.forEach(facts::verified);
		return PeerCredentials.builder(InProcessListener.TRANSPORT)
			.uid(this.uid)
			.gid(this.gid)
			.groups(gids)
			.facts(facts.build())
			.build();
	}

	private static long gid(String group) {
		if (group.matches("[0-9]{1,10}")) {
			return Long.parseLong(group);
		}
		OptionalLong gid = IdResolver.system().groupId(group);
		if (gid.isEmpty()) {
			throw new IllegalArgumentException("@WithPeer(groups = \"" + group + "\"): this machine has no group "
					+ group + "; name one it has or give the gid");
		}
		return gid.getAsLong();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof TestPeer peer && this.uid == peer.uid && this.gid == peer.gid
				&& this.groups.equals(peer.groups) && this.facts.equals(peer.facts);
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.uid) * 31 + this.facts.hashCode();
	}

	@Override
	public String toString() {
		return "TestPeer{uid=" + this.uid + " gid=" + this.gid + " groups=" + this.groups + " " + this.facts + "}";
	}

}
