package dev.peergate.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.peergate.autoconfigure.PeergateProperties.Listener;
import dev.peergate.autoconfigure.PeergateProperties.Requirement;
import dev.peergate.core.Evaluation;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Turns a listener's {@code requirement} properties into the {@link PeerRequirement} its transport evaluates, and
 * refuses every configuration that would leave the listener open by accident.
 */
final class ListenerRequirements {

	private ListenerRequirements() {
	}

	/** A requirement ready for a gate, with the mechanism that evaluates it. */
	record Resolved(PeerRequirement requirement, Mechanism mechanism) {
	}

	/**
	 * Resolves the requirement of a listener served by a transport that identifies peers by Unix credentials
	 * ({@code unix}, {@code in-process}).
	 * @param mechanism the transport's mechanism when a requirement applies
	 */
	static Resolved forCredentials(String name, Listener listener, ConfigurableEnvironment environment,
			Mechanism mechanism, long ownUid) {
		String base = "peergate.listeners." + name + ".requirement";
		Requirement requirement = listener.getRequirement();
		Map<String, Object> linux = RequirementTrees.read(environment, base + ".linux");
		List<String> given = new ArrayList<>();
		if (!linux.isEmpty()) {
			given.add("linux");
		}
		if (requirement.isSameUser()) {
			given.add("same-user");
		}
		if (requirement.isAllowAnyPeer()) {
			if (!given.isEmpty()) {
				throw new ListenerConfigurationException(base + ".allow-any-peer",
						"allow-any-peer is set together with " + String.join(" and ", given),
						"Remove allow-any-peer to enforce the requirement, or remove the requirement to accept any peer");
			}
			return new Resolved(PeerRequirement.anyPeer(), Mechanism.NONE);
		}
		if (given.isEmpty()) {
			throw new ListenerConfigurationException(base,
					"listener '" + name + "' has no requirement for this platform ("
							+ System.getProperty("os.name") + "), so it would accept any local process",
					"Set " + base + ".linux (for example linux: { uid: { $in: [1000] } }) or " + base
							+ ".same-user: true. To accept every local peer deliberately, set " + base
							+ ".allow-any-peer: true");
		}
		if (given.size() > 1) {
			throw new ListenerConfigurationException(base, "both " + String.join(" and ", given) + " are set",
					"Keep one: same-user: true is the shortcut for linux: { uid: " + ownUid + " }");
		}
		if (requirement.isSameUser()) {
			return new Resolved(sameUser(ownUid), mechanism);
		}
		throw new ListenerConfigurationException(base + ".linux",
				"fact-dictionary requirements are not available in this build",
				"Use same-user: true or allow-any-peer: true");
	}

	private static PeerRequirement sameUser(long uid) {
		return PeerRequirement.of("same-user (uid " + uid + ")", peer -> (peer.uid() == uid)
				? Evaluation.satisfied("uid " + uid + " is this process's user")
				: Evaluation.unsatisfied(Reason.REQUIREMENT_NOT_SATISFIED,
						"same-user: expected uid " + uid + ", peer has " + peer.uid()));
	}

}
