package dev.peergate.requirement.facts;

import java.util.OptionalLong;

/**
 * Resolves Linux user and group names to numeric ids when a requirement is built, so that evaluating a peer
 * never touches the name service. Names are resolved once: a user renumbered later needs a restart.
 *
 * <pre>{@code
 * IdResolver resolver = IdResolver.system();
 * long rootUid = resolver.userId("root").orElseThrow();
 * }</pre>
 */
public interface IdResolver {

	/** The uid of the named user, or empty if there is no such user. */
	OptionalLong userId(String name);

	/** The gid of the named group, or empty if there is no such group. */
	OptionalLong groupId(String name);

	/**
	 * The system's name service: {@code getent passwd|group NAME} (so NSS sources such as LDAP or systemd-userdb
	 * count), falling back to {@code /etc/passwd} and {@code /etc/group} when {@code getent} is unavailable.
	 */
	static IdResolver system() {
		return SystemIdResolver.INSTANCE;
	}

}
