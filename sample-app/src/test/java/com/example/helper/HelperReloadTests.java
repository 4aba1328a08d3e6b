package com.example.helper;

import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.test.PeergateTest;
import dev.peergate.test.PeergateTester;
import dev.peergate.test.WithPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Reload is guarded by {@code @PreAuthorize("hasAuthority('uid:0')")}: Spring Security decides per call. */
@PeergateTest(properties = { "peergate.listeners.helper.requirement.same-user=false",
		"peergate.listeners.helper.requirement.linux={\"uid\": {\"$in\": [0, 1000]}}" })
@Timeout(60)
class HelperReloadTests {

	@Autowired
	PeergateTester peergate;

	@Test
	@WithPeer(uid = 0)
	void rootMayReload() {
		assertThat(this.peergate.client(Helper.class).reload().at()).isNotBlank();
	}

	@Test
	@WithPeer(uid = 1000)
	void anotherUserTheListenerAcceptsIsRefusedBySpringSecurityAndKeepsTheOtherMethods() {
		Helper helper = this.peergate.client(Helper.class);
		assertThatExceptionOfType(IpcError.class).isThrownBy(helper::reload)
			.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
		assertThat(helper.status().callerUid()).isEqualTo(1000);
	}

}
