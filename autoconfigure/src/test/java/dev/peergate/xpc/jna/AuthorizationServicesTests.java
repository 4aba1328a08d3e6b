package dev.peergate.xpc.jna;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.xpc.jna.AuthorizationServices.ClientAuthorization;
import dev.peergate.xpc.jna.AuthorizationServices.RightRule;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Authorization Services through the production bindings, against the simulator's rights database: the helper's
 * question ({@code copyRight}) for each kind of rule, interaction only when allowed, forged and ended external
 * forms, defining rights, and every reference freed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthorizationServicesTests {

	private static final AtomicInteger RIGHTS = new AtomicInteger();

	private static final SimPeer ROOT = new SimPeer(0, 0, 1, "com.example.installer", "ABCDE12345",
			"1111222233334444555566667777888899990000", "ABCDE12345", "", false, true, 6);

	private final XpcSimulator sim = XpcSimulator.current();

	private final AuthorizationServices services = AuthorizationServices.of(this.sim.nativeXpc());

	private long authorizationsBefore;

	private long cfBefore;

	@BeforeEach
	void recordLiveObjects() {
		this.authorizationsBefore = this.sim.control().xpcsim_live_authorizations();
		this.cfBefore = this.sim.control().xpcsim_live_cf();
		this.sim.control().xpcsim_set_authentication_answer(1);
	}

	@AfterEach
	void everyReferenceIsFreed() {
		assertThat(this.sim.control().xpcsim_live_authorizations()).as("live AuthorizationRefs")
			.isEqualTo(this.authorizationsBefore);
		assertThat(this.sim.control().xpcsim_live_cf()).as("live CF objects").isLessThanOrEqualTo(this.cfBefore);
	}

	@Test
	void grantsARightToAGroupMemberWithoutAskingWhenTheRuleSaysSo() {
		String right = define(RightRule.group("staff", false));
		long asked = interactions();
		try (ClientAuthorization app = appOf(SimPeer.teamCli())) { // uid 501, primary group staff (20)
			assertThat(this.services.copyRight(app.externalForm(), right, false))
				.isEqualTo(AuthorizationServices.SUCCESS);
		}
		assertThat(interactions()).isEqualTo(asked);
	}

	@Test
	void deniesANonMemberWhenInteractionIsNotAllowed() {
		String right = define(RightRule.group("admin", false));
		try (ClientAuthorization app = appOf(SimPeer.teamCli())) { // 501 is not in admin here
			assertThat(this.services.copyRight(app.externalForm(), right, false))
				.isEqualTo(AuthorizationServices.INTERACTION_NOT_ALLOWED);
		}
	}

	@Test
	void asksTheUserOnlyWhenTheCallAllowsInteraction() {
		String right = define(RightRule.named("authenticate-admin"));
		try (ClientAuthorization app = appOf(SimPeer.teamCli())) {
			long asked = interactions();
			assertThat(this.services.copyRight(app.externalForm(), right, false))
				.isEqualTo(AuthorizationServices.INTERACTION_NOT_ALLOWED);
			assertThat(interactions()).isEqualTo(asked);
			assertThat(this.services.copyRight(app.externalForm(), right, true))
				.isEqualTo(AuthorizationServices.SUCCESS);
			assertThat(interactions()).isEqualTo(asked + 1);
			// the right granted stays with the authorization: not asked again
			assertThat(this.services.copyRight(app.externalForm(), right, false))
				.isEqualTo(AuthorizationServices.SUCCESS);
			assertThat(interactions()).isEqualTo(asked + 1);
		}
	}

	@Test
	void aCanceledDialogIsNotAGrant() {
		String right = define(RightRule.group("staff", true));
		this.sim.control().xpcsim_set_authentication_answer(0);
		try (ClientAuthorization app = appOf(SimPeer.teamCli())) {
			assertThat(this.services.copyRight(app.externalForm(), right, true))
				.isEqualTo(AuthorizationServices.CANCELED);
		}
	}

	@Test
	void deniesARightWhoseRuleIsDenyEvenWithInteraction() {
		String right = define(RightRule.named("deny"));
		try (ClientAuthorization app = appOf(SimPeer.teamCli())) {
			assertThat(this.services.copyRight(app.externalForm(), right, true)).isEqualTo(AuthorizationServices.DENIED);
		}
	}

	@Test
	void aRightNobodyDefinedFallsToTheDefaultRuleOfAnAdministrator() {
		try (ClientAuthorization app = appOf(SimPeer.teamCli())) {
			assertThat(this.services.copyRight(app.externalForm(), "com.example.undefined." + RIGHTS.incrementAndGet(),
					false))
				.isEqualTo(AuthorizationServices.INTERACTION_NOT_ALLOWED);
		}
	}

	@Test
	void refusesForgedAndMisSizedExternalForms() {
		String right = define(RightRule.named("allow"));
		assertThat(this.services.copyRight(new byte[32], right, true)).isEqualTo(AuthorizationServices.INVALID_REF);
		assertThat(this.services.copyRight(new byte[31], right, true)).isEqualTo(AuthorizationServices.INVALID_REF);
		assertThat(this.services.copyRight(new byte[0], right, true)).isEqualTo(AuthorizationServices.INVALID_REF);
	}

	@Test
	void anExternalFormEndsWithTheAuthorizationItNames() {
		String right = define(RightRule.named("allow"));
		ClientAuthorization app = appOf(SimPeer.teamCli());
		byte[] form = app.externalForm();
		assertThat(this.services.copyRight(form, right, false)).isEqualTo(AuthorizationServices.SUCCESS);
		app.close();
		assertThat(this.services.copyRight(form, right, false)).isEqualTo(AuthorizationServices.INVALID_REF);
		assertThatIllegalStateException().isThrownBy(app::externalForm);
	}

	@Test
	void theAppMakesItsExternalFormOnceForAllItsCalls() {
		try (ClientAuthorization app = appOf(SimPeer.teamCli())) {
			byte[] first = app.externalForm();
			long before = this.sim.control().xpcsim_native_calls();
			byte[] again = app.externalForm();
			assertThat(this.sim.control().xpcsim_native_calls()).isEqualTo(before);
			assertThat(again).isEqualTo(first).isNotSameAs(first);
		}
	}

	@Test
	void definingARightNeedsRootOrTheUsersAnswer() {
		String right = "com.example.helper.defined." + RIGHTS.incrementAndGet();
		this.sim.nextPeer(SimPeer.teamCli());
		this.sim.control().xpcsim_set_authentication_answer(0);
		assertThat(this.services.defineRight(right, RightRule.named("allow"))).isEqualTo(AuthorizationServices.CANCELED);
		assertThat(this.services.isDefined(right)).isFalse();
		this.sim.nextPeer(ROOT);
		long asked = interactions();
		assertThat(this.services.defineRight(right, RightRule.named("allow"))).isEqualTo(AuthorizationServices.SUCCESS);
		assertThat(interactions()).isEqualTo(asked);
		assertThat(this.services.isDefined(right)).isTrue();
	}

	@Test
	void preauthorizingInTheAppLetsTheHelperGrantWithoutAsking() {
		String right = define(RightRule.named("authenticate-admin"));
		try (ClientAuthorization app = appOf(SimPeer.teamCli())) {
			assertThat(app.preauthorize(right)).isEqualTo(AuthorizationServices.SUCCESS);
			long asked = interactions();
			assertThat(this.services.copyRight(app.externalForm(), right, false))
				.isEqualTo(AuthorizationServices.SUCCESS);
			assertThat(interactions()).isEqualTo(asked);
		}
	}

	@Test
	void namesEachStatusAsAuthorizationHDoes() {
		assertThat(AuthorizationServices.describe(-60007)).isEqualTo("errAuthorizationInteractionNotAllowed (-60007)");
		assertThat(AuthorizationServices.describe(-60002)).isEqualTo("errAuthorizationInvalidRef (-60002)");
		assertThat(AuthorizationServices.describe(-60006)).isEqualTo("errAuthorizationCanceled (-60006)");
		assertThat(AuthorizationServices.describe(-60005)).isEqualTo("errAuthorizationDenied (-60005)");
		assertThat(AuthorizationServices.describe(-1)).isEqualTo("OSStatus (-1)");
	}

	private String define(RightRule rule) {
		String right = "com.example.helper.right" + RIGHTS.incrementAndGet();
		this.sim.nextPeer(ROOT);
		assertThat(this.services.defineRight(right, rule)).isEqualTo(AuthorizationServices.SUCCESS);
		return right;
	}

	private ClientAuthorization appOf(SimPeer user) {
		this.sim.nextPeer(user);
		return this.services.create();
	}

	private long interactions() {
		return this.sim.control().xpcsim_authorization_interactions();
	}

}
