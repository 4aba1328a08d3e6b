package dev.peergate.autoconfigure;

import com.sun.security.auth.module.UnixSystem;

/** This process's own user, for the {@code same-user} shortcut. */
final class ProcessIdentity {

	private ProcessIdentity() {
	}

	static long uid() {
		return new UnixSystem().getUid();
	}

}
