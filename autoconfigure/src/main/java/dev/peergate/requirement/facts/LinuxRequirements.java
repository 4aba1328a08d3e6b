package dev.peergate.requirement.facts;

import java.util.Map;

/**
 * Ready-made Linux requirements for the shortcuts users ask for.
 *
 * <pre>{@code
 * PeerRequirement sameUser = LinuxRequirements.sameUser(ownUid);
 * }</pre>
 */
public final class LinuxRequirements {

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
		return FactRequirements.linux(Map.of("uid", uid), "same-user", new IdResolver() {

			@Override
			public java.util.OptionalLong userId(String name) {
				return java.util.OptionalLong.empty();
			}

			@Override
			public java.util.OptionalLong groupId(String name) {
				return java.util.OptionalLong.empty();
			}

		});
	}

}
