package dev.peergate.xpc;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.xpc.jna.AuthorizationServices;
import dev.peergate.xpc.jna.AuthorizationServices.ClientAuthorization;
import dev.peergate.xpc.jna.XpcSimulator;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The installer defines the rights a helper requires, once, through the simulator's rights database. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthorizationRightsInstallerTests {

	private static final AtomicInteger RIGHTS = new AtomicInteger();

	private static final SimPeer ROOT = new SimPeer(0, 0, 1, "com.example.installer", "ABCDE12345",
			"1111222233334444555566667777888899990000", "ABCDE12345", "", false, true, 6);

	private final XpcSimulator sim = XpcSimulator.current();

	private final AuthorizationRightsInstaller installer = AuthorizationRightsInstaller.of(this.sim.libraries());

	private final AuthorizationServices services = AuthorizationServices.of(this.sim.nativeXpc());

	@Test
	void definesTheRightsNotYetDefinedAndLeavesTheOthersAsTheyAre() {
		String fresh = "com.example.helper.installed" + RIGHTS.incrementAndGet();
		String existing = "com.example.helper.installed" + RIGHTS.incrementAndGet();
		this.sim.nextPeer(ROOT);
		this.installer.install(List.of(existing), "allow");
		assertThat(this.installer.install(List.of(fresh, existing), "group:staff")).containsExactly(
				fresh + ": defined, rule group:staff", existing + ": already defined, left as it is");
		// the group rule asks a member to authenticate; the allow rule was left alone
		this.sim.nextPeer(SimPeer.teamCli());
		try (ClientAuthorization app = this.services.create()) {
			assertThat(this.services.copyRight(app.externalForm(), fresh, false))
				.isEqualTo(AuthorizationServices.INTERACTION_NOT_ALLOWED);
			assertThat(this.services.copyRight(app.externalForm(), existing, false))
				.isEqualTo(AuthorizationServices.SUCCESS);
		}
	}

	@Test
	void failsNamingTheRightWhenTheDatabaseRefuses() {
		String right = "com.example.helper.refused" + RIGHTS.incrementAndGet();
		this.sim.nextPeer(SimPeer.teamCli()); // not root, and the user cancels the administrator's dialog
		this.sim.control().xpcsim_set_authentication_answer(0);
		try {
			assertThatIllegalStateException().isThrownBy(() -> this.installer.install(List.of(right), "allow"))
				.withMessage("could not define " + right + ": errAuthorizationCanceled (-60006) (run the installer "
						+ "as root)");
		}
		finally {
			this.sim.control().xpcsim_set_authentication_answer(1);
		}
		assertThat(this.services.isDefined(right)).isFalse();
	}

}
