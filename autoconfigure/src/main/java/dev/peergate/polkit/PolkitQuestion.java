package dev.peergate.polkit;

/**
 * The one question Peergate asks polkit: may this process perform this action? {@link PolkitClient} asks it on the
 * system bus.
 *
 * <pre>{@code
 * PolkitQuestion polkit = new PolkitClient(Duration.ofSeconds(25));
 * boolean allowed = polkit.check("com.example.helper.install", pid, startTime, uid, false).authorized();
 * }</pre>
 */
@FunctionalInterface
public interface PolkitQuestion {

	/**
	 * polkit's answer for the process with this pid, start time and uid.
	 * @throws PolkitClient.PolkitUnavailableException when polkit cannot be asked or answers an error
	 */
	PolkitClient.Answer check(String action, long pid, long startTime, long uid, boolean interactive);

}
