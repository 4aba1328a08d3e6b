package dev.peergate.core;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.StringJoiner;

/**
 * The verified view of a connected peer, handed to handlers (declare a {@code Peer} parameter on an
 * {@code @IpcMethod}) and carried by every {@link Verdict}.
 * <p>
 * Only verified facts are exposed. The PID is available as {@link #pidHint()} for logs; it is never an identity.
 *
 * <pre>{@code
 * @IpcMethod
 * Status status(Peer peer) {
 *     log.info("status asked by {}", peer.summary());
 *     return new Status(peer.uid() == 0);
 * }
 * }</pre>
 *
 * @param listener name of the listener the peer connected to
 * @param transport transport that captured the peer ({@code unix}, {@code xpc}, {@code in-process})
 * @param uid effective uid, -1 when unknown
 * @param gid effective gid, -1 when unknown
 * @param groups supplementary gids
 * @param facts verified facts (unverified ones are left out)
 * @param pidHintValue PID seen at capture time, -1 when unknown
 */
public record Peer(String listener, String transport, long uid, long gid, List<Long> groups, Map<String, Object> facts,
		long pidHintValue) {

	public Peer {
		groups = List.copyOf(groups);
		facts = Map.copyOf(facts);
	}

	/** The verified view of what a transport captured. */
	public static Peer of(String listener, PeerCredentials credentials) {
		return new Peer(listener, credentials.transport(), credentials.uid(), credentials.gid(), credentials.groups(),
				credentials.facts().verified(), credentials.pidHint().orElse(-1));
	}

	/** PID seen when the peer was captured: for logs only, it can be recycled. */
	public OptionalLong pidHint() {
		return (this.pidHintValue > 0) ? OptionalLong.of(this.pidHintValue) : OptionalLong.empty();
	}

	/** A verified fact as a string, or {@code null}. */
	public String fact(String name) {
		Object value = this.facts.get(name);
		return (value != null) ? value.toString() : null;
	}

	/**
	 * One line for logs and the endpoint, e.g. {@code uid=1000 gid=1000 user=alice exe=/usr/bin/cli pid~4242}.
	 * Fact values are {@link LogText#escape(CharSequence) escaped}: a peer chooses its executable path and unit name, and a line
	 * break in either must not start a forged line in whatever log the summary is written to.
	 */
	public String summary() {
		StringJoiner joiner = new StringJoiner(" ");
		if (this.uid >= 0) {
			joiner.add("uid=" + this.uid);
		}
		if (this.gid >= 0) {
			joiner.add("gid=" + this.gid);
		}
		for (String key : List.of(FactNames.USER, FactNames.SIGNING_IDENTIFIER, FactNames.TEAM_IDENTIFIER,
				FactNames.EXECUTABLE_PATH, FactNames.SYSTEMD_UNIT)) {
			Object value = this.facts.get(key);
			if (value != null) {
				joiner.add(key + "=" + LogText.escape(value.toString()));
			}
		}
		if (this.pidHintValue > 0) {
			joiner.add("pid~" + this.pidHintValue);
		}
		return joiner.toString();
	}

}
