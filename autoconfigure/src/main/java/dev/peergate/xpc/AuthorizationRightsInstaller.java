package dev.peergate.xpc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import dev.peergate.xpc.jna.AuthorizationServices;
import dev.peergate.xpc.jna.AuthorizationServices.RightRule;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcNative;

/**
 * What a helper's installer does once, as root (or with an administrator's authentication): defines in the rights
 * database each right the helper's methods require, unless it is defined already (an administrator may have
 * changed its rule; that choice is left alone).
 *
 * <pre>{@code
 * List<String> report = AuthorizationRightsInstaller.of(NativeLibraries.fromSystemProperties())
 *     .install(List.of("com.example.helper.install"), "authenticate-admin");
 * }</pre>
 */
public final class AuthorizationRightsInstaller {

	private static final String GROUP_PREFIX = "group:";

	private final AuthorizationServices services;

	private AuthorizationRightsInstaller(AuthorizationServices services) {
		this.services = services;
	}

	/** An installer through these native libraries (Security.framework). */
	public static AuthorizationRightsInstaller of(NativeLibraries libraries) {
		return new AuthorizationRightsInstaller(AuthorizationServices.of(XpcNative.load(libraries)));
	}

	/**
	 * Defines the rights not yet defined with {@code rule}: a rule of the database by name ({@code
	 * authenticate-admin}, {@code allow}, ...) or {@code group:<name>} (members of the group, after authenticating).
	 * @return one line per right saying what was done
	 * @throws IllegalStateException naming the right and the OSStatus when one could not be defined
	 */
	public List<String> install(Collection<String> rights, String rule) {
		Objects.requireNonNull(rule, "'rule' must not be null");
		RightRule definition = rule.startsWith(GROUP_PREFIX)
				? RightRule.group(rule.substring(GROUP_PREFIX.length()), true) : RightRule.named(rule);
		List<String> report = new ArrayList<>();
		for (String right : rights) {
			if (this.services.isDefined(right)) {
				report.add(right + ": already defined, left as it is");
				continue;
			}
			int status = this.services.defineRight(right, definition);
			if (status != AuthorizationServices.SUCCESS) {
				throw new IllegalStateException("could not define " + right + ": "
						+ AuthorizationServices.describe(status) + " (run the installer as root)");
			}
			report.add(right + ": defined, rule " + rule);
		}
		return report;
	}

}
