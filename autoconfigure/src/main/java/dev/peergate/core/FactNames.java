package dev.peergate.core;

import java.util.List;

/**
 * The one vocabulary of peer facts: the names under which transports record what they verified about a peer
 * ({@link PeerFacts}) and under which requirements read it. Linux facts come from the socket
 * ({@code SO_PEERCRED}, {@code SO_PEERGROUPS}, {@code SO_PEERSEC}) and from {@code /proc}, verified against the
 * peer's pidfd; code-signing facts come from Security.framework ({@code SecCodeCopySigningInformation}) and carry
 * the lightweight-code-requirement names.
 *
 * <pre>{@code
 * long uid = (Long) credentials.facts().get(FactNames.UID).orElseThrow();
 * boolean linux = FactNames.LINUX.contains("systemd-unit"); // true
 * }</pre>
 */
public final class FactNames {

	/** Effective user id ({@code SO_PEERCRED}). */
	public static final String UID = "uid";

	/** Effective group id ({@code SO_PEERCRED}). */
	public static final String GID = "gid";

	/** Supplementary group ids ({@code SO_PEERGROUPS}). */
	public static final String GROUPS = "groups";

	/** User name of {@link #UID}. */
	public static final String USER = "user";

	/** Group name of {@link #GID}. */
	public static final String GROUP = "group";

	/** LSM label ({@code SO_PEERSEC}). */
	public static final String SECURITY_LABEL = "security-label";

	/** Executable path ({@code /proc/PID/exe}). */
	public static final String EXECUTABLE_PATH = "executable-path";

	/** SHA-256 of the executable, lower-case hex. */
	public static final String EXECUTABLE_SHA256 = "executable-sha256";

	/** systemd unit of the peer's cgroup. */
	public static final String SYSTEMD_UNIT = "systemd-unit";

	/** Real user id ({@code /proc/PID/status}). */
	public static final String REAL_UID = "real-uid";

	/** Saved set-user-id ({@code /proc/PID/status}). */
	public static final String SAVED_UID = "saved-uid";

	/** Whether {@code no_new_privs} is set ({@code /proc/PID/status}). */
	public static final String NO_NEW_PRIVS = "no-new-privs";

	/** Seccomp mode 0–2 ({@code /proc/PID/status}). */
	public static final String SECCOMP = "seccomp";

	/** Code-signing identifier. */
	public static final String SIGNING_IDENTIFIER = "signing-identifier";

	/** Team identifier of the signing certificate. */
	public static final String TEAM_IDENTIFIER = "team-identifier";

	/** Code-directory hash, lower-case hex. */
	public static final String CDHASH = "cdhash";

	/** Code-signing flags. */
	public static final String CODE_SIGNING_FLAGS = "code-signing-flags";

	/** Platform identifier of platform binaries. */
	public static final String PLATFORM_IDENTIFIER = "platform-identifier";

	/** The certificate chain, leaf first: subject attributes, SHA-1, extension OIDs of each. */
	public static final String CERTIFICATES = "certificates";

	/** The entitlements dictionary. */
	public static final String ENTITLEMENTS = "entitlements";

	/** The Info.plist dictionary. */
	public static final String INFO_PLIST = "info-plist";

	/** Every fact a Linux peer inspector may record, in documentation order. */
	public static final List<String> LINUX = List.of(UID, GID, GROUPS, USER, GROUP, EXECUTABLE_PATH,
			EXECUTABLE_SHA256, SYSTEMD_UNIT, SECURITY_LABEL, REAL_UID, SAVED_UID, NO_NEW_PRIVS, SECCOMP);

	/** The Linux facts read from {@code /proc/PID/status}. */
	public static final List<String> PROC_STATUS = List.of(REAL_UID, SAVED_UID, NO_NEW_PRIVS, SECCOMP);

	/** Every code-signing fact Security.framework's signing information may give, besides uid and gid. */
	public static final List<String> CODE_SIGNING = List.of(SIGNING_IDENTIFIER, TEAM_IDENTIFIER, CDHASH,
			CODE_SIGNING_FLAGS, PLATFORM_IDENTIFIER, CERTIFICATES, ENTITLEMENTS, INFO_PLIST);

	private FactNames() {
	}

}
