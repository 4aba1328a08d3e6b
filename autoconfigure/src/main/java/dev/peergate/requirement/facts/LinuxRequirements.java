package dev.peergate.requirement.facts;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Ready-made Linux requirements for the shortcuts users ask for.
 *
 * <pre>{@code
 * PeerRequirement sameUser = LinuxRequirements.sameUser(ownUid);
 * }</pre>
 */
public final class LinuxRequirements {

	/** The shortcuts name no users or groups, so nothing needs resolving. */
	private static final IdResolver NO_NAMES = new IdResolver() {

		@Override
		public OptionalLong userId(String name) {
			return OptionalLong.empty();
		}

		@Override
		public OptionalLong groupId(String name) {
			return OptionalLong.empty();
		}

	};

	private LinuxRequirements() {
	}

	/**
	 * {@code same-user: true}: the peer runs as the given uid (normally this process's own). Built through the
	 * same validation as a configured {@code {uid: N}}.
	 * @param uid the uid peers must have
	 * @return the requirement, described as {@code {"uid":N}}
	 * @throws dev.peergate.requirement.InvalidRequirementException if {@code uid} is not a valid uid
	 */
	public static LinuxRequirement sameUser(long uid) {
		return FactRequirements.linux(Map.of("uid", uid), "same-user", NO_NAMES);
	}

}
